package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/performance"
)

// TestBriefNumbersMatchIndicators builds the December 2018 brief on the
// demo data as PDF (French) and HTML (English) and checks that headline
// numbers are the indicator values the indicator command prints, to the
// last digit.
func TestBriefNumbersMatchIndicators(t *testing.T) {
	data := perfDemoData(t)
	dir := t.TempDir()
	pdfPath, htmlPath := filepath.Join(dir, "brief.pdf"), filepath.Join(dir, "brief.html")
	common := []string{"--data", data, "--period", "2018-12", "--computed-at", fixedTime}
	if _, errs, err := runPerfCmd(t, append([]string{"brief", "--lang", "fr", "--out", pdfPath}, common...)...); err != nil {
		t.Fatalf("%v %s", err, errs)
	}
	if _, errs, err := runPerfCmd(t, append([]string{"brief", "--format", "html", "--out", htmlPath}, common...)...); err != nil {
		t.Fatalf("%v %s", err, errs)
	}
	pdfB, _ := os.ReadFile(pdfPath)
	htmlB, _ := os.ReadFile(htmlPath)
	if !strings.HasPrefix(string(pdfB), "%PDF-") || !strings.Contains(string(pdfB), "Note de protection et de performance") {
		t.Fatalf("not the French PDF brief: %.200q", pdfB)
	}
	if !strings.Contains(string(htmlB), `<html lang="en">`) || strings.Contains(string(htmlB), "<script") {
		t.Fatalf("not a script-free English page")
	}
	for _, c := range []struct{ indicator, country, period string }{
		{"civilian-deaths", "", "2018-12"},
		{"civilian-deaths", "COD", "2018-12"},
		{"risk-covered", "", "2018-12"},
		{"onsets-covered-3m", "", "2018-10..2018-12"},
	} {
		args := []string{"indicator", "value", "--data", data, "--indicator", c.indicator, "--period", c.period, "--json", "--country", c.country}
		if c.country == "" {
			args[len(args)-1] = "all"
		}
		js, errs, err := runPerfCmd(t, args...)
		if err != nil {
			t.Fatalf("%v: %v %s", c, err, errs)
		}
		var v performance.Value
		if err := json.Unmarshal([]byte(js), &v); err != nil {
			t.Fatalf("%v: %v %s", c, err, js)
		}
		if v.Value == nil {
			t.Fatalf("%v: no value", c)
		}
		// The same number, written for the brief's reader (the PDF is
		// French: 1 234,5), its unit in the brief's language; read back,
		// it is the API's number.
		for name, doc := range map[string]string{"PDF": string(pdfB), "HTML": string(htmlB)} {
			lang := map[string]string{"PDF": "fr", "HTML": "en"}[name]
			want := performance.FormatNumberLang(v.Value, v.Unit, lang)
			if x, err := performance.ParseNumber(want, lang); err != nil || v.Unit != "share" && x != *v.Value || v.Unit == "share" && math.Abs(x-100**v.Value) > 0.005+1e-9 {
				t.Errorf("%s brief: %q reads back as %v (%v), API %v", name, want, x, err, *v.Value)
			}
			if v.Unit != "share" {
				want += " " + performance.UnitLabelN(v.Unit, lang, *v.Value)
			}
			if name == "PDF" { // the PDF's text is in the one-byte code page of its font (é is 0xE9; a no-break space for U+202F)
				b := []byte{}
				for _, r := range strings.ReplaceAll(want, "\u202f", "\u00a0") {
					b = append(b, byte(r))
				}
				want = string(b)
			}
			if !strings.Contains(doc, want) {
				t.Errorf("%s brief lacks %v = %q", name, c, want)
			}
		}
		if v.CILow != nil && v.Unit != "share" {
			lo := *v.CILow
			if performance.CountUnits[v.Unit] { // a count's bounds are whole numbers (134.32 → 134)
				lo = math.Round(lo)
			}
			if want := "[" + performance.FormatNumberLang(&lo, v.Unit, "en") + ", "; !strings.Contains(string(htmlB), want) {
				t.Errorf("HTML brief lacks the interval of %v (%v): %q", c, *v.CILow, want)
			}
		}
	}
	for _, bad := range [][]string{{"--period", "2018"}, {"--period", "2018-12", "--lang", "de"}, {"--period", "2018-12", "--format", "docx"}, {}} {
		if _, _, err := runPerfCmd(t, append([]string{"brief", "--data", data}, bad...)...); err == nil {
			t.Errorf("%v accepted", bad)
		} else if _, ok := err.(usageError); !ok {
			t.Errorf("%v: %v is not a usage error", bad, err)
		}
	}
}
