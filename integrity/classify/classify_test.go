package classify

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/integrity/lexicon"
	"github.com/vigil-project/vigil/integrity/textcsv"
	"github.com/vigil-project/vigil/internal/shareddata"
)

// toy is a small, harmless three-label corpus: weather, market and road
// reports, with shared filler words so that only the topic words decide.
func toy() []Example {
	topics := map[string][]string{
		"weather": {"rain", "storm", "flood", "sunny", "clouds", "thunder"},
		"market":  {"prices", "sellers", "bread", "cassava", "traders", "stalls"},
		"road":    {"bridge", "convoy", "checkpoint", "trucks", "potholes", "detour"},
	}
	filler := []string{"today", "in", "the", "town", "people", "say", "again", "near", "river"}
	rng := rand.New(rand.NewPCG(7, 7))
	var ex []Example
	for _, label := range []string{"market", "road", "weather"} {
		n := 60
		if label == "road" {
			n = 20 // imbalanced on purpose
		}
		for i := 0; i < n; i++ {
			var w []string
			for j := 0; j < 6; j++ {
				w = append(w, filler[rng.IntN(len(filler))])
			}
			for j := 0; j < 2; j++ {
				w = append(w, topics[label][rng.IntN(len(topics[label]))])
			}
			rng.Shuffle(len(w), func(a, b int) { w[a], w[b] = w[b], w[a] })
			ex = append(ex, Example{Text: strings.Join(w, " "), Label: label})
		}
	}
	return ex
}

