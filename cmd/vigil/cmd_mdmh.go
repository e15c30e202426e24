package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/integrity/classify"
	"github.com/vigil-project/vigil/integrity/lexicon"
	"github.com/vigil-project/vigil/integrity/textcsv"
)

const mdmhUsage = `Usage: vigil mdmh SUBCOMMAND [flags]

Subcommands:
  train     train a classifier from a labelled CSV (two labels or more)
  classify  score a CSV's texts with a model (the built-in one by default)
  cluster   group a CSV's texts into narratives (near-duplicates together)
  split     write a stratified train/test split that depends only on the ids

Run 'vigil mdmh SUBCOMMAND -h' for its flags.
`

func runMDMH(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, mdmhUsage)
		return usageError{"want a subcommand: train, classify, cluster or split"}
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprint(stdout, mdmhUsage)
		return nil
	case "train":
		return runMDMHTrain(args[1:], stderr)
	case "classify":
		return runMDMHClassify(ctx, args[1:], stderr)
	case "cluster":
		return runMDMHCluster(ctx, args[1:], stderr)
	case "split":
		return runMDMHSplit(args[1:], stderr)
	}
	return usageError{fmt.Sprintf("unknown subcommand %q: want train, classify, cluster or split", args[0])}
}

// atomicFile writes to a temporary file beside path and renames it into
// place on Commit; Abort (or a failed Commit) leaves nothing behind.
type atomicFile struct {
	f    *os.File
	path string
	w    *bufio.Writer
}

func createAtomic(path string) (*atomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o644); err != nil { // CreateTemp makes 0600; outputs are ordinary files
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &atomicFile{f: f, path: path, w: bufio.NewWriterSize(f, 1<<16)}, nil
}

func (a *atomicFile) Abort() {
	a.f.Close()
	os.Remove(a.f.Name())
}

func (a *atomicFile) Commit() error {
	if err := a.w.Flush(); err != nil {
		a.Abort()
		return err
	}
	if err := a.f.Close(); err != nil {
		os.Remove(a.f.Name())
		return err
	}
	if err := os.Rename(a.f.Name(), a.path); err != nil {
		os.Remove(a.f.Name())
		return err
	}
	return nil
}

