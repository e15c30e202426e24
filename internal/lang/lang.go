// Package lang chooses the language of a page from Vigil's two, English
// and French, and writes a day or a month in words in it.
package lang

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Supported are the languages of Vigil's pages; the first is the default.
var Supported = []string{"en", "fr"}

// Pick chooses explicit (a ?lang= parameter or a form's lang field) when it
// is supported, else the supported language the Accept-Language header
// prefers (by q-value, the earlier among equals; a malformed q skips its
// entry), else English.
func Pick(explicit, acceptLanguage string) string {
	if slices.Contains(Supported, explicit) {
		return explicit
	}
	best, bestQ := Supported[0], -1.0
	for i, part := range strings.Split(acceptLanguage, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if !slices.Contains(Supported, base) {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 || f > 1 {
				continue
			}
			q = f
		}
		q -= float64(i) * 1e-6 // earlier wins among equals
		if q > bestQ {
			best, bestQ = base, q
		}
	}
	return best
}

// monthsFR are the months' names in French.
var monthsFR = [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// MonthName is month m's name in language l: "June", "juin".
func MonthName(m time.Month, l string) string {
	if l == "fr" {
		return monthsFR[m-1]
	}
	return m.String()
}

// Month writes t's month in words in language l: "December 2026", or
// "décembre 2026" for French.
func Month(t time.Time, l string) string {
	return MonthName(t.Month(), l) + " " + strconv.Itoa(t.Year())
}

// Day writes t's day in words in language l: "5 December 2026", or
// "5 décembre 2026" for French, where the first of a month is « 1er »:
// "1er décembre 2026".
func Day(t time.Time, l string) string {
	d := strconv.Itoa(t.Day())
	if l == "fr" && t.Day() == 1 {
		d = "1er"
	}
	return fmt.Sprintf("%s %s %d", d, MonthName(t.Month(), l), t.Year())
}
