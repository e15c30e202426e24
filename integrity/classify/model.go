// Package classify is Vigil's harmful-speech classifier.
//
// It covers a logistic regression (multinomial or one-vs-rest) over
// TF-IDF-weighted word 1–2-grams and character 2–5-grams (an exact vocabulary,
// or hash buckets), trained here deterministically, serialised compactly and
// able to say which n-grams drove a score.
package classify

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/vigil-project/vigil/integrity/lexicon"
)

// Example is one labelled text.
type Example struct {
	Text  string
	Label string
	// Group, if set, is where the example comes from (a data set, a
	// language): balanced class weights are then computed within each
	// group, so a group's share of each label is not learnt as a property
	// of the group (its language, its words).
	Group string
}

// Options controls training. The zero value is the default.
type Options struct {
	// Dim is the number of hash buckets per block (word, character); a power
	// of two is not required. Zero (the default) is an exact vocabulary: each
	// n-gram seen in training is its own feature (keyed by its 64-bit hash,
	// so no two n-grams of the training data share a column in practice),
	// and n-grams not seen in training are dropped, as scikit-learn's
	// TfidfVectorizer does.
	Dim uint32
	// C is the inverse L2 regularisation strength (scikit-learn's C); zero
	// means DefaultC. Ignored when CV is set.
	C float64
	// CV chooses C among CGrid by stratified k-fold cross-validation
	// (macro-F1) on the training examples before the final fit.
	CV bool
	// CGrid is the list of C values cross-validation tries (default
	// DefaultCGrid).
	CGrid []float64
	// Folds is the number of cross-validation folds (default 3).
	Folds int
	// MinDF drops features seen in fewer training documents (default 1: keep all).
	MinDF int
	// MaxIter bounds L-BFGS iterations (default 400).
	MaxIter int
	// Unbalanced turns off balanced class weights (n / (k · count(class))).
	Unbalanced bool
	// NoOffsets keeps the plain argmax: with CV, per-class logit offsets
	// are otherwise chosen on the out-of-fold predictions (Model.Offset).
	NoOffsets bool
	// Features picks the feature variant (CharAcross, RawTF; 0: character
	// n-grams inside words, sublinear tf). Ignored when FeatureGrid is set.
	Features uint8
	// FeatureGrid, with CV, lets cross-validation choose the feature
	// variant too (every C of CGrid with every variant).
	FeatureGrid []uint8
	// OneVsRest, with three labels or more, fits one binary model per label
	// (that label against all the others, balanced class weights computed
	// on the binary labels, as scikit-learn's multi_class="ovr" and
	// Davidson et al.'s published model do) instead of one multinomial
	// model; C is then each binary model's. The decision is the label of
	// highest binary logit (+ offset).
	OneVsRest bool
	// OneVsRestGrid, with CV, lets cross-validation choose between the
	// multinomial model (false) and one-vs-rest (true), with every C and
	// feature variant. Two labels have one model only (multinomial).
	OneVsRestGrid []bool
	// Lexicon, if not empty, adds lexicon-hit features: how many places of
	// the text match one of its entries (capped at 3, scaled to [0, 1]), the
	// highest severity matched (/3) and whether any matched (see
	// LexiconFeatures). The model keeps the entries (Model.Lexicon).
	Lexicon []lexicon.Entry
	// Seed fixes the cross-validation fold assignment (default 1).
	Seed uint64
	// Log, if set, receives progress lines (cross-validation scores).
	Log func(string)
}

// DefaultCGrid is the regularisation grid tried by cross-validation.
var DefaultCGrid = []float64{0.1, 0.3, 1, 4}

// DefaultC is the regularisation used without cross-validation; it was
// chosen by cross-validation inside the training splits of the four shared
// data sets (docs/benchmarks/integrity.md records the runs).
const DefaultC = 1.0