func TestTrainPredict(t *testing.T) {
	m, err := Train(toy(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ text, want string }{
		{"The bridge is closed and the convoy waits at the checkpoint", "road"},
		{"Heavy RAIN and thunder tonight, flood expected", "weather"},
		{"Bread prices went up, the traders complain at their stalls", "market"},
	}
	for _, tc := range tests {
		p := m.Predict(tc.text)
		if p.Label != tc.want || p.Score <= 0.5 || p.Score > 1 {
			t.Errorf("Predict(%q) = %s %.3f, want %s with score > 0.5", tc.text, p.Label, p.Score, tc.want)
		}
		var sum float64
		for _, v := range p.Probs {
			sum += v
		}
		if sum < 0.999 || sum > 1.001 {
			t.Errorf("probabilities sum to %v", sum)
		}
	}
}

func TestTrainErrors(t *testing.T) {
	for _, ex := range [][]Example{nil, {{Text: "a", Label: "x"}, {Text: "b", Label: "x"}}} {
		if _, err := Train(ex, Options{}); err == nil {
			t.Errorf("Train(%v) accepted", ex)
		}
	}
}

func TestCrossValidationPicksFromGrid(t *testing.T) {
	var logs []string
	m, err := Train(toy(), Options{CV: true, CGrid: []float64{0.01, 10}, Log: func(s string) { logs = append(logs, s) }})
	if err != nil {
		t.Fatal(err)
	}
	if m.C != 0.01 && m.C != 10 || len(logs) != 2 {
		t.Errorf("C = %v, logs %q", m.C, logs)
	}
}

func TestExplain(t *testing.T) {
	m, err := Train(toy(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := "people say the Convoy waits at the CHECKPOINT near the river"
	p, reasons := m.Explain(text, 5)
	if p.Label != "road" || len(reasons) == 0 {
		t.Fatalf("Explain: %s, %d reasons", p.Label, len(reasons))
	}
	found := false
	for _, r := range reasons {
		for _, s := range r.Spans {
			frag := strings.ToLower(text[s.Start:s.End])
			if !strings.Contains(frag, r.Text) && !strings.Contains(r.Text, frag) {
				t.Errorf("reason %q points at %q", r.Text, frag)
			}
		}
		if r.Text == "convoy" || r.Text == "checkpoint" {
			found = true
		}
		if r.Weight <= 0 {
			t.Errorf("reason %q has weight %v", r.Text, r.Weight)
		}
	}
	if !found {
		t.Errorf("reasons %+v do not name convoy or checkpoint", reasons)
	}
}

func TestSaveLoad(t *testing.T) {
	m, err := Train(toy(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range toy() {
		a, b := m.Predict(e.Text), m2.Predict(e.Text)
		if a.Label != b.Label || a.Score-b.Score > 1e-3 || b.Score-a.Score > 1e-3 {
			t.Fatalf("%q: %v before saving, %v after", e.Text, a, b)
		}
	}
	for _, bad := range [][]byte{nil, []byte("hello"), append([]byte(magic), 1, 2, 3), buf.Bytes()[:buf.Len()/2]} {
		if _, err := Load(bytes.NewReader(bad)); err == nil {
			t.Errorf("Load accepted %d bad bytes", len(bad))
		}
	}
}

// TestOffsetsSaveLoad: a hashed model with class offsets is written as
// version 2 and reads back with them; the offsets move the decision.
func TestOffsetsSaveLoad(t *testing.T) {
	m, err := Train(toy(), Options{C: 1, Dim: 1 << 12})
	if err != nil {
		t.Fatal(err)
	}
	text := "convoy near the bridge today"
	if got := m.Predict(text).Label; got != "road" {
		t.Fatalf("%q: %s without offsets, want road", text, got)
	}
	m.Offset = []float32{0, -20, 0} // market, road, weather: road is never chosen
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte(magic2)) {
		t.Fatalf("header %q, want %q", buf.Bytes()[:len(magic2)], magic2)
	}
	m2, err := Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(m2.Offset) != fmt.Sprint(m.Offset) {
		t.Fatalf("offsets %v after loading, want %v", m2.Offset, m.Offset)
	}
	if got := m2.Predict(text).Label; got == "road" {
		t.Fatalf("%q: still road with road's offset -20", text)
	}
	for _, bad := range []float32{float32(math.NaN()), 1e6} {
		m.Offset = []float32{0, bad, 0}
		buf.Reset()
		m.Save(&buf)
		if _, err := Load(bytes.NewReader(buf.Bytes())); err == nil {
			t.Errorf("Load accepted offset %v", bad)
		}
	}
}

// TestChooseOffsets: on logits whose plain argmax misses a rare class,
// the chosen offset recovers it; where argmax is already best, no offset.
func TestChooseOffsets(t *testing.T) {
	cases := []struct {
		name     string
		z        [][]float64
		y        []int
		wantMove bool
	}{
		{"rare class under-predicted", [][]float64{{1, 0.6}, {1, 0.7}, {1, 0.5}, {1, 0.2}, {1, 0.1}, {1, 0}, {0, 1}}, []int{1, 1, 1, 0, 0, 0, 1}, true},
		{"argmax already right", [][]float64{{1, 0}, {1, 0.2}, {0, 1}, {0.1, 1}}, []int{0, 0, 1, 1}, false},
	}
	for _, c := range cases {
		off, score := chooseOffsets(c.z, c.y, 2)
		plain := MacroF1(c.y, decideAll(c.z, nil), 2)
		if moved := off[1] != 0; moved != c.wantMove || off[0] != 0 {
			t.Errorf("%s: offsets %v", c.name, off)
		}
		if score < plain || MacroF1(c.y, decideAll(c.z, off), 2) != score {
			t.Errorf("%s: score %.3f, plain %.3f", c.name, score, plain)
		}
		if c.wantMove && score != 1 {
			t.Errorf("%s: score %.3f, want 1", c.name, score)
		}
	}
}

func FuzzLoad(f *testing.F) {
	m, err := Train(toy(), Options{C: 1})
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	m.Save(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte(magic))
	// A file holding an infinite intercept or weight scale (Save writes
	// them as they are).
	for _, v := range []float32{float32(math.Inf(1)), float32(math.NaN())} {
		bad := *m
		bad.B = append([]float32(nil), m.B...)
		bad.B[0] = v
		buf.Reset()
		bad.Save(&buf)
		f.Add(bytes.Clone(buf.Bytes()))
		bad.B[0] = m.B[0]
		bad.W = append([]float32(nil), m.W...)
		bad.W[0] = v
		buf.Reset()
		bad.Save(&buf)
		f.Add(bytes.Clone(buf.Bytes()))
	}
	texts := []string{"some text to classify", "bread prices at the market stalls", "storm and flood near the river", ""}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Load(bytes.NewReader(b))
		if err != nil {
			// A refusal says what is wrong with the file, and the part
			// at fault when the header was right.
			if msg := err.Error(); msg != "not a Vigil classifier model (bad header)" && !strings.HasPrefix(msg, "model: ") {
				t.Fatalf("refusal %q names no part of the model", msg)
			}
			return
		}
		// A model loaded is whole: its labels, weights and intercepts fit
		// together and each prediction is a probability distribution.
		K, cols := len(m.Labels), len(m.Feat)
		if len(m.Lexicon) > 0 {
			cols += NumLexiconFeatures
		}
		if K < 2 || len(m.B) != K || len(m.IDF) != len(m.Feat) || len(m.W) != cols*K {
			t.Fatalf("model of %d labels, %d intercepts, %d features, %d IDF, %d weights", K, len(m.B), len(m.Feat), len(m.IDF), len(m.W))
		}
		preds := make([]Prediction, len(texts))
		for i, text := range texts {
			preds[i] = m.Predict(text)
			checkPrediction(t, m, text, preds[i])
		}
		// Saved and loaded again, it predicts the same.
		var buf bytes.Buffer
		if err := m.Save(&buf); err != nil {
			t.Fatalf("a loaded model does not save: %v", err)
		}
		m2, err := Load(&buf)
		if err != nil {
			t.Fatalf("a loaded model, saved, does not load: %v", err)
		}
		for i, text := range texts {
			p := m2.Predict(text)
			if p.Label != preds[i].Label || math.Abs(p.Score-preds[i].Score) > 1e-3 {
				t.Fatalf("%q: %+v, saved and loaded %+v", text, preds[i], p)
			}
		}
	})
}

// checkPrediction fails t unless p is a prediction of one of m's labels
// with a probability for each label, summing to 1.
func checkPrediction(t *testing.T, m *Model, text string, p Prediction) {
	t.Helper()
	var sum float64
	for _, l := range m.Labels {
		v, ok := p.Probs[l]
		if !ok || !(v >= 0 && v <= 1) {
			t.Fatalf("%q: probability %v of %q (%v)", text, v, l, ok)
		}
		sum += v
	}
	if len(p.Probs) != len(m.Labels) || math.Abs(sum-1) > 1e-6 || p.Probs[p.Label] != p.Score || !slices.Contains(m.Labels, p.Label) {
		t.Fatalf("%q: prediction %+v of labels %q (sum %v)", text, p, m.Labels, sum)
	}
}

func FuzzExtract(f *testing.F) {
	f.Add("RT @x: héllo wörld https://t.co/x #tag")
	f.Add("\xff\xfe مرحبا")
	f.Fuzz(func(t *testing.T, s string) {
		for _, o := range extract(s, 1<<10, 0, nil) {
			if o.span.Start < 0 || o.span.End > len(s) || o.span.Start > o.span.End || o.bucket >= 2<<10 {
				t.Fatalf("bad occurrence %+v for %q", o, s)
			}
		}
		for _, feat := range []uint8{0, CharAcross} {
			for _, o := range extract(s, 0, feat, nil) {
				if o.span.Start < 0 || o.span.End > len(s) || o.span.Start > o.span.End || (o.kind == kindChar) != (o.bucket>>63 == 1) {
					t.Fatalf("bad occurrence %+v for %q (exact vocabulary, features %s)", o, s, FeatureName(feat))
				}
			}
		}
	})
}

func TestSplitByID(t *testing.T) {
	var ids, labels []string
	for i := 0; i < 103; i++ {
		ids = append(ids, fmt.Sprintf("x%d", i))
		labels = append(labels, []string{"a", "a", "b"}[i%3])
	}
	test := SplitByID(ids, labels, 0.2)
	n := map[string]int{}
	for i, te := range test {
		if te {
			n[labels[i]]++
		}
	}
	if n["a"] != 14 || n["b"] != 7 { // round(0.2·69) and round(0.2·34)
		t.Errorf("test counts %v, want a 14 b 7", n)
	}
	again := SplitByID(ids, labels, 0.2)
	for i := range test {
		if test[i] != again[i] {
			t.Fatal("split not deterministic")
		}
	}
}

func TestBuiltin(t *testing.T) {
	m, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(m.Labels, ",") != "harmful,normal" {
		t.Errorf("labels %v", m.Labels)
	}
	p := m.Predict("The health centre in Bria opens at eight tomorrow for vaccinations")
	if p.Label != "normal" {
		t.Errorf("a clinic announcement scored %v", p)
	}
}

func readLabelled(tb testing.TB, rel string) []Example {
	f := shareddata.Open(tb, rel)
	p := f.Name()
	rd, err := textcsv.NewReader(bufio.NewReader(f), p, "id", "text", "label")
	if err != nil {
		tb.Fatal(err)
	}
	var ex []Example
	for {
		row, err := rd.Next()
		if err == io.EOF {
			return ex
		}
		if err != nil {
			tb.Fatal(err)
		}
		ex = append(ex, Example{Text: row.Fields[1], Label: row.Fields[2]})
	}
}

// TestSharedArabic trains on 80% of the MLMA Arabic file and checks the
// held-out macro-F1 is well above the majority-class baseline (0.42).
func TestSharedArabic(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model")
	}
	ex := readLabelled(t, "mdmh/mlma2019_ar_train.csv")
	ids := make([]string, len(ex))
	labels := make([]string, len(ex))
	for i, e := range ex {
		ids[i], labels[i] = fmt.Sprint(i), e.Label
	}
	test := SplitByID(ids, labels, 0.2)
	var tr, te []Example
	for i, e := range ex {
		if test[i] {
			te = append(te, e)
		} else {
			tr = append(tr, e)
		}
	}
	m, err := Train(tr, Options{C: 0.3})
	if err != nil {
		t.Fatal(err)
	}
	li := map[string]int{}
	for i, l := range m.Labels {
		li[l] = i
	}
	var truth, pred []int
	for _, e := range te {
		truth = append(truth, li[e.Label])
		pred = append(pred, li[m.Predict(e.Text).Label])
	}
	f1 := MacroF1(truth, pred, len(m.Labels))
	t.Logf("MLMA Arabic, held-out macro-F1 %.4f", f1)
	if f1 < 0.6 {
		t.Errorf("macro-F1 %.4f < 0.6", f1)
	}
}

// BenchmarkClassify measures Predict over real posts with the built-in model.
func BenchmarkClassify(b *testing.B) {
	ex := readLabelled(b, "mdmh/mlma2019_fr_train.csv")
	m, err := Builtin()
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		m.Predict(ex[i%len(ex)].Text)
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "items/s")
}

