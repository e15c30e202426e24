package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/forecast/viewschallenge"
)

func runViews(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"want a subcommand: forecast, score or replay"}
	}
	switch args[0] {
	case "forecast":
		return runViewsForecast(ctx, args[1:], stdout, stderr)
	case "score":
		return runViewsScore(args[1:], stdout, stderr)
	case "replay":
		return runViewsReplay(ctx, args[1:], stdout, stderr)
	}
	return usageError{fmt.Sprintf("unknown subcommand %q: want forecast, score or replay", args[0])}
}

// multiFlag collects a flag given several times or followed by several
// file names ("--features a.csv b.csv").
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

// spreadMulti rewrites "--name a b c" into "--name a --name b --name c".
func spreadMulti(args []string, name string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		out = append(out, a)
		if a == "-"+name || a == "--"+name {
			i++
			if i < len(args) {
				out = append(out, args[i])
			}
			for i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
				i++
				out = append(out, "--"+name, args[i])
			}
		}
	}
	return out
}

func runViewsForecast(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("views forecast", stderr)
	var feats multiFlag
	fs.Var(&feats, "features", "challenge features CSV (month_id, country_id, ged_sb, ged_sb_tlag_*); several files may follow")
	cutoff := fs.Int("cutoff", 0, "last month_id with data (forecasts are for cutoff+3 … cutoff+14)")
	out := fs.String("out", "", "output CSV month_id,country_id,draw,outcome (- for stdout)")
	method := fs.String("method", "auto", "auto (chosen on pseudo-windows before the cutoff), zero, poisson-last, empirical-6/12/24, negbin-12/24")
	seed := fs.Uint64("seed", 1, "random seed of the draws")
	if err := fs.Parse(spreadMulti(args, "features")); err != nil {
		return err
	}
	if len(feats) == 0 || *cutoff <= 0 || *out == "" {
		return usageError{"need --features FILE..., --cutoff MONTH_ID and --out FILE"}
	}
	h, err := viewschallenge.ReadFeatureFiles(feats...)
	if err != nil {
		return err
	}
	var w io.Writer = stdout
	var f *os.File
	if *out != "-" {
		f, err = os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString("month_id,country_id,draw,outcome\n")
	buf := make([]byte, 0, 64)
	_, err = viewschallenge.Forecast(ctx, h, *cutoff, viewschallenge.Options{Method: *method, Seed: *seed, Log: stderr}, func(r viewschallenge.Row) error {
		buf = buf[:0]
		buf = strconv.AppendInt(buf, int64(r.Month), 10)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(r.Country), 10)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(r.Draw), 10)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, r.Outcome, 'f', -1, 64)
		buf = append(buf, '\n')
		_, err := bw.Write(buf)
		return err
	})
	if err != nil {
		if f != nil {
			f.Close()
			os.Remove(*out)
		}
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if f != nil {
		return f.Close()
	}
	return nil
}

func runViewsScore(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("views score", stderr)
	fcPath := fs.String("forecast", "", "forecast CSV month_id,country_id,draw,outcome")
	actPath := fs.String("actuals", "", "actuals CSV month_id,country_id,ged_sb")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *fcPath == "" || *actPath == "" {
		return usageError{"need --forecast FILE and --actuals FILE"}
	}
	ff, err := os.Open(*fcPath)
	if err != nil {
		return err
	}
	defer ff.Close()
	af, err := os.Open(*actPath)
	if err != nil {
		return err
	}
	defer af.Close()
	s, err := viewschallenge.ScoreFiles(*fcPath, bufio.NewReaderSize(ff, 1<<16), *actPath, af)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(stdout, s)
	}
	return s.WriteText(stdout)
}