// Model is a trained classifier. Its methods are safe for concurrent use.
type Model struct {
	Labels []string // class names, sorted
	Dim    uint32   // hash buckets per block; 0: exact vocabulary (Options.Dim)
	C      float64  // the C it was trained with
	// Features is the feature variant (CharAcross, RawTF) it was trained with.
	Features uint8
	Feat     []uint64 // sorted feature keys with a column (word n-grams before character n-grams; see occurrence)
	IDF      []float32
	W        []float32 // len(Feat)·K, column-major: W[col*K+k]
	B        []float32 // K intercepts
	// Offset is added to each class's logit before the decision (nil:
	// none): per-class thresholds chosen, with cross-validation, on the
	// out-of-fold predictions of the training examples (see Train).
	Offset []float32

	// Lexicon holds the entries of the lexicon-hit features (nil: none):
	// their columns follow the n-grams' (Feat), unweighted, unnormalised
	// (see Options.Lexicon).
	Lexicon []lexicon.Entry

	lex   *lexicon.Lexicon // Lexicon compiled (built on load)
	col   map[uint64]int32 // feature key → column (built on load)
	nWord int32            // columns [0, nWord) are word n-grams, the others character n-grams
}

func (o *Options) defaults() {
	if len(o.CGrid) == 0 {
		o.CGrid = DefaultCGrid
	}
	if o.C <= 0 {
		o.C = DefaultC
	}
	if o.Folds < 2 {
		o.Folds = 3
	}
	if o.MinDF < 1 {
		o.MinDF = 1
	}
	if o.MaxIter <= 0 {
		o.MaxIter = 400
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
}

// doc is a document's raw feature counts.
type doc []term

func featurize(texts []string, dim uint32, feat uint8, lex *lexicon.Lexicon) []doc {
	docs := make([]doc, len(texts))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var occ []occurrence
			for i := w; i < len(texts); i += workers {
				occ = extract(texts[i], dim, feat, occ[:0])
				docs[i] = appendLexicon(slices.Clone(countTerms(occ, nil, nil)), lex, texts[i])
			}
		}(w)
	}
	wg.Wait()
	return docs
}

// Train fits a model on examples (two labels or more). With Options.CV, C is
// chosen by stratified k-fold cross-validation (macro-F1) inside the
// examples, then the model is refitted on all of them.
func Train(examples []Example, opt Options) (*Model, error) {
	opt.defaults()
	if len(examples) == 0 {
		return nil, errors.New("no training examples")
	}
	if len(opt.Lexicon) > 0 && opt.Dim != 0 {
		return nil, errors.New("lexicon-hit features need an exact vocabulary (Dim 0)")
	}
	labelSet := map[string]bool{}
	for _, e := range examples {
		labelSet[e.Label] = true
	}
	if len(labelSet) < 2 {
		return nil, fmt.Errorf("need two labels or more, have %d", len(labelSet))
	}
	labels := slices.Sorted(maps.Keys(labelSet))
	li := map[string]int{}
	for i, l := range labels {
		li[l] = i
	}
	texts := make([]string, len(examples))
	y := make([]int, len(examples))
	groups := make([]int, len(examples))
	gi := map[string]int{}
	for i, e := range examples {
		texts[i] = e.Text
		y[i] = li[e.Label]
		g, ok := gi[e.Group]
		if !ok {
			g = len(gi)
			gi[e.Group] = g
		}
		groups[i] = g
	}
	c, feat := opt.C, opt.Features
	grid := opt.FeatureGrid
	if !opt.CV || len(grid) == 0 {
		grid = []uint8{feat}
	}
	modes := opt.OneVsRestGrid
	if !opt.CV || len(modes) == 0 || len(labels) < 3 {
		modes = []bool{opt.OneVsRest && len(labels) >= 3}
	}
	ovr := modes[0]
	var lex *lexicon.Lexicon
	if len(opt.Lexicon) > 0 {
		lex = lexicon.New(opt.Lexicon)
	}
	var docs []doc
	var offset []float64
	if opt.CV {
		folds := StratifiedFolds(y, opt.Folds, opt.Seed)
		best := -1.0
		for _, fv := range grid {
			docs = featurize(texts, opt.Dim, fv, lex)
			for _, mode := range modes {
				fo := opt
				fo.OneVsRest = mode
				for _, cand := range opt.CGrid {
					// out-of-fold logits: each example scored by the model
					// fitted without its fold
					oof := make([][]float64, len(y))
					for f := 0; f < opt.Folds; f++ {
						var tr, te []int
						for i, fi := range folds {
							if fi == f {
								te = append(te, i)
							} else {
								tr = append(tr, i)
							}
						}
						m := fit(pick(docs, tr), pickInt(y, tr), pickInt(groups, tr), labels, fo, cand, fv)
						for _, i := range te {
							oof[i] = m.logits(docs[i])
						}
					}
					plain := MacroF1(y, decideAll(oof, nil), len(labels))
					score := plain
					var o []float64
					if !opt.NoOffsets {
						o, score = chooseOffsets(oof, y, len(labels))
					}
					if opt.Log != nil {
						opt.Log(fmt.Sprintf("cross-validation: features=%s model=%s C=%g macro-F1=%.4f, with class offsets %s %.4f (per class %s)",
							FeatureName(fv), ModelName(mode), cand, plain, fmtOffsets(o), score, fmtPerClass(y, decideAll(oof, o), labels)))
					}
					if score > best+1e-9 {
						best, c, feat, ovr, offset = score, cand, fv, mode, o
					}
				}
			}
		}
	}
	opt.OneVsRest = ovr
	if docs == nil || len(grid) > 1 && feat != grid[len(grid)-1] {
		docs = featurize(texts, opt.Dim, feat, lex)
	}
	m := fit(docs, y, groups, labels, opt, c, feat)
	if offset != nil {
		m.Offset = make([]float32, len(offset))
		for k, v := range offset {
			m.Offset[k] = float32(v)
		}
	}
	return m, nil
}