// TestFeatureVariants: with CharAcross, character n-grams cross word
// boundaries ("b c" in "ab cd"), without it they stay inside a word; a
// model of any variant is saved (version 3 when not the default) and read
// back with the same variant and predictions.
func TestFeatureVariants(t *testing.T) {
	const dim = 1 << 12
	bucket := func(s string) uint64 { return charKey(hashString(kindChar, s), dim) }
	has := func(occ []occurrence, b uint64) bool {
		for _, o := range occ {
			if o.kind == kindChar && o.bucket == b {
				return true
			}
		}
		return false
	}
	text := "xy Ab cd https://t.co/z"
	for _, tc := range []struct {
		feat          uint8
		cross, inWord bool
	}{{0, false, true}, {CharAcross, true, true}, {CharAcross | RawTF, true, true}} {
		occ := extract(text, dim, tc.feat, nil)
		if has(occ, bucket("b c")) != tc.cross || has(occ, bucket(" ab ")) != tc.inWord {
			t.Errorf("features %s: 'b c' %v, ' ab ' %v", FeatureName(tc.feat), has(occ, bucket("b c")), has(occ, bucket(" ab ")))
		}
		if has(occ, bucket("t.co")) {
			t.Errorf("features %s: character n-grams of a URL", FeatureName(tc.feat))
		}
		for _, o := range occ {
			if o.kind == kindChar && strings.TrimSpace(text[o.span.Start:o.span.End]) != text[o.span.Start:o.span.End] {
				t.Errorf("features %s: span %q starts or ends with a space", FeatureName(tc.feat), text[o.span.Start:o.span.End])
			}
		}
	}
	for _, feat := range []uint8{0, CharAcross, RawTF, CharAcross | RawTF} {
		m, err := Train(toy(), Options{C: 1, Features: feat, Dim: dim})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := m.Save(&buf); err != nil {
			t.Fatal(err)
		}
		if want := feat != 0; bytes.HasPrefix(buf.Bytes(), []byte(magic3)) != want {
			t.Errorf("features %s: header %q", FeatureName(feat), buf.Bytes()[:len(magic3)])
		}
		m2, err := Load(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if m2.Features != feat {
			t.Errorf("features %d after loading, want %d", m2.Features, feat)
		}
		for _, e := range toy()[:40] {
			a, b := m.Predict(e.Text), m2.Predict(e.Text)
			if a.Label != b.Label || math.Abs(a.Score-b.Score) > 1e-3 {
				t.Fatalf("features %s, %q: %v before saving, %v after", FeatureName(feat), e.Text, a, b)
			}
		}
	}
}

// TestSampleWeights: balanced class weights are computed within each
// group; one group gives scikit-learn's n / (k · count); a group of one
// label (background text) weighs at most a tenth of the other examples.
func TestSampleWeights(t *testing.T) {
	cases := []struct {
		name      string
		y, groups []int
		want      []float64
	}{
		{"one group", []int{0, 0, 0, 1}, []int{0, 0, 0, 0}, []float64{4.0 / 6, 4.0 / 6, 4.0 / 6, 2}},
		{"two groups", []int{0, 0, 0, 1, 0, 1}, []int{0, 0, 0, 0, 1, 1}, []float64{4.0 / 6, 4.0 / 6, 4.0 / 6, 2, 1, 1}},
		{"background: a group of one class", []int{0, 1, 1, 1}, []int{0, 0, 1, 1}, []float64{1, 1, 0.1, 0.1}},
		{"background, small", make([]int, 1+40), append(make([]int, 1), slices.Repeat([]int{1}, 40)...), append([]float64{1}, slices.Repeat([]float64{0.1 * 1 / 40.0}, 40)...)},
		{"background beside many examples", []int{0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1}, append(make([]int, 20), 1), append(slices.Repeat([]float64{1}, 20), 1)},
	}
	for _, c := range cases {
		got := sampleWeights(c.y, c.groups, 2, false)
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-12 {
				t.Errorf("%s: weights %v, want %v", c.name, got, c.want)
				break
			}
		}
	}
}