func runMDMHTrain(args []string, stderr io.Writer) error {
	fs := newFlags("mdmh train", stderr)
	in := fs.String("in", "", "labelled CSV with a header row")
	textCol := fs.String("text-column", "text", "column holding the text")
	labelCol := fs.String("label-column", "label", "column holding the label")
	out := fs.String("out", "", "model file to write")
	c := fs.Float64("c", 0, "inverse L2 regularisation strength (scikit-learn's C); without it, C and per-class decision offsets are chosen by cross-validation")
	grid := fs.String("c-grid", "0.1,0.3,1,4", "comma-separated C values tried by stratified 3-fold cross-validation (macro-F1, after per-class offsets fitted to the out-of-fold scores) when --c is not given")
	features := fs.String("features", "wb", "feature variant: wb (character n-grams inside words) or char (across words), +rawtf for raw term counts; a comma-separated list lets cross-validation choose (when --c is not given)")
	kinds := fs.String("model-kind", "multinomial,one-vs-rest", "multinomial, or one-vs-rest (one binary model per label, as Davidson et al.'s published model; three labels or more); a comma-separated list lets cross-validation choose (when --c is not given; with --c the first is used)")
	dim := fs.Uint("dim", 0, "hash buckets per block (word, character n-grams); 0 (the default): an exact vocabulary, one column per n-gram seen in training")
	lexPath := fs.String("lexicon", "starter", "lexicon whose hits are features (how many places match, highest severity, any match): starter (the starter lexicon's harmful terms, without its search keywords), none, or a lexicon CSV (term,variants,language,meaning,group,severity,...)")
	quiet := fs.Bool("quiet", false, "do not print cross-validation progress")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" || *out == "" {
		return usageError{"need --in FILE.csv and --out MODEL"}
	}
	if *dim > 1<<26 {
		return usageError{"--dim: at most 67108864"}
	}
	rd, f, err := openTextCSV(*in, *textCol, *labelCol)
	if err != nil {
		return err
	}
	defer f.Close()
	var ex []classify.Example
	for {
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if row.Fields[1] == "" {
			return fmt.Errorf("%s:%d: column %q: empty label", *in, row.Line, *labelCol)
		}
		ex = append(ex, classify.Example{Text: row.Fields[0], Label: row.Fields[1]})
	}
	opt := classify.Options{C: *c, CV: *c == 0, Dim: uint32(*dim)}
	switch *lexPath {
	case "none", "":
	case "starter":
		opt.Lexicon = classify.HarmfulTerms(lexicon.Starter())
	default:
		entries, err := readFile(*lexPath, lexicon.ReadCSV)
		if err != nil {
			return err
		}
		opt.Lexicon = classify.HarmfulTerms(entries)
	}
	if len(opt.Lexicon) > 0 && *dim != 0 {
		return usageError{"--lexicon needs an exact vocabulary (--dim 0) or --lexicon none"}
	}
	for _, g := range strings.Split(*grid, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(g), 64)
		if err != nil || v <= 0 {
			return usageError{fmt.Sprintf("--c-grid: %q is not a positive number", g)}
		}
		opt.CGrid = append(opt.CGrid, v)
	}
	for _, f := range strings.Split(*features, ",") {
		v, ok := classify.ParseFeatures(strings.TrimSpace(f))
		if !ok {
			return usageError{fmt.Sprintf("--features: %q is not wb, char, wb+rawtf or char+rawtf", f)}
		}
		opt.FeatureGrid = append(opt.FeatureGrid, v)
	}
	opt.Features = opt.FeatureGrid[0]
	for _, k := range strings.Split(*kinds, ",") {
		switch strings.TrimSpace(k) {
		case classify.ModelName(false):
			opt.OneVsRestGrid = append(opt.OneVsRestGrid, false)
		case classify.ModelName(true):
			opt.OneVsRestGrid = append(opt.OneVsRestGrid, true)
		default:
			return usageError{fmt.Sprintf("--model-kind: %q is not multinomial or one-vs-rest", k)}
		}
	}
	opt.OneVsRest = opt.OneVsRestGrid[0]
	if !*quiet {
		opt.Log = func(s string) { fmt.Fprintln(stderr, s) }
	}
	m, err := classify.Train(ex, opt)
	if err != nil {
		return fmt.Errorf("%s: %w", *in, err)
	}
	af, err := createAtomic(*out)
	if err != nil {
		return err
	}
	if err := m.Save(af.w); err != nil {
		af.Abort()
		return err
	}
	if err := af.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "trained on %d examples, labels %v, features %s, C=%g: wrote %s\n", len(ex), m.Labels, classify.FeatureName(m.Features), m.C, *out)
	return nil
}