// decideAll is the class of highest logit + offset (nil: none) of each row.
func decideAll(z [][]float64, offset []float64) []int {
	pred := make([]int, len(z))
	for i, zi := range z {
		best, bv := 0, math.Inf(-1)
		for k, v := range zi {
			if offset != nil {
				v += offset[k]
			}
			if v > bv {
				best, bv = k, v
			}
		}
		pred[i] = best
	}
	return pred
}

// chooseOffsets picks per-class logit offsets (the first class's fixed at
// 0) maximising macro-F1 of the out-of-fold logits z against y: a grid of
// step 0.05 in [-3, 3], one class at a time, three rounds; among equal
// scores the offset nearest 0 wins, so nothing moves without a gain.
func chooseOffsets(z [][]float64, y []int, K int) ([]float64, float64) {
	off := make([]float64, K)
	best := MacroF1(y, decideAll(z, off), K)
	for round := 0; round < 3; round++ {
		moved := false
		for k := 1; k < K; k++ {
			keep := off[k]
			bestV, bestS := keep, best
			for step := -60; step <= 60; step++ {
				v := float64(step) * 0.05
				off[k] = v
				s := MacroF1(y, decideAll(z, off), K)
				if s > bestS+1e-12 || (s > bestS-1e-12 && math.Abs(v) < math.Abs(bestV)) {
					bestV, bestS = v, s
				}
			}
			off[k] = bestV
			if bestV != keep {
				moved = true
			}
			best = bestS
		}
		if !moved {
			break
		}
	}
	return off, best
}

// FeatureName names a feature variant for logs: "wb" (character n-grams
// inside words) or "char" (across words), "+rawtf" with raw counts.
func FeatureName(f uint8) string {
	n := "wb"
	if f&CharAcross != 0 {
		n = "char"
	}
	if f&RawTF != 0 {
		n += "+rawtf"
	}
	return n
}

// ModelName names the model kind for logs: "multinomial" or "one-vs-rest".
func ModelName(oneVsRest bool) string {
	if oneVsRest {
		return "one-vs-rest"
	}
	return "multinomial"
}

// ParseFeatures reads a FeatureName.
func ParseFeatures(name string) (uint8, bool) {
	for f := uint8(0); f <= featAll; f++ {
		if FeatureName(f) == name {
			return f, true
		}
	}
	return 0, false
}

func fmtPerClass(y, pred []int, labels []string) string {
	parts := make([]string, len(labels))
	for k, l := range labels {
		p, r, _ := PrecisionRecall(y, pred, k)
		parts[k] = fmt.Sprintf("%s %.3f", l, F1(p, r))
	}
	return strings.Join(parts, ", ")
}