// TestBuiltinBenign: benign text in the three languages the built-in model
// scores is not flagged: article 1 of the Universal Declaration of Human
// Rights in French (scored 0.55 harmful before the model learnt from
// background text), and every paragraph of articles 21–30 in Arabic,
// English and French, which the model never saw (the language
// identifier's held-out test text).
func TestBuiltinBenign(t *testing.T) {
	m, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"Tous les êtres humains naissent libres et égaux en dignité et en droits. Ils sont doués de raison et de conscience et doivent agir les uns envers les autres dans un esprit de fraternité."}
	b, err := os.ReadFile("../langid/testdata/udhr_heldout.tsv")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) == 3 && (parts[0] == "arb" || parts[0] == "eng" || parts[0] == "fra") {
			texts = append(texts, parts[2])
		}
	}
	if len(texts) != 1+63 {
		t.Fatalf("%d texts, want 64", len(texts))
	}
	for _, text := range texts {
		if p := m.Predict(text); p.Label != "normal" || p.Probs["harmful"] >= 0.5 {
			t.Errorf("benign %q scored %.3f harmful", text, p.Probs["harmful"])
		}
	}
	// Measured, not asserted (docs/benchmarks/integrity.md): Vigil's own
	// interface strings of 20 bytes or more, benign text of another kind.
	for _, lang := range []string{"en", "fr"} {
		files, _ := filepath.Glob("../../web/ui/i18n/*." + lang + ".json")
		n, flagged := 0, 0
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var strs map[string]string
			if err := json.Unmarshal(b, &strs); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			for _, v := range strs {
				if len(v) < 20 {
					continue
				}
				n++
				if m.Predict(v).Label != "normal" {
					flagged++
				}
			}
		}
		t.Logf("interface strings (%s) flagged harmful: %d of %d", lang, flagged, n)
	}
}

