package performance

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/grid"
	language "github.com/vigil-project/vigil/internal/lang"
)

// Period is a span of whole months, From to To inclusive.
type Period struct {
	From, To grid.Month
}

// Months is the number of months in the period.
func (p Period) Months() int { return int(p.To-p.From) + 1 }

// Contains reports whether month m is in the period.
func (p Period) Contains(m grid.Month) bool { return p.From <= m && m <= p.To }

// Shift returns the period moved by k of its own lengths (k = -1: the
// period just before, of the same length).
func (p Period) Shift(k int) Period {
	d := grid.Month(k * p.Months())
	return Period{p.From + d, p.To + d}
}

// String writes the period in its shortest form: 2019, 2019-Q3, 2019-07
// or 2019-01..2019-06.
func (p Period) String() string {
	y, m := p.From.Year(), p.From.Mon()
	switch {
	case p.From == p.To:
		return p.From.String()
	case m == 1 && p.To == grid.MonthOf(y, 12):
		return strconv.Itoa(y)
	case (m-1)%3 == 0 && p.To == p.From+2:
		return fmt.Sprintf("%d-Q%d", y, (m-1)/3+1)
	}
	return p.From.String() + ".." + p.To.String()
}

// Words writes the period for people in language l (internal/lang): a
// year as 2019, a quarter as "Q3 2019" (French « T3 2019 », trimestre), a
// month as "July 2019" ("juillet 2019"), other runs of months as
// "January–June 2019" ("janvier–juin 2019") or "November 2018 – February
// 2019", whole years as "2017 – 2018".
func (p Period) Words(l string) string {
	month := func(m grid.Month) string {
		return language.Month(time.Date(m.Year(), time.Month(m.Mon()), 1, 0, 0, 0, 0, time.UTC), l)
	}
	fy, ty := p.From.Year(), p.To.Year()
	switch {
	case p.From == p.To:
		return month(p.From)
	case p.From.Mon() == 1 && p.To.Mon() == 12:
		if fy == ty {
			return strconv.Itoa(fy)
		}
		return strconv.Itoa(fy) + " – " + strconv.Itoa(ty)
	case (p.From.Mon()-1)%3 == 0 && p.To == p.From+2:
		q := "Q"
		if l == "fr" {
			q = "T"
		}
		return fmt.Sprintf("%s%d %d", q, (p.From.Mon()-1)/3+1, fy)
	case fy == ty:
		return language.MonthName(time.Month(p.From.Mon()), l) + "–" + month(p.To)
	}
	return month(p.From) + " – " + month(p.To)
}

// PeriodWords writes s in words in language l (Period.Words) when it is a
// period, else returns s as it is.
func PeriodWords(s, l string) string {
	if p, ok := periodArg(s); ok {
		return p.Words(l)
	}
	return s
}

// MarshalText writes String.
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText parses like ParsePeriod.
func (p *Period) UnmarshalText(b []byte) error {
	q, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// ParsePeriod reads a year (2019), a quarter (2019-Q3, or as Words writes
// it: Q3 2019, French T3 2019), a month (2019-07) or a range of months
// (2019-01..2019-06, inclusive). Errors name the value.
func ParsePeriod(s string) (Period, error) {
	t := strings.TrimSpace(s)
	bad := func(why error) (Period, error) { // why: a refuse error
		return Period{}, refuse("err.period", "period", fmt.Sprintf("%q", s), "period_why", msgOf(why))
	}
	if t == "" {
		return bad(refuse("fw.empty"))
	}
	if a, b, ok := strings.Cut(t, ".."); ok {
		from, err := parseOne(a)
		if err != nil {
			return bad(err)
		}
		to, err := parseOne(b)
		if err != nil {
			return bad(err)
		}
		if to.To < from.From {
			return bad(refuse("err.period-reversed"))
		}
		return Period{from.From, to.To}, nil
	}
	p, err := parseOne(t)
	if err != nil {
		return bad(err)
	}
	return p, nil
}

func parseOne(s string) (Period, error) {
	s = strings.TrimSpace(s)
	// A quarter in words (Q3 2019, T3 2019) is read as 2019-Q3.
	if q, y, ok := strings.Cut(s, " "); ok && len(q) == 2 && strings.ContainsRune("QqTt", rune(q[0])) {
		s = strings.TrimSpace(y) + "-Q" + q[1:]
	}
	year := func(v string) (int, error) {
		if len(v) != 4 {
			return 0, refuse("err.year-digits", "year", fmt.Sprintf("%q", v))
		}
		y, err := strconv.Atoi(v)
		if err != nil || y < 1900 || y > 2200 {
			return 0, refuse("err.year-range", "year", fmt.Sprintf("%q", v))
		}
		return y, nil
	}
	ys, rest, hasRest := strings.Cut(s, "-")
	y, err := year(ys)
	if err != nil {
		return Period{}, err
	}
	if !hasRest {
		return Period{grid.MonthOf(y, 1), grid.MonthOf(y, 12)}, nil
	}
	if len(rest) == 2 && (rest[0] == 'Q' || rest[0] == 'q') {
		q := int(rest[1] - '0')
		if q < 1 || q > 4 {
			return Period{}, refuse("err.quarter", "quarter", fmt.Sprintf("%q", rest))
		}
		f := grid.MonthOf(y, 3*q-2)
		return Period{f, f + 2}, nil
	}
	if len(rest) != 2 {
		return Period{}, refuse("err.month-digits", "month", fmt.Sprintf("%q", rest))
	}
	m, err := strconv.Atoi(rest)
	if err != nil || m < 1 || m > 12 {
		return Period{}, refuse("err.month-range", "month", fmt.Sprintf("%q", rest))
	}
	mo := grid.MonthOf(y, m)
	return Period{mo, mo}, nil
}