func fmtOffsets(o []float64) string {
	if o == nil {
		return "none"
	}
	parts := make([]string, len(o))
	for i, v := range o {
		parts[i] = fmt.Sprintf("%+.2f", v)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func pick(d []doc, idx []int) []doc {
	out := make([]doc, len(idx))
	for i, j := range idx {
		out[i] = d[j]
	}
	return out
}

func pickInt(d []int, idx []int) []int {
	out := make([]int, len(idx))
	for i, j := range idx {
		out[i] = d[j]
	}
	return out
}

// StratifiedFolds assigns each example a fold in [0, k), class by class, after
// a seeded shuffle, so every fold has the classes in the same proportions.
func StratifiedFolds(y []int, k int, seed uint64) []int {
	byClass := map[int][]int{}
	for i, c := range y {
		byClass[c] = append(byClass[c], i)
	}
	classes := slices.Sorted(maps.Keys(byClass))
	folds := make([]int, len(y))
	rng := splitmix(seed)
	next := 0
	for _, c := range classes {
		idx := byClass[c]
		for i := len(idx) - 1; i > 0; i-- {
			j := int(rng() % uint64(i+1))
			idx[i], idx[j] = idx[j], idx[i]
		}
		for _, i := range idx {
			folds[i] = next % k
			next++
		}
	}
	return folds
}

func splitmix(seed uint64) func() uint64 {
	s := seed
	return func() uint64 {
		s += 0x9E3779B97F4A7C15
		z := s
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
		z = (z ^ (z >> 27)) * 0x94D049BB133111EB
		return z ^ (z >> 31)
	}
}

// fit trains one model with a fixed C: multinomial, or one binary model
// per label with Options.OneVsRest.
func fit(docs []doc, y, groups []int, labels []string, opt Options, c float64, feat uint8) *Model {
	K := len(labels)
	if !opt.OneVsRest || K < 3 {
		return fitMultinomial(docs, y, groups, labels, opt, c, feat)
	}
	var m *Model
	yk := make([]int, len(y))
	for k := range labels {
		for i, v := range y {
			yk[i] = 0
			if v == k {
				yk[i] = 1
			}
		}
		// a two-label softmax with L2 on both columns is the binary
		// logistic regression of w1 − w0 with C doubled: c/2 keeps C the
		// binary model's, as scikit-learn's
		b := fitMultinomial(docs, yk, groups, []string{"rest", labels[k]}, opt, c/2, feat)
		if m == nil {
			// the same documents: the same columns and idf for every label
			m = &Model{Labels: labels, Dim: b.Dim, C: c, Features: feat, Feat: b.Feat, IDF: b.IDF, W: make([]float32, len(b.W)/2*K), B: make([]float32, K), Lexicon: b.Lexicon, lex: b.lex, col: b.col, nWord: b.nWord}
		}
		for j := range len(b.W) / 2 {
			m.W[j*K+k] = b.W[j*2+1] - b.W[j*2]
		}
		m.B[k] = b.B[1] - b.B[0]
	}
	return m
}

func fitMultinomial(docs []doc, y, groups []int, labels []string, opt Options, c float64, feat uint8) *Model {
	K := len(labels)
	n := len(docs)
	// document frequencies
	df := map[uint64]int{}
	for _, d := range docs {
		for _, t := range d {
			if t.kind != kindLex {
				df[t.bucket]++
			}
		}
	}
	cols := make([]uint64, 0, len(df))
	for f, cnt := range df {
		if cnt >= opt.MinDF {
			cols = append(cols, f)
		}
	}
	slices.Sort(cols)
	m := &Model{Labels: labels, Dim: opt.Dim, C: c, Features: feat, Feat: cols, IDF: make([]float32, len(cols)), B: make([]float32, K)}
	if len(opt.Lexicon) > 0 {
		m.Lexicon = opt.Lexicon
	}
	for i, f := range cols {
		// scikit-learn's smooth idf: ln((1+n)/(1+df)) + 1
		m.IDF[i] = float32(math.Log(float64(1+n)/float64(1+df[f])) + 1)
	}
	m.buildIndex()
	// vectorise
	type row struct {
		cols []int32
		vals []float64
	}
	rows := make([]row, n)
	for i, d := range docs {
		cols, vals := m.vectorize(d, nil, nil)
		rows[i] = row{cols, vals}
	}
	sw := sampleWeights(y, groups, K, opt.Unbalanced)
	P := m.columns()
	nparam := P*K + K
	theta := make([]float64, nparam)
	workers := runtime.GOMAXPROCS(0)
	if workers > 4 {
		workers = 4
	}
	grads := make([][]float64, workers)
	for w := range grads {
		grads[w] = make([]float64, nparam)
	}
	losses := make([]float64, workers)
	obj := func(x, g []float64) float64 {
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				gw := grads[w]
				clear(gw)
				z := make([]float64, K)
				var loss float64
				lo, hi := w*n/workers, (w+1)*n/workers
				for i := lo; i < hi; i++ {
					r := rows[i]
					for k := 0; k < K; k++ {
						z[k] = x[P*K+k]
					}
					for j, cI := range r.cols {
						v := r.vals[j]
						base := int(cI) * K
						for k := 0; k < K; k++ {
							z[k] += v * x[base+k]
						}
					}
					mx := z[0]
					for _, v := range z[1:] {
						mx = math.Max(mx, v)
					}
					var sum float64
					for k := range z {
						z[k] = math.Exp(z[k] - mx)
						sum += z[k]
					}
					s := sw[i]
					loss += s * (math.Log(sum) + mx - (math.Log(z[y[i]]) + mx))
					for k := range z {
						p := z[k] / sum
						if k == y[i] {
							p--
						}
						z[k] = s * p
					}
					for j, cI := range r.cols {
						v := r.vals[j]
						base := int(cI) * K
						for k := 0; k < K; k++ {
							gw[base+k] += v * z[k]
						}
					}
					for k := 0; k < K; k++ {
						gw[P*K+k] += z[k]
					}
				}
				losses[w] = loss
			}(w)
		}
		wg.Wait()
		copy(g, grads[0])
		f := losses[0]
		for w := 1; w < workers; w++ {
			axpy(1, grads[w], g)
			f += losses[w]
		}
		// L2 on the weights, not the intercepts
		inv := 1 / c
		for i := 0; i < P*K; i++ {
			f += 0.5 * inv * x[i] * x[i]
			g[i] += inv * x[i]
		}
		return f
	}
	lbfgs(obj, theta, 6, opt.MaxIter, 1e-4*float64(n))
	m.W = make([]float32, P*K)
	for i := range m.W {
		m.W[i] = float32(theta[i])
	}
	for k := 0; k < K; k++ {
		m.B[k] = float32(theta[P*K+k])
	}
	return m
}