// TestExactVocabulary: with Dim 0 (the default) every n-gram seen in
// training has its own column, an n-gram never seen in training changes
// nothing (scikit-learn's TfidfVectorizer drops it), and the model is
// written as version 4 and read back with the same predictions. With a
// small hash (Dim 64) the unseen n-grams fall into trained buckets and do
// move the scores: the defect the exact vocabulary removes.
func TestExactVocabulary(t *testing.T) {
	const unseen = " ζζζζ ψψψ"
	for _, tc := range []struct {
		name       string
		dim        uint32
		feat       uint8
		head       string
		unseenMove bool
	}{
		{"exact wb", 0, 0, magic4, false},
		{"exact char+rawtf", 0, CharAcross | RawTF, magic4, false},
		{"hashed 64", 64, 0, magic, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Train(toy(), Options{C: 1, Dim: tc.dim, Features: tc.feat, NoOffsets: true})
			if err != nil {
				t.Fatal(err)
			}
			if tc.dim == 0 {
				// distinct keys, one per training n-gram
				seen := map[uint64]bool{}
				var occ []occurrence
				for _, e := range toy() {
					for _, o := range extract(e.Text, 0, tc.feat, occ[:0]) {
						seen[o.bucket] = true
						if (o.kind == kindChar) != (o.bucket>>63 == 1) {
							t.Fatalf("key %x of kind %d", o.bucket, o.kind)
						}
					}
				}
				if len(m.Feat) != len(seen) {
					t.Errorf("%d columns for %d distinct n-grams", len(m.Feat), len(seen))
				}
			}
			moved := false
			for _, e := range toy()[:20] {
				a, b := m.Predict(e.Text), m.Predict(e.Text+unseen)
				if math.Abs(a.Score-b.Score) > 1e-12 {
					moved = true
				}
			}
			if moved != tc.unseenMove {
				t.Errorf("unseen n-grams moved the scores: %v, want %v", moved, tc.unseenMove)
			}
			var buf bytes.Buffer
			if err := m.Save(&buf); err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(buf.Bytes(), []byte(tc.head)) {
				t.Fatalf("header %q, want %q", buf.Bytes()[:len(tc.head)], tc.head)
			}
			m2, err := Load(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if m2.Dim != tc.dim || m2.Features != tc.feat || len(m2.Feat) != len(m.Feat) {
				t.Fatalf("loaded dim %d features %d columns %d, want %d %d %d", m2.Dim, m2.Features, len(m2.Feat), tc.dim, tc.feat, len(m.Feat))
			}
			for _, e := range toy() {
				a, b := m.Predict(e.Text), m2.Predict(e.Text)
				if a.Label != b.Label || math.Abs(a.Score-b.Score) > 1e-3 {
					t.Fatalf("%q: %v before saving, %v after", e.Text, a, b)
				}
			}
		})
	}
}

