package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/performance"
)

func runBrief(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("brief", stderr)
	var pf perfFlags
	pf.add(fs)
	periodS := fs.String("period", "", "the month (YYYY-MM)")
	lang := fs.String("lang", "en", "language: en or fr")
	format := fs.String("format", "pdf", "pdf or html")
	outPath := fs.String("out", "", "output file (default: standard output)")
	form := fs.String("survey-form", "", "survey form whose perception indicators to include")
	asJSON := fs.Bool("json", false, "print the brief's content as JSON instead")
	if err := parseNoArgs(fs, args, ""); err != nil {
		return err
	}
	if *periodS == "" {
		return usageError{"--period is required (a month, YYYY-MM)"}
	}
	p, err := performance.ParsePeriod(*periodS)
	if err != nil {
		return usageError{"--period: " + err.Error()}
	}
	if p.Months() != 1 {
		return usageError{fmt.Sprintf("--period: %s is not one month (the brief is monthly: YYYY-MM)", p)}
	}
	if *lang != "en" && *lang != "fr" {
		return usageError{fmt.Sprintf("--lang: %q: want en or fr", *lang)}
	}
	if *format != "pdf" && *format != "html" {
		return usageError{fmt.Sprintf("--format: %q: want pdf or html", *format)}
	}
	eng, db, err := pf.engine(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	b, err := eng.BuildBrief(ctx, p.From, performance.BriefOptions{Lang: *lang, SurveyForm: *form})
	if err != nil {
		if apperr.IsInvalid(err) {
			return usageError{err.Error()}
		}
		return err
	}
	w := stdout
	if *outPath != "" {
		f, err := os.Create(*outPath)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	switch {
	case *asJSON:
		err = printJSON(w, b)
	case *format == "html":
		err = b.WriteHTML(w)
	default:
		err = b.WritePDF(w)
	}
	if err != nil {
		return err
	}
	if f, ok := w.(*os.File); ok && f != os.Stdout {
		return f.Close()
	}
	return nil
}