// sampleWeights gives each example its class weight: 1 when unbalanced,
// otherwise scikit-learn's "balanced" n / (k · count(class)) computed within
// the example's group (n, k and the counts of that group); an example of a
// group holding one label only (background text) weighs
// min(1, 0.1 · (examples outside the group) / (examples in the group)).
func sampleWeights(y, groups []int, K int, unbalanced bool) []float64 {
	sw := make([]float64, len(y))
	if unbalanced {
		for i := range sw {
			sw[i] = 1
		}
		return sw
	}
	type key struct{ g, c int }
	counts := map[key]int{}
	size := map[int]int{}
	classes := map[int]int{}
	for i, c := range y {
		if counts[key{groups[i], c}] == 0 {
			classes[groups[i]]++
		}
		counts[key{groups[i], c}]++
		size[groups[i]]++
	}
	for i, c := range y {
		g := groups[i]
		sw[i] = float64(size[g]) / float64(classes[g]*counts[key{g, c}])
		if classes[g] == 1 && len(size) > 1 {
			// a group of one label is background text (no balance to
			// keep): each example counts once, and the group never more
			// than a tenth of the other examples, so it cannot drown a
			// small labelled set
			sw[i] = min(1, 0.1*float64(len(y)-size[g])/float64(size[g]))
		}
	}
	return sw
}

func (m *Model) buildIndex() {
	m.lex = nil
	if len(m.Lexicon) > 0 {
		m.lex = lexicon.New(m.Lexicon)
	}
	m.col = make(map[uint64]int32, len(m.Feat))
	m.nWord = 0
	for i, f := range m.Feat {
		m.col[f] = int32(i)
		if m.Dim == 0 && f>>63 == 0 || m.Dim > 0 && f < uint64(m.Dim) {
			m.nWord = int32(i + 1)
		}
	}
}