func loadModel(path string) (*classify.Model, error) {
	if path == "" {
		return classify.Builtin()
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := classify.Load(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

func runMDMHClassify(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlags("mdmh classify", stderr)
	modelPath := fs.String("model", "", "model file from 'vigil mdmh train' (default: the built-in harmful/normal model)")
	in := fs.String("in", "", "CSV with a header row")
	textCol := fs.String("text-column", "text", "column holding the text")
	idCol := fs.String("id-column", "id", "column identifying each row (copied to the output)")
	out := fs.String("out", "", "scored CSV to write: id,label,score")
	explain := fs.Int("explain", 0, "add a reasons column naming the N n-grams that drove each label (text=weight, strongest first)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" || *out == "" {
		return usageError{"need --in FILE.csv and --out SCORED.csv"}
	}
	m, err := loadModel(*modelPath)
	if err != nil {
		return err
	}
	header := []string{"id", "label", "score"}
	if *explain > 0 {
		header = append(header, "reasons")
	}
	return mapTextCSV(ctx, *in, *out, *idCol, *textCol, header, func(row textcsv.Row) ([]string, error) {
		if *explain > 0 {
			p, reasons := m.Explain(row.Fields[1], *explain)
			var rs []string
			for _, r := range reasons {
				rs = append(rs, r.Text+"="+strconv.FormatFloat(r.Weight, 'f', 3, 64))
			}
			return []string{row.Fields[0], p.Label, strconv.FormatFloat(p.Score, 'f', 4, 64), strings.Join(rs, "; ")}, nil
		}
		p := m.Predict(row.Fields[1])
		return []string{row.Fields[0], p.Label, strconv.FormatFloat(p.Score, 'f', 4, 64)}, nil
	})
}

// mapTextCSV reads the id and text columns of the CSV in, and writes to out
// (atomically: nothing on error) the header and one row per input row made
// by fn. It stops with ctx.
func mapTextCSV(ctx context.Context, in, out, idCol, textCol string, header []string, fn func(textcsv.Row) ([]string, error)) error {
	rd, f, err := openTextCSV(in, idCol, textCol)
	if err != nil {
		return err
	}
	defer f.Close()
	af, err := createAtomic(out)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(af.w)
	cw.Write(header)
	for n := 0; ; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			af.Abort()
			return ctx.Err()
		}
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err == nil {
			var rec []string
			if rec, err = fn(row); err == nil {
				err = cw.Write(rec)
			}
		}
		if err != nil {
			af.Abort()
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		af.Abort()
		return err
	}
	return af.Commit()
}

func runMDMHSplit(args []string, stderr io.Writer) error {
	fs := newFlags("mdmh split", stderr)
	in := fs.String("in", "", "labelled CSV with a header row")
	idCol := fs.String("id-column", "id", "column identifying each row")
	labelCol := fs.String("label-column", "label", "column holding the label (the split is stratified by it)")
	frac := fs.Float64("test-fraction", 0.2, "share of each label put in the test file")
	trainOut := fs.String("train-out", "", "CSV to write the training rows to (all columns)")
	testOut := fs.String("test-out", "", "CSV to write the test rows to (all columns)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" || *trainOut == "" || *testOut == "" || *frac <= 0 || *frac >= 1 {
		return usageError{"need --in FILE.csv, --train-out FILE, --test-out FILE and 0 < --test-fraction < 1"}
	}
	f, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer f.Close()
	cr := csv.NewReader(bufio.NewReader(f))
	recs, err := cr.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return fmt.Errorf("%s:%d: %v", *in, pe.Line, pe.Err)
		}
		return fmt.Errorf("%s: %w", *in, err)
	}
	if len(recs) == 0 {
		return fmt.Errorf("%s:1: empty file: want a header row", *in)
	}
	col := func(name string) (int, error) {
		for i, h := range recs[0] {
			if h == name {
				return i, nil
			}
		}
		return 0, fmt.Errorf("%s:1: missing column %q", *in, name)
	}
	ic, err := col(*idCol)
	if err != nil {
		return err
	}
	lc, err := col(*labelCol)
	if err != nil {
		return err
	}
	ids := make([]string, len(recs)-1)
	labels := make([]string, len(recs)-1)
	seen := map[string]int{}
	for i, r := range recs[1:] {
		ids[i], labels[i] = r[ic], r[lc]
		if j, dup := seen[r[ic]]; dup {
			return fmt.Errorf("%s:%d: id %q already on line %d", *in, i+2, r[ic], j+2)
		}
		seen[r[ic]] = i
	}
	test := classify.SplitByID(ids, labels, *frac)
	files := []*atomicFile{}
	for _, p := range []string{*trainOut, *testOut} {
		af, err := createAtomic(p)
		if err != nil {
			for _, a := range files {
				a.Abort()
			}
			return err
		}
		files = append(files, af)
	}
	ws := []*csv.Writer{csv.NewWriter(files[0].w), csv.NewWriter(files[1].w)}
	for _, w := range ws {
		w.Write(recs[0])
	}
	for i, r := range recs[1:] {
		if test[i] {
			ws[1].Write(r)
		} else {
			ws[0].Write(r)
		}
	}
	for i, w := range ws {
		w.Flush()
		if err := w.Error(); err != nil {
			files[0].Abort()
			files[1].Abort()
			return err
		}
		_ = i
	}
	if err := files[0].Commit(); err != nil {
		files[1].Abort()
		return err
	}
	return files[1].Commit()
}

// openTextCSV opens a CSV of texts with a buffered, line-numbered reader of
// the named columns (the mdmh subcommands' common input). Close the file.
func openTextCSV(path string, columns ...string) (*textcsv.Reader, *os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	rd, err := textcsv.NewReader(bufio.NewReaderSize(f, 1<<16), path, columns...)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return rd, f, nil
}
