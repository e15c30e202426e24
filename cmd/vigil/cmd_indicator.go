package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/performance"
	"github.com/vigil-project/vigil/storage"
)

const indicatorUsage = `usage:
  vigil indicator list [--json]
  vigil indicator framework --file F.csv|F.json [--export csv|json]     check a results framework (errors name row and column); convert it
  vigil indicator status --file F.csv|F.json --period P [--lang fr] [--json]  every framework indicator with its honest status against the period's target
  vigil indicator value --indicator ID --period P [--country ISO3_OR_NAME] [--type 3] [--param NAME=VALUE]... [--by DIM] [--json]
Periods: 2019, 2019-Q3, 2019-07 or 2019-01..2019-06. Without --country, one value per area the data covers.`

// perfFlags are the flags every performance command takes to build its engine.
type perfFlags struct {
	d      dbFlags
	cells  string
	manual string
	now    string
}

func (p *perfFlags) add(fs *flag.FlagSet) {
	p.d.add(fs)
	fs.StringVar(&p.cells, "cells", "", "PRIO-GRID cell list (default: the embedded six-country cells)")
	fs.StringVar(&p.manual, "manual", "", "manual indicator values (JSON list of {indicator, period, area, value, source, evidence, …})")
	fs.StringVar(&p.now, "computed-at", "", "time stamped on values as computed_at (RFC 3339; default now) — for reproducible output")
}

// engine opens the store and builds an engine over everything in it.
func (p *perfFlags) engine(ctx context.Context) (*performance.Engine, *storage.DB, error) {
	in := performance.Inputs{Actor: cliActor()}
	if p.now != "" {
		t, err := time.Parse(time.RFC3339, p.now)
		if err != nil {
			return nil, nil, usageError{"--computed-at: " + err.Error()}
		}
		in.Now = func() time.Time { return t }
	}
	if p.manual != "" {
		var err error
		if in.Manual, err = readFile(p.manual, performance.ReadManual); err != nil {
			return nil, nil, err
		}
	}
	cells, err := loadCells(p.cells)
	if err != nil {
		return nil, nil, err
	}
	in.Cells = cells
	db, err := p.d.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	in.Events, in.Deployments, in.Forecasts, in.Alerts, in.Settings, in.Integrity = db, db, db, db, db, db
	if svc, err := openSurveys(&p.d, db); err == nil {
		in.Surveys = svc
	}
	return performance.NewEngine(in), db, nil
}

type paramList map[string]string

func (p paramList) String() string { return fmt.Sprint(map[string]string(p)) }
func (p paramList) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return fmt.Errorf("%q: want NAME=VALUE", s)
	}
	p[strings.TrimSpace(k)] = strings.TrimSpace(v)
	return nil
}