// vectorize turns a document's raw counts into the model's columns and
// TF-IDF values (see weigh). Features without a column are dropped.
func (m *Model) vectorize(d doc, cols []int32, vals []float64) ([]int32, []float64) {
	cols, vals = cols[:0], vals[:0]
	for _, t := range d {
		if t.kind == kindLex {
			if m.lex != nil {
				cols = append(cols, int32(len(m.Feat))+int32(t.bucket))
				vals = append(vals, t.count)
			}
			continue
		}
		if c, ok := m.col[t.bucket]; ok {
			// d is sorted by key and columns are in key order
			cols = append(cols, c)
			vals = append(vals, t.count)
		}
	}
	m.weigh(cols, vals)
	return cols, vals
}

// countColumns folds occurrences into the model's columns, ascending, with
// their counts; n-grams without a column are dropped (of[i] is then -1).
// of, when not nil, receives the index in the result of each occurrence.
func (m *Model) countColumns(occ []occurrence, of []int32) (cols []int32, counts []float64) {
	keys := make([]uint64, 0, len(occ))
	for i, o := range occ {
		c, ok := m.col[o.bucket]
		if !ok {
			if of != nil {
				of[i] = -1
			}
			continue
		}
		keys = append(keys, uint64(c)<<32|uint64(i))
	}
	slices.Sort(keys)
	cols, counts = make([]int32, 0, len(keys)), make([]float64, 0, len(keys))
	for _, k := range keys {
		c := int32(k >> 32)
		if n := len(cols); n > 0 && cols[n-1] == c {
			counts[n-1]++
		} else {
			cols, counts = append(cols, c), append(counts, 1)
		}
		if of != nil {
			of[uint32(k)] = int32(len(cols) - 1)
		}
	}
	return cols, counts
}

// weighted is the model's columns and TF-IDF values of occurrences.
func (m *Model) weighted(text string, occ []occurrence) ([]int32, []float64) {
	cols, vals := m.countColumns(occ, nil)
	m.weigh(cols, vals)
	cols, vals, _ = m.appendLexicon(text, cols, vals)
	return cols, vals
}

// appendLexicon appends the lexicon-hit columns of text (those not zero)
// to a vectorised document; it returns the matches too (LexiconFeatures).
func (m *Model) appendLexicon(text string, cols []int32, vals []float64) ([]int32, []float64, []lexicon.Match) {
	if m.lex == nil {
		return cols, vals, nil
	}
	f, matches := LexiconFeatures(m.lex, text)
	for j, v := range f {
		if v != 0 {
			cols, vals = append(cols, int32(len(m.Feat)+j)), append(vals, v)
		}
	}
	return cols, vals, matches
}

// columns is the number of columns: the n-grams' and the lexicon's.
func (m *Model) columns() int {
	if m.lex != nil {
		return len(m.Feat) + NumLexiconFeatures
	}
	return len(m.Feat)
}

// weigh turns the raw counts of ascending columns, in place, into TF-IDF
// values: sublinear tf (1 + ln tf) unless RawTF, × idf, L2-normalised
// separately in the word and character blocks.
func (m *Model) weigh(cols []int32, vals []float64) {
	var nw, nc float64
	split := 0
	end := len(cols)
	for i, c := range cols {
		if int(c) >= len(m.Feat) { // lexicon hits, last: kept as they are
			end = i
			break
		}
		tf := vals[i]
		if m.Features&RawTF == 0 {
			tf = sublinear(tf)
		}
		v := tf * float64(m.IDF[c])
		vals[i] = v
		if c < m.nWord {
			nw += v * v
			split = i + 1
		} else {
			nc += v * v
		}
	}
	nw, nc = math.Sqrt(nw), math.Sqrt(nc)
	for i := range vals[:end] {
		if i < split {
			vals[i] /= nw
		} else {
			vals[i] /= nc
		}
	}
}

// logits returns the class scores of a document.
func (m *Model) logits(d doc) []float64 {
	return m.logitsOf(m.vectorize(d, make([]int32, 0, len(d)), make([]float64, 0, len(d))))
}