// TestOneVsRest: with OneVsRest each label's logit is that of a binary
// model of the label against all the others (the same as training a
// two-label model on relabelled examples with C halved: a two-label
// softmax is a binary model with C doubled); the decision is the highest;
// two labels have one model only; cross-validation with OneVsRestGrid tries
// both kinds.
func TestOneVsRest(t *testing.T) {
	const c = 2.0
	ovr, err := Train(toy(), Options{C: c, OneVsRest: true})
	if err != nil {
		t.Fatal(err)
	}
	multi, err := Train(toy(), Options{C: c})
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"The bridge is closed and the convoy waits at the checkpoint", "Heavy RAIN and thunder tonight, flood expected", "Bread prices went up at the stalls", "people say the river is near"}
	for k, label := range ovr.Labels {
		var rel []Example
		for _, e := range toy() {
			if e.Label != label {
				e.Label = "~rest" // sorts after every label
			}
			rel = append(rel, e)
		}
		bin, err := Train(rel, Options{C: c / 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, text := range texts {
			occ := extract(text, 0, 0, nil)
			zb := bin.logitsOf(bin.weighted(text, occ))
			zo := ovr.logitsOf(ovr.weighted(text, occ))
			if math.Abs((zb[0]-zb[1])-zo[k]) > 1e-4 {
				t.Errorf("%q: one-vs-rest logit of %s %.5f, binary model %.5f", text, label, zo[k], zb[0]-zb[1])
			}
		}
	}
	for _, tc := range []struct{ text, want string }{{texts[0], "road"}, {texts[1], "weather"}, {texts[2], "market"}} {
		if got := ovr.Predict(tc.text).Label; got != tc.want {
			t.Errorf("one-vs-rest: %q is %s, want %s", tc.text, got, tc.want)
		}
	}
	differ := false
	for i := range ovr.W {
		if math.Abs(float64(ovr.W[i]-multi.W[i])) > 1e-3 {
			differ = true
		}
	}
	if !differ {
		t.Error("one-vs-rest weights are the multinomial model's")
	}
	// two labels: OneVsRest changes nothing
	var two []Example
	for _, e := range toy() {
		if e.Label != "road" {
			two = append(two, e)
		}
	}
	a, _ := Train(two, Options{C: c})
	b, _ := Train(two, Options{C: c, OneVsRest: true})
	if fmt.Sprint(a.W) != fmt.Sprint(b.W) || fmt.Sprint(a.B) != fmt.Sprint(b.B) {
		t.Error("two labels: one-vs-rest differs from the multinomial model")
	}
	// cross-validation tries both kinds with every C (three labels), one
	// kind with two labels
	for _, tc := range []struct {
		name string
		ex   []Example
		logs int
	}{{"three labels", toy(), 4}, {"two labels", two, 2}} {
		var logs []string
		if _, err := Train(tc.ex, Options{CV: true, CGrid: []float64{0.5, 4}, OneVsRestGrid: []bool{false, true}, Log: func(s string) { logs = append(logs, s) }}); err != nil {
			t.Fatal(err)
		}
		kinds := map[bool]bool{}
		for _, l := range logs {
			kinds[strings.Contains(l, "model=one-vs-rest")] = true
		}
		if len(logs) != tc.logs || len(kinds) != tc.logs/2 {
			t.Errorf("%s: cross-validation logged %q", tc.name, logs)
		}
	}
}

// TestLexiconFeatures: the lexicon-hit features of a text, matched as the
// lexicon package matches (case, accents, repeated letters folded;
// multi-word terms), one count per place.
func TestLexiconFeatures(t *testing.T) {
	lex := lexicon.New([]lexicon.Entry{
		{Term: "vermin", Language: "en", Severity: 3},
		{Term: "go back home", Language: "en", Severity: 1},
		{Term: "cafard", Variants: []string{"cafards"}, Language: "fr", Severity: 2},
	})
	tests := []struct {
		text      string
		want      [NumLexiconFeatures]float64
		wantPlace []string
	}{
		{"the market opens at nine", [3]float64{0, 0, 0}, nil},
		{"they are VERMIIIN", [3]float64{1.0 / 3, 1, 1}, []string{"VERMIIIN"}},
		{"Go back home now", [3]float64{1.0 / 3, 1.0 / 3, 1}, []string{"Go back home"}},
		{"des cafards, go back home", [3]float64{2.0 / 3, 2.0 / 3, 1}, []string{"cafards", "go back home"}},
		{"vermin vermin vermin vermin", [3]float64{1, 1, 1}, []string{"vermin", "vermin", "vermin", "vermin"}},
	}
	for _, tc := range tests {
		f, places := LexiconFeatures(lex, tc.text)
		var got []string
		for _, p := range places {
			got = append(got, tc.text[p.Start:p.End])
		}
		if f != tc.want || !slices.Equal(got, tc.wantPlace) {
			t.Errorf("%q: features %v places %q, want %v %q", tc.text, f, got, tc.want, tc.wantPlace)
		}
	}
	if f, places := LexiconFeatures(nil, "vermin"); f != [3]float64{} || places != nil {
		t.Errorf("no lexicon: %v %v", f, places)
	}
}

// TestHarmfulTerms: the starter lexicon's search keywords (topics, not
// harmful by themselves) are left out; every other entry is kept.
func TestHarmfulTerms(t *testing.T) {
	in := []lexicon.Entry{
		{Term: "refugees", Language: "en", Severity: 1, MeaningCode: lexicon.MeaningKeyword},
		{Term: "vermin", Language: "en", Severity: 3, MeaningCode: lexicon.MeaningNgram, MeaningPct: 80},
		{Term: "cafard", Language: "fr", Severity: 2, Meaning: "cockroach, said of people"},
	}
	var got []string
	for _, e := range HarmfulTerms(in) {
		got = append(got, e.Term)
	}
	if want := []string{"vermin", "cafard"}; !slices.Equal(got, want) {
		t.Errorf("HarmfulTerms: %q, want %q", got, want)
	}
	if n := len(HarmfulTerms(lexicon.Starter())); n == 0 {
		t.Error("the starter lexicon has no harmful terms")
	}
}

// TestLexiconModel: a model trained with a lexicon learns from its hits
// (texts whose only sign of a label is a lexicon term never seen in
// training), keeps the lexicon through Save/Load, and Explain names the
// term matched.
func TestLexiconModel(t *testing.T) {
	lex := []lexicon.Entry{
		{Term: "bridge", Language: "en", Severity: 3},
		{Term: "convoy", Language: "en", Severity: 3},
		{Term: "checkpoint", Language: "en", Severity: 3},
		{Term: "roadblock", Language: "en", Severity: 3}, // in no training text
	}
	m, err := Train(toy(), Options{C: 1, Lexicon: lex})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Train(toy(), Options{C: 1})
	if err != nil {
		t.Fatal(err)
	}
	text := "people say roadblock near the river today"
	if a, b := m.Predict(text).Probs["road"], plain.Predict(text).Probs["road"]; a <= b {
		t.Errorf("%q: P(road) %.3f with the lexicon, %.3f without: the lexicon hit should raise it", text, a, b)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), magic5) {
		t.Errorf("saved as %q, want version 5", buf.String()[:len(magic5)])
	}
	m2, err := Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if len(m2.Lexicon) != len(lex) || m2.Lexicon[3].Term != "roadblock" || m2.Lexicon[3].Severity != 3 {
		t.Fatalf("lexicon after Load: %+v", m2.Lexicon)
	}
	for _, e := range append(toy(), Example{Text: text}) {
		a, b := m.Predict(e.Text), m2.Predict(e.Text)
		if a.Label != b.Label || math.Abs(a.Score-b.Score) > 1e-3 {
			t.Fatalf("%q: %v before saving, %v after", e.Text, a, b)
		}
	}
	_, reasons := m2.Explain("the convoy waits", 5)
	found := false
	for _, r := range reasons {
		if r.Kind == "lexicon" && r.Text == "lexicon: convoy" && len(r.Spans) == 1 && r.Spans[0] == (Span{4, 10}) {
			found = true
		}
	}
	if !found {
		t.Errorf("Explain: no lexicon reason for 'convoy': %+v", reasons)
	}
	if _, err := Load(bytes.NewReader(buf.Bytes()[:buf.Len()-20])); err == nil {
		t.Error("Load accepted a truncated version 5 model")
	}
	// a lexicon needs an exact vocabulary
	h, err := Train(toy(), Options{C: 1, Dim: 1 << 10, Lexicon: lex})
	if err == nil {
		err = h.Save(io.Discard)
	}
	if err == nil {
		t.Error("a hashed model with a lexicon was trained and saved")
	}
}