func runIndicator(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if err := ownSubcommand(args, indicatorUsage, "list or value", stderr, "list", "framework", "status", "value"); err != nil {
		return err
	}
	switch args[0] {
	case "list":
		fs := newFlags("indicator list", stderr)
		asJSON := fs.Bool("json", false, "print JSON")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		lib := performance.Library()
		if *asJSON {
			return printJSON(stdout, lib)
		}
		for _, d := range lib {
			fmt.Fprintf(stdout, "%s — %s (%s; %s is better)\n  %s\n", d.ID, d.Name, d.Unit, d.Direction, d.Doc)
			for _, p := range d.Params {
				fmt.Fprintf(stdout, "  --param %s=…  %s", p.Name, p.Doc)
				if p.Default != "" {
					fmt.Fprintf(stdout, " (default %s)", p.Default)
				}
				fmt.Fprintln(stdout)
			}
			if len(d.Disaggregations) > 0 {
				fmt.Fprintf(stdout, "  --by %s\n", strings.Join(d.Disaggregations, " | "))
			}
		}
		return nil
	case "framework", "status":
		return runFramework(ctx, args[0], args[1:], stdout, stderr)
	}
	fs := newFlags("indicator value", stderr)
	var pf perfFlags
	pf.add(fs)
	ind := fs.String("indicator", "", "indicator id (vigil indicator list)")
	periodS := fs.String("period", "", "period: 2019, 2019-Q3, 2019-07 or 2019-01..2019-06")
	country := fs.String("country", "", "ISO 3166 alpha-3 code or country name (default: every area the data covers)")
	typ := fs.String("type", "", "UCDP type of violence (1, 2, 3 or all), for the event indicators")
	by := fs.String("by", "", "disaggregation (see vigil indicator list)")
	params := paramList{}
	fs.Var(params, "param", "indicator parameter NAME=VALUE (repeatable)")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseNoArgs(fs, args[1:], ""); err != nil {
		return err
	}
	if *ind == "" {
		return usageError{"--indicator is required (vigil indicator list shows them)"}
	}
	if *periodS == "" {
		return usageError{"--period is required"}
	}
	period, err := performance.ParsePeriod(*periodS)
	if err != nil {
		return usageError{"--period: " + err.Error()}
	}
	if *typ != "" {
		params["type"] = *typ
	}
	var areas []performance.Area
	if *country != "" {
		a, err := performance.ParseArea(*country)
		if err != nil {
			return usageError{"--country: " + err.Error()}
		}
		areas = []performance.Area{a}
	}
	eng, db, err := pf.engine(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if def, ok := performance.Lookup(*ind); ok && def.AreaLess && areas == nil {
		areas = []performance.Area{performance.AllAreas}
	}
	if areas == nil {
		if areas, err = eng.Areas(ctx); err != nil {
			return err
		}
		if len(areas) == 0 {
			areas = []performance.Area{performance.AllAreas}
		}
	}
	var vals []performance.Value
	for _, a := range areas {
		p := map[string]string{}
		for k, v := range params {
			p[k] = v
		}
		vs, err := eng.Compute(ctx, performance.Request{Indicator: *ind, Period: period, Area: a, Params: p, By: *by})
		if err != nil {
			if apperr.IsInvalid(err) {
				return usageError{err.Error()}
			}
			return err
		}
		vals = append(vals, vs...)
	}
	if *asJSON {
		if len(vals) == 1 && *country != "" {
			return printJSON(stdout, vals[0])
		}
		return printJSON(stdout, vals)
	}
	return printTable(stdout, "area\tperiod\tgroup\tvalue\trange\t95% interval\tn\tnote", vals, func(v performance.Value) (string, error) {
		g := ""
		for k, x := range v.Disaggregation {
			g = k + "=" + x
		}
		if v.NoData {
			return fmt.Sprintf("%s\t%s\t%s\tno data\t\t\t\t%s", v.Area, v.Period, g, v.Reason), nil
		}
		rng := ""
		if v.Low != nil || v.High != nil {
			rng = perfNum(v.Low) + "–" + perfNum(v.High)
		}
		return fmt.Sprintf("%s\t%s\t%s\t%s %s\t%s\t%s–%s\t%d\t%s", v.Area, v.Period, g, perfNum(v.Value), v.Unit,
			rng, perfNum(v.CILow), perfNum(v.CIHigh), v.N, v.Coverage.Note), nil
	})
}

// fnum prints a value as the API gives it (shortest exact form); "∞" for
// an unbounded end.
func perfNum(p *float64) string {
	if p == nil {
		return "∞"
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

func readFramework(path string) (*performance.Framework, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if strings.HasSuffix(strings.ToLower(path), ".json") {
		return performance.ReadFrameworkJSON(f, path)
	}
	return performance.ReadFrameworkCSV(f, path)
}

func runFramework(ctx context.Context, sub string, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("indicator "+sub, stderr)
	var pf perfFlags
	pf.add(fs)
	file := fs.String("file", "", "results framework: CSV (HXL-tagged, one row per indicator and target) or JSON (with compacts)")
	export := fs.String("export", "", "framework: write it back as csv or json")
	periodS := fs.String("period", "", "status: the period")
	asJSON := fs.Bool("json", false, "status: print JSON")
	lang := fs.String("lang", "en", "status: the table's language, en or fr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *lang != "en" && *lang != "fr" {
		return usageError{fmt.Sprintf("--lang: %q: want en or fr", *lang)}
	}
	if *file == "" {
		return usageError{"--file is required"}
	}
	fw, err := readFramework(*file)
	if err != nil {
		return err
	}
	if sub == "framework" {
		switch *export {
		case "":
			n := 0
			for _, o := range fw.Objectives {
				for _, r := range o.Results {
					n += len(r.Indicators)
				}
			}
			fmt.Fprintf(stdout, "%s: %d objectives, %d indicators, %d compacts: valid\n", *file, len(fw.Objectives), n, len(fw.Compacts))
			return nil
		case "csv":
			return fw.WriteCSV(stdout)
		case "json":
			return fw.WriteJSON(stdout)
		}
		return usageError{fmt.Sprintf("--export: %q: want csv or json", *export)}
	}
	if *periodS == "" {
		return usageError{"--period is required"}
	}
	p, err := performance.ParsePeriod(*periodS)
	if err != nil {
		return usageError{"--period: " + err.Error()}
	}
	eng, db, err := pf.engine(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := eng.Status(ctx, fw, p)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(stdout, st)
	}
	words := &performance.Brief{Lang: *lang} // the brief's words for statuses and "no data"
	return printTable(stdout, statusHeader[*lang], st, func(s performance.IndicatorStatus) (string, error) {
		v, ci := words.T("no data"), "—"
		if !s.Value.NoData {
			v = inUnit(s.Value.Value, s.Value.Unit, *lang, true)
			if s.Value.Uncertainty != performance.Exact && s.Value.Uncertainty != performance.Unknown {
				ci = inUnit(s.Value.CILow, s.Value.Unit, *lang, false) + "–" + inUnit(s.Value.CIHigh, s.Value.Unit, *lang, false)
			}
		}
		t := "—"
		if s.Target != nil {
			t = inUnit(s.Target, s.Value.Unit, *lang, false)
		}
		why := s.Status.Msg.Text(*lang)
		if s.Status.Msg.Code == "" {
			why = s.Status.Reason
		}
		return fmt.Sprintf("%s\t%s\t%s\t%s\t%s\t%s\t%s", s.ID, areaLabel(s.Value.Area, *lang), v, ci, t, words.T(string(s.Status.Status)), why), nil
	})
}

// statusHeader is the status table's header in each language.
var statusHeader = map[string]string{
	"en": "indicator\tarea\tvalue\t95% interval\ttarget\tstatus\twhy",
	"fr": "indicateur\tzone\tvaleur\tintervalle à 95\u202f%\tcible\tsituation\tpourquoi",
}

// inUnit writes x as a reader of lang reads it in the status table: a
// share as a percentage to two decimals at most ("39.87%", French
// "39,87 %"), as the page, the brief and the reason beside it write
// shares (performance.FormatNumberLang); another number in lang's digits,
// with its unit in words when withUnit ("422 deaths", "1 event"); "∞" for
// an unbounded end.
func inUnit(x *float64, unit, lang string, withUnit bool) string {
	switch {
	case x == nil:
		return "∞"
	case unit == "share":
		return performance.FormatNumberLang(x, unit, lang)
	case withUnit:
		return performance.LocalNumber(perfNum(x), lang) + " " + performance.UnitLabelN(unit, lang, *x)
	}
	return performance.LocalNumber(perfNum(x), lang)
}

// areaLabel names an area code in lang ("COD": "DR Congo", "RD Congo");
// a code it does not know as it is.
func areaLabel(code, lang string) string {
	if a, err := performance.ParseArea(code); err == nil && a.Label(lang) != "" {
		return a.Label(lang)
	}
	return code
}