// logitsOf returns the class scores of a vectorised document.
func (m *Model) logitsOf(cols []int32, vals []float64) []float64 {
	K := len(m.Labels)
	z := make([]float64, K)
	for k := range z {
		z[k] = float64(m.B[k])
		if m.Offset != nil {
			z[k] += float64(m.Offset[k])
		}
	}
	for j, c := range cols {
		base := int(c) * K
		for k := 0; k < K; k++ {
			z[k] += vals[j] * float64(m.W[base+k])
		}
	}
	return z
}

func softmax(z []float64) []float64 {
	mx := z[0]
	for _, v := range z[1:] {
		mx = math.Max(mx, v)
	}
	var sum float64
	p := make([]float64, len(z))
	for k, v := range z {
		p[k] = math.Exp(v - mx)
		sum += p[k]
	}
	for k := range p {
		p[k] /= sum
	}
	return p
}

// decide picks the most probable class.
func (m *Model) decide(p []float64) (int, []float64) {
	best := 0
	for k := range p {
		if p[k] > p[best] {
			best = k
		}
	}
	return best, p
}

// Prediction is a classified text.
type Prediction struct {
	Label string
	Score float64            // probability of Label
	Probs map[string]float64 // probability of every label
}

// Predict classifies one text.
func (m *Model) Predict(text string) Prediction {
	return m.prediction(m.decide(softmax(m.logitsOf(m.weighted(text, extract(text, m.Dim, m.Features, nil))))))
}

func (m *Model) prediction(k int, p []float64) Prediction {
	pr := Prediction{Label: m.Labels[k], Score: p[k], Probs: map[string]float64{}}
	for i, l := range m.Labels {
		pr.Probs[l] = p[i]
	}
	return pr
}

// Reason is one n-gram that pushed a text towards a label.
type Reason struct {
	Text   string  // the n-gram as it appears in the text (lower-cased)
	Kind   string  // "word" (a word n-gram), "char" (only character n-grams inside a word) or "lexicon" (a lexicon entry matched: Text is "lexicon: " and the text matched)
	Weight float64 // contribution to the label's logit, relative to the mean of all labels
	Spans  []Span  // where it occurs in the original text
}

// Explain classifies text and lists the (at most n) n-grams that contributed
// most to the predicted label, strongest first. A contribution is the
// feature's TF-IDF value times (its weight for the label minus its mean
// weight over all labels); a word's character n-grams are added to the
// word's own feature and reported as that word.
func (m *Model) Explain(text string, n int) (Prediction, []Reason) {
	return m.ExplainIf(text, n, "")
}

// ExplainIf is Explain when text is predicted only (or only is ""); for a
// text predicted another label it returns the prediction alone (no
// reasons), without working them out.
func (m *Model) ExplainIf(text string, n int, only string) (Prediction, []Reason) {
	return m.explain(text, n, only, "")
}

// ExplainToward classifies text and lists the (at most n) n-grams that
// raised its probability of label most, whatever label is predicted (a
// text scored 0.32 harmful says which words made it 0.32); Explain's
// reasons when label is not one of the model's.
func (m *Model) ExplainToward(text string, n int, label string) (Prediction, []Reason) {
	return m.explain(text, n, "", label)
}

func (m *Model) explain(text string, n int, only, toward string) (Prediction, []Reason) {
	// the n-grams without a column weigh nothing: they are left out
	// before counting
	occ := extract(text, m.Dim, m.Features, nil)
	termOf := make([]int32, len(occ))
	cols, vals := m.countColumns(occ, termOf)
	counts := slices.Clone(vals)
	kept := occ[:0]
	for i, o := range occ {
		if termOf[i] >= 0 {
			termOf[len(kept)] = termOf[i]
			kept = append(kept, o)
		}
	}
	occ, termOf = kept, termOf[:len(kept)]
	m.weigh(cols, vals)
	nText := len(cols)
	cols, vals, matches := m.appendLexicon(text, cols, vals)
	k, p := m.decide(softmax(m.logitsOf(cols, vals)))
	pr := m.prediction(k, p)
	if only != "" && pr.Label != only {
		return pr, nil
	}
	if i := slices.Index(m.Labels, toward); toward != "" && i >= 0 {
		k = i // contributions toward that label
	}
	K := len(m.Labels)
	// contribution of each term (every term has a column: cols[i] is
	// terms[i]'s)
	contrib := make([]float64, len(cols))
	for i, c := range cols {
		var mean float64
		for kk := 0; kk < K; kk++ {
			mean += float64(m.W[int(c)*K+kk])
		}
		mean /= float64(K)
		contrib[i] = vals[i] * (float64(m.W[int(c)*K+k]) - mean)
		if i < nText {
			contrib[i] /= counts[i]
		}
	}
	// a word's own feature and the character n-grams inside it are reported
	// together, under the word as written (lower-cased): first summed per
	// span, then spans of the same text together, in order of appearance
	type spanAcc struct {
		span Span
		w    float64
		word bool
	}
	var accs []spanAcc
	bySpan := map[Span]int{}
	// the last character n-gram's word when it holds no space: the next
	// n-grams inside it have the same word
	var piece Span
	clean := false
	for i, o := range occ {
		span, word := o.span, true
		if o.kind != kindWord {
			if !clean || o.span.Start < piece.Start || o.span.End > piece.End {
				piece = wordAround(text, o.span)
				clean = !strings.ContainsAny(text[piece.Start:piece.End], " \t\n\r")
			}
			span, word = piece, false
		}
		a := len(accs) - 1
		if a < 0 || accs[a].span != span {
			var ok bool
			if a, ok = bySpan[span]; !ok {
				a = len(accs)
				bySpan[span] = a
				accs = append(accs, spanAcc{span: span})
			}
		}
		accs[a].w += contrib[termOf[i]]
		accs[a].word = accs[a].word || word
	}
	out := []Reason{}
	agg := map[string]int{}
	for _, a := range accs {
		k := strings.ToLower(text[a.span.Start:a.span.End])
		r, ok := agg[k]
		if !ok {
			r = len(out)
			agg[k] = r
			out = append(out, Reason{Text: k, Kind: "char"})
		}
		if a.word {
			out[r].Kind = "word"
		}
		out[r].Weight += a.w
		out[r].Spans = append(out[r].Spans, a.span)
	}
	// the lexicon-hit columns: their contribution shared between the
	// places matched, reported as the matched text
	if len(cols) > nText {
		var total float64
		for _, v := range contrib[nText:] {
			total += v
		}
		for _, mt := range matches {
			k := "lexicon: " + strings.ToLower(mt.Matched)
			r, ok := agg[k]
			if !ok {
				r = len(out)
				agg[k] = r
				out = append(out, Reason{Text: k, Kind: "lexicon"})
			}
			out[r].Weight += total / float64(len(matches))
			out[r].Spans = append(out[r].Spans, Span{mt.Start, mt.End})
		}
	}
	out = slices.DeleteFunc(out, func(r Reason) bool { return r.Weight <= 0 })
	slices.SortFunc(out, func(a, b Reason) int {
		if a.Weight != b.Weight {
			if a.Weight > b.Weight {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Text, b.Text)
	})
	if len(out) > n {
		out = out[:n]
	}
	return pr, out
}

// wordAround widens a span to the whitespace-separated piece containing it.
func wordAround(text string, s Span) Span {
	a, b := s.Start, s.End
	for a > 0 && !isSpaceByte(text[a-1]) {
		a--
	}
	for b < len(text) && !isSpaceByte(text[b]) {
		b++
	}
	return Span{a, b}
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// MacroF1 is the unweighted mean over classes of per-class F1.
func MacroF1(truth, pred []int, k int) float64 {
	var sum float64
	for c := 0; c < k; c++ {
		p, r, _ := PrecisionRecall(truth, pred, c)
		sum += F1(p, r)
	}
	return sum / float64(k)
}

// F1 is the harmonic mean of precision p and recall r (0 when both are 0).
func F1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// PrecisionRecall returns precision, recall and support of class c.
func PrecisionRecall(truth, pred []int, c int) (p, r float64, support int) {
	var tp, fp, fn int
	for i := range truth {
		switch {
		case pred[i] == c && truth[i] == c:
			tp++
		case pred[i] == c:
			fp++
		case truth[i] == c:
			fn++
		}
	}
	if tp+fp > 0 {
		p = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		r = float64(tp) / float64(tp+fn)
	}
	return p, r, tp + fn
}
