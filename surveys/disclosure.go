package surveys

import (
	"cmp"
	"encoding/csv"
	"io"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/csvsafe"
)

// Suppressed is the value a blocked quasi-identifier takes in an export.
const Suppressed = "*"

// DefaultK is the smallest group of people a released figure may describe
// (DisclosureRule.K when 0): an export's rarer combinations are recoded or
// blocked, and other aggregates about people (the alert indicators by the
// reporter's sex) suppress their smaller groups.
const DefaultK = 5

// DisclosureRule is the statistical disclosure control applied before any
// export of answers: the quasi-identifiers (answers an outsider may know
// about a person: area, sex, age group, displacement status...) are chosen
// per form; every combination of them held by fewer than K respondents is
// first generalised (recoded with Generalise, a coarser value per value,
// field by field in QuasiIdentifiers order) and, if still rarer than K,
// blocked: values are replaced by "*" one field at a time (most detailed
// field first) until the record is compatible with at least K records.
// A "*" is compatible with any value, as in sdcMicro's k-anonymity.
type DisclosureRule struct {
	K                int                          `json:"k"`
	QuasiIdentifiers []string                     `json:"quasi_identifiers"`
	Generalise       map[string]map[string]string `json:"generalise,omitempty"`
	// Drop lists fields never exported (direct identifiers, free text,
	// coordinates); the submission metadata (_instance_id, _enumerator),
	// the form's meta block (meta/instanceID, meta/deviceID, ...) and
	// device or person identifiers (deviceid, username, phonenumber, ...:
	// see IsIdentifier) and answers that look like GPS points are always
	// dropped.
	Drop []string `json:"drop,omitempty"`
	// FreeText lists the form's free-text answers (typed, not chosen from
	// a list: see Service.ExportFields), which may hold names. They are
	// dropped unless the analyst names them in Text (or they are a
	// quasi-identifier or the weight). Set per export from the form, not
	// stored with the settings.
	FreeText []string `json:"-"`
	// Text names the free-text fields the analyst asks to export.
	Text []string `json:"-"`
	// MaxRisk is the highest acceptable mean re-identification risk
	// (default 0.03, HDX's 3% rule).
	MaxRisk float64 `json:"max_risk,omitempty"`
	// Weight names the answer field holding sampling weights. With it,
	// the risk of a record is 1 / the estimated number of people in the
	// population sharing its combination (the sum of the weights of the
	// compatible records); without it, 1 / the number of compatible
	// records in the file (a conservative, sample-only measure).
	Weight string `json:"weight,omitempty"`
}

// DisclosureReport says what protection did and how much risk is left.
// The risk of a record is 1 / the number of people it could be: the
// released records compatible with its quasi-identifiers, or with a weight
// field the population they stand for (at most 1); the global risk is its
// mean, the expected share of records re-identified.
type DisclosureReport struct {
	K                int      `json:"k"`
	QuasiIdentifiers []string `json:"quasi_identifiers"`
	Records          int      `json:"records"`
	Dropped          []string `json:"dropped_fields"`
	// FreeTextExcluded are the free-text fields left out of the export
	// (name them with ?text= to export them); FreeTextIncluded those the
	// analyst named.
	FreeTextExcluded []string `json:"free_text_excluded"`
	FreeTextIncluded []string `json:"free_text_included,omitempty"`
	Generalised      []string `json:"generalised_fields"`
	RecordsBlocked   int      `json:"records_blocked"`
	ValuesBlocked    int      `json:"values_blocked"`
	UnsafeBefore     int      `json:"records_below_k_before"`
	MeanRiskBefore   float64  `json:"mean_risk_before"`
	MaxRiskBefore    float64  `json:"max_risk_before"`
	UnsafeAfter      int      `json:"records_below_k_after"`
	MeanRiskAfter    float64  `json:"mean_risk_after"`
	MaxRiskAfter     float64  `json:"max_risk_after"`
	MaxRisk          float64  `json:"max_acceptable_mean_risk"`
	RiskMeasure      string   `json:"risk_measure"`
	// MeanRiskChecked says whether Passes compared the mean risk with
	// MaxRisk: only with a weight field (the population risk). Without
	// one the mean risk is the file's own (every record counts as one
	// person, an overestimate of the population risk) and k alone decides,
	// so a file-only mean above MaxRisk can pass: the report says so here
	// rather than leave a reader to read a threshold that was not applied.
	MeanRiskChecked bool `json:"mean_risk_checked"`
	Passes          bool `json:"passes"`
}

var geopointRE = regexp.MustCompile(`^-?\d{1,3}(\.\d+)?\s+-?\d{1,3}(\.\d+)?(\s+-?\d+(\.\d+)?){0,2}$`)

// Validate checks the rule.
func (r DisclosureRule) Validate() error {
	if r.K < 0 || r.K > 1000 {
		return apperr.Textf("k: %d out of range 1–1000", r.K)
	}
	if len(r.QuasiIdentifiers) == 0 {
		return apperr.Textf("quasi_identifiers: choose at least one (e.g. region, sex, age_group)")
	}
	seen := map[string]bool{}
	for _, q := range r.QuasiIdentifiers {
		if strings.TrimSpace(q) == "" {
			return apperr.Textf("quasi_identifiers: empty name")
		}
		if seen[q] {
			return apperr.Textf("quasi_identifiers: %q twice", q)
		}
		seen[q] = true
	}
	for f := range r.Generalise {
		if !seen[f] {
			return apperr.Textf("generalise: %q is not a quasi-identifier", f)
		}
	}
	if r.MaxRisk < 0 || r.MaxRisk > 1 {
		return apperr.Textf("max_risk: %v out of range 0–1", r.MaxRisk)
	}
	return nil
}

// riskIndex counts, for released quasi-identifier tuples, how many records
// each is compatible with ("*" matches anything).
type riskIndex struct {
	count  map[string]int
	weight map[string]float64
	tuple  map[string][]string
	wild   map[string]bool
}

func newRiskIndex() *riskIndex {
	return &riskIndex{count: map[string]int{}, weight: map[string]float64{}, tuple: map[string][]string{}, wild: map[string]bool{}}
}

func tupleKey(t []string) string { return strings.Join(t, "\x1f") }

func (ix *riskIndex) add(t []string, d int, w float64) {
	k := tupleKey(t)
	ix.count[k] += d
	ix.weight[k] += float64(d) * w
	if ix.count[k] == 0 {
		delete(ix.count, k)
		delete(ix.weight, k)
		delete(ix.tuple, k)
		delete(ix.wild, k)
		return
	}
	if _, ok := ix.tuple[k]; !ok {
		ix.tuple[k] = append([]string(nil), t...)
		for _, v := range t {
			if v == Suppressed {
				ix.wild[k] = true
			}
		}
	}
}

func compatible(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] && a[i] != Suppressed && b[i] != Suppressed {
			return false
		}
	}
	return true
}

func isWild(t []string) bool { return slices.Contains(t, Suppressed) }

// matches returns the number of records compatible with t and the sum of
// their weights. The weights are summed in a fixed order, t's own tuple's
// first, then those of keys (the index's keys, sorted) compatible with t,
// or of wild (those of keys with a "*") when t has none: summed in the
// maps' order, a fractional weight's last digits changed from one run to
// the next.
func (ix *riskIndex) matches(t []string, keys, wild []string) (int, float64) {
	if !isWild(t) {
		k := tupleKey(t)
		n, w := ix.count[k], ix.weight[k]
		for _, wk := range wild {
			if compatible(ix.tuple[wk], t) {
				n += ix.count[wk]
				w += ix.weight[wk]
			}
		}
		return n, w
	}
	n, w := 0, 0.0
	for _, ok := range keys {
		if compatible(ix.tuple[ok], t) {
			n += ix.count[ok]
			w += ix.weight[ok]
		}
	}
	return n, w
}

// n returns the number of records compatible with t (a count: the maps'
// order does not change it).
func (ix *riskIndex) n(t []string) int {
	if !isWild(t) {
		n := ix.count[tupleKey(t)]
		for wk := range ix.wild {
			if compatible(ix.tuple[wk], t) {
				n += ix.count[wk]
			}
		}
		return n
	}
	n := 0
	for ok, c := range ix.count {
		if compatible(ix.tuple[ok], t) {
			n += c
		}
	}
	return n
}

// risk returns records below k, the mean and the max risk. The tuples
// are summed in their keys' order, and each one's compatible weights too
// (matches): in the maps' order, the risks' last digits changed from one
// export to the next.
func (ix *riskIndex) risk(k int) (unsafe int, mean, max float64) {
	total := 0
	keys := SortedKeys(ix.count)
	var wild []string
	for _, key := range keys {
		if ix.wild[key] {
			wild = append(wild, key)
		}
	}
	for _, key := range keys {
		c := ix.count[key]
		f, fw := ix.matches(ix.tuple[key], keys, wild)
		r := 1 / math.Max(fw, 1)
		mean += float64(c) * r
		if r > max {
			max = r
		}
		if f < k {
			unsafe += c
		}
		total += c
	}
	if total > 0 {
		mean /= float64(total)
	}
	return
}

// Protect applies the rule to rows (which it does not modify) and returns
// the rows safe to export with the report.
func Protect(rows []map[string]string, rule DisclosureRule) ([]map[string]string, *DisclosureReport, error) {
	p := newProtection(rule)
	for i, r := range rows {
		p.add(int64(i), r)
	}
	rep, drop, err := p.finish(rule)
	if err != nil {
		return nil, nil, err
	}
	out := make([]map[string]string, len(rows))
	for i, r := range rows {
		m := make(map[string]string, len(r))
		for k, v := range r {
			if !drop[k] {
				m[k] = v
			}
		}
		// Each quasi-identifier its protected value, where it has one or
		// had an answer.
		for j, q := range rule.QuasiIdentifiers {
			if v := p.tuple(i)[j]; v != "" {
				m[q] = v
			} else if _, had := r[q]; had {
				m[q] = ""
			}
		}
		out[i] = m
	}
	return out, rep, nil
}

// protection is disclosure control over rows added one at a time (add),
// then decided (finish): it holds of each row only what the control
// needs, its quasi-identifiers (a code into the distinct combinations),
// its weight and its id, and of the rows together the keys they have and
// those with an answer that looks like a GPS point. An export reads its
// answers twice: once to decide their protection, once to write them
// protected (a row's combination is tuple), never holding them all.
type protection struct {
	qis    []string
	weight string
	keys   map[string]bool // the keys some row has
	geo    map[string]bool // the keys some row answered with a GPS point
	index  map[string]uint32
	tuples [][]string // the distinct combinations, by code
	// Each row's id, combination and weight (nil without a weight field),
	// ordered by id by finish.
	ids     []int64
	codes   []uint32
	weights []float64
	// The weight that is not one with the smallest id, if any.
	bad    bool
	badID  int64
	badVal string
	t      []string // add's combination
	buf    []byte   // intern's key
}

// newProtection is a protection under rule's quasi-identifiers and
// weight, to be finished with rule.
func newProtection(rule DisclosureRule) *protection {
	return &protection{qis: rule.QuasiIdentifiers, weight: rule.Weight, keys: map[string]bool{}, geo: map[string]bool{},
		index: map[string]uint32{}, t: make([]string, len(rule.QuasiIdentifiers))}
}

// add counts row r, whose id orders it among the others (the export's
// file is oldest first). It keeps none of r's strings but the keys' and
// the combinations' first seen.
func (p *protection) add(id int64, r map[string]string) {
	for k, v := range r {
		if !p.keys[k] {
			p.keys[k] = true
		}
		if !p.geo[k] && k != KeyInstanceID && k != KeyEnumerator && looksGeo(v) {
			p.geo[k] = true
		}
	}
	for j, q := range p.qis {
		p.t[j] = strings.TrimSpace(r[q])
	}
	p.codes = append(p.codes, p.intern(p.t))
	p.ids = append(p.ids, id)
	if p.weight == "" {
		return
	}
	v := r[p.weight]
	w, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || w < 0 || math.IsInf(w, 0) || math.IsNaN(w) {
		if !p.bad || id < p.badID {
			p.bad, p.badID, p.badVal = true, id, v
		}
		w = 0
	}
	p.weights = append(p.weights, w)
}

// looksGeo reports whether v, trimmed, looks like a GPS point
// (geopointRE), checking first what every match has: a digit or "-"
// first, and a space further on.
func looksGeo(v string) bool {
	v = strings.TrimSpace(v)
	if v == "" || (v[0] != '-' && (v[0] < '0' || v[0] > '9')) || !strings.ContainsAny(v, " \t\n\f\r") {
		return false
	}
	return geopointRE.MatchString(v)
}

// intern is the code of combination t (copied when new).
func (p *protection) intern(t []string) uint32 {
	p.buf = p.buf[:0]
	for j, v := range t {
		if j > 0 {
			p.buf = append(p.buf, '\x1f') // as tupleKey
		}
		p.buf = append(p.buf, v...)
	}
	if c, ok := p.index[string(p.buf)]; ok {
		return c
	}
	c := uint32(len(p.tuples))
	p.tuples = append(p.tuples, slices.Clone(t))
	p.index[string(p.buf)] = c
	return c
}

// tuple is the i-th row's combination (by id), protected once finished.
func (p *protection) tuple(i int) []string { return p.tuples[p.codes[i]] }

// weightOf is the i-th row's weight (1 without a weight field).
func (p *protection) weightOf(i int) float64 {
	if p.weights == nil {
		return 1
	}
	return p.weights[i]
}

// recode replaces every combination with f of a copy of it.
func (p *protection) recode(f func(t []string)) {
	old := p.tuples
	p.tuples, p.index = nil, map[string]uint32{}
	to := make([]uint32, len(old))
	for c, t := range old {
		t = slices.Clone(t)
		f(t)
		to[c] = p.intern(t)
	}
	for i, c := range p.codes {
		p.codes[i] = to[c]
	}
}

// byID puts the rows in their ids' order.
func (p *protection) byID() {
	if slices.IsSorted(p.ids) {
		return
	}
	order := make([]int, len(p.ids))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(p.ids[a], p.ids[b]) })
	ids, codes := make([]int64, len(order)), make([]uint32, len(order))
	var weights []float64
	if p.weights != nil {
		weights = make([]float64, len(order))
	}
	for i, j := range order {
		ids[i], codes[i] = p.ids[j], p.codes[j]
		if weights != nil {
			weights[i] = p.weights[j]
		}
	}
	p.ids, p.codes, p.weights = ids, codes, weights
}

// finish applies rule (the one p was made with, its drops and free text
// set) to the rows added, in their ids' order: it returns the report and
// the fields dropped, and leaves each row's protected combination in
// tuple. Every combination of the quasi-identifiers held by fewer than
// rule.K records is generalised, then blocked, as DisclosureRule says.
func (p *protection) finish(rule DisclosureRule) (*DisclosureReport, map[string]bool, error) {
	if rule.K == 0 {
		rule.K = DefaultK
	}
	if rule.MaxRisk == 0 {
		rule.MaxRisk = 0.03
	}
	if err := rule.Validate(); err != nil {
		return nil, nil, err
	}
	p.byID()
	rep := &DisclosureReport{K: rule.K, QuasiIdentifiers: rule.QuasiIdentifiers, Records: len(p.ids), MaxRisk: rule.MaxRisk}
	drop, err := rule.drops(SortedKeys(p.keys), func(f string) bool { return p.geo[f] }, rep)
	if err != nil {
		return nil, nil, err
	}
	rep.RiskMeasure = "1 / compatible records in the file"
	if rule.Weight != "" {
		if p.bad {
			i, _ := slices.BinarySearch(p.ids, p.badID)
			return nil, nil, apperr.Textf("record %d: weight field %q: %q is not a weight", i+1, rule.Weight, p.badVal)
		}
		rep.RiskMeasure = "1 / estimated population sharing the combination (sum of " + rule.Weight + ")"
	}
	// The index, its weights summed a row at a time in the rows' order
	// (a fractional weight's last digits depend on it).
	build := func() *riskIndex {
		ix := newRiskIndex()
		for i := range p.codes {
			ix.add(p.tuple(i), 1, p.weightOf(i))
		}
		return ix
	}
	ix := build()
	rep.UnsafeBefore, rep.MeanRiskBefore, rep.MaxRiskBefore = ix.risk(rule.K)
	// 1. Generalise, field by field, while some records are below k.
	for j, q := range rule.QuasiIdentifiers {
		if rep.UnsafeBefore == 0 {
			break
		}
		h := rule.Generalise[q]
		if len(h) == 0 {
			continue
		}
		if unsafe, _, _ := ix.risk(rule.K); unsafe == 0 {
			break
		}
		p.recode(func(t []string) {
			if c, ok := h[t[j]]; ok {
				t[j] = c
			}
		})
		rep.Generalised = append(rep.Generalised, q)
		ix = build()
	}
	// 2. Block what is still below k: most detailed fields first (the
	// distinct combinations are those of the rows here).
	card := make([]int, len(rule.QuasiIdentifiers))
	for j := range rule.QuasiIdentifiers {
		seen := map[string]bool{}
		for _, t := range p.tuples {
			seen[t[j]] = true
		}
		card[j] = len(seen)
	}
	order := make([]int, len(card))
	for j := range order {
		order[j] = j
	}
	sort.SliceStable(order, func(a, b int) bool { return card[order[a]] > card[order[b]] })
	for i := range p.codes {
		if ix.n(p.tuple(i)) >= rule.K {
			continue
		}
		t, w := slices.Clone(p.tuple(i)), p.weightOf(i)
		blocked := false
		for _, j := range order {
			if t[j] == Suppressed {
				continue
			}
			ix.add(t, -1, w)
			t[j] = Suppressed
			ix.add(t, 1, w)
			rep.ValuesBlocked++
			blocked = true
			if ix.n(t) >= rule.K {
				break
			}
		}
		if blocked {
			rep.RecordsBlocked++
			p.codes[i] = p.intern(t)
		}
	}
	rep.UnsafeAfter, rep.MeanRiskAfter, rep.MaxRiskAfter = ix.risk(rule.K)
	// The mean-risk threshold applies to the population risk (with weights);
	// without weights the file-only risk is reported and k decides.
	rep.MeanRiskChecked = rule.Weight != ""
	rep.Passes = rep.UnsafeAfter == 0 && (!rep.MeanRiskChecked || rep.MeanRiskAfter < rule.MaxRisk)
	return rep, drop, nil
}

// drops are the fields rule drops from rows whose keys (sorted) are
// given, geo telling those with an answer that looks like a GPS point;
// it fills rep's dropped fields and free-text lists.
func (rule DisclosureRule) drops(keys []string, geo func(f string) bool, rep *DisclosureReport) (map[string]bool, error) {
	drop := map[string]bool{KeyInstanceID: true, KeyEnumerator: true}
	for _, f := range rule.Drop {
		drop[f] = true
	}
	named := map[string]bool{rule.Weight: true}
	for _, f := range rule.QuasiIdentifiers {
		named[f] = true
	}
	for _, f := range rule.Text {
		named[f] = true
	}
	freeText := map[string]bool{}
	for _, f := range rule.FreeText {
		freeText[f] = true
	}
	excluded, included := map[string]bool{}, map[string]bool{}
	for _, f := range keys {
		if drop[f] {
			continue
		}
		if IsIdentifier(f) {
			drop[f] = true
			continue
		}
		if ff := FieldPath(f); freeText[ff] {
			if named[f] || named[ff] {
				included[ff] = true
			} else {
				drop[f] = true
				excluded[ff] = true
			}
		}
	}
	rep.FreeTextExcluded, rep.FreeTextIncluded = SortedKeys(excluded), SortedKeys(included)
	// Answers that look like GPS points are dropped whatever the rule says.
	for _, f := range keys {
		if !drop[f] && geo(f) {
			drop[f] = true
		}
	}
	for _, q := range rule.QuasiIdentifiers {
		if drop[q] {
			return nil, apperr.Textf("quasi-identifier %q is also dropped", q)
		}
	}
	for f := range drop {
		if !excluded[FieldPath(f)] {
			rep.Dropped = append(rep.Dropped, f)
		}
	}
	sort.Strings(rep.Dropped)
	return drop, nil
}

var repeatIndexRE = regexp.MustCompile(`\[[0-9]+\]`)

// FieldPath returns the form field an answer key belongs to: the key
// without the repeat instance numbers ("children/child[2]/name" ->
// "children/child/name").
func FieldPath(key string) string {
	if !strings.Contains(key, "[") {
		return key
	}
	return repeatIndexRE.ReplaceAllString(key, "")
}

// identifierNames are answer names that identify a device, a SIM card, an
// enumerator or a respondent's contact whatever group they sit in (ODK's
// metadata questions and their usual spellings).
var identifierNames = map[string]bool{
	"instanceid": true, "instancename": true, "deprecatedid": true, "deviceid": true,
	"subscriberid": true, "simserial": true, "simid": true, "phonenumber": true,
	"phone_number": true, "phone": true, "username": true, "email": true, "imei": true,
	"audit": true,
}

// IsIdentifier reports whether an answer key is an identifier that no
// export carries: the submission metadata (_instance_id, _enumerator), the
// form's meta block (meta/instanceID, meta/instanceName, ...) and device,
// SIM, user and phone identifiers wherever they sit.
func IsIdentifier(key string) bool {
	if key == KeyInstanceID || key == KeyEnumerator {
		return true
	}
	k := FieldPath(key)
	if k == "meta" || strings.HasPrefix(k, "meta/") || strings.Contains(k, "/meta/") {
		return true
	}
	base := k
	if i := strings.LastIndexByte(k, '/'); i >= 0 {
		base = k[i+1:]
	}
	return identifierNames[strings.ToLower(base)]
}

// ExportColumns returns the columns of protected rows in a stable order:
// quasi-identifiers first, then the others sorted.
func ExportColumns(rows []map[string]string, rule DisclosureRule) []string {
	return exportColumns(columns(rows), rule)
}

// exportColumns is ExportColumns of rows with the keys given (sorted).
func exportColumns(keys []string, rule DisclosureRule) []string {
	cols := append([]string(nil), rule.QuasiIdentifiers...)
	seen := map[string]bool{}
	for _, c := range cols {
		seen[c] = true
	}
	for _, c := range keys {
		if !seen[c] {
			cols = append(cols, c)
		}
	}
	return cols
}

// DefaultHXL are the HXL hashtags of the starter form's fields.
var DefaultHXL = map[string]string{
	"region":       "#adm1 +name",
	"admin2":       "#adm2 +code",
	"sex":          "#respondee +sex",
	"age_group":    "#respondee +age",
	"displacement": "#respondee +displaced",
	"round":        "#meta +round",
	KeyReceived:    "#date +reported",
}

var hxlAttr = regexp.MustCompile(`[^a-z0-9_]+`)

// HXLTag returns the hashtag of a field: tags[field] or DefaultHXL, else
// "#indicator +<field>" with the field name made a valid attribute.
func HXLTag(field string, tags map[string]string) string {
	if t, ok := tags[field]; ok && t != "" {
		return t
	}
	if t, ok := DefaultHXL[field]; ok {
		return t
	}
	a := strings.Trim(hxlAttr.ReplaceAllString(strings.ToLower(field), "_"), "_")
	if a == "" {
		a = "field"
	}
	return "#indicator +" + a
}

// WriteExport writes rows as CSV; with hxl, a row of HXL hashtags follows
// the header. Cells starting with = + - @, a tab or a carriage return
// (OWASP's CSV injection list, as the pages' Vigil.csvURL) are prefixed
// with ' so that spreadsheets do not run them as formulas; a number
// (-3, +2.5) is left as it is.
func WriteExport(w io.Writer, rows []map[string]string, cols []string, hxl bool, tags map[string]string) error {
	return writeExport(w, rows, cols, hxl, tags, false)
}

// writeExport is WriteExport, setting each row of rows to nil once it is
// written when release (rows the caller no longer needs).
func writeExport(w io.Writer, rows []map[string]string, cols []string, hxl bool, tags map[string]string, release bool) error {
	return writeCSV(w, cols, hxl, tags, len(rows), func(i int, rec []string) {
		r := rows[i]
		if release {
			rows[i] = nil
		}
		for j, c := range cols {
			rec[j] = r[c]
		}
	})
}

// writeCSV writes the header cols (then their HXL hashtags with hxl) and
// n records, row filling the i-th (as many cells as cols), each cell made
// safe for spreadsheets (WriteExport).
func writeCSV(w io.Writer, cols []string, hxl bool, tags map[string]string, n int, row func(i int, rec []string)) error {
	ew, err := newExportWriter(w, cols, hxl, tags)
	if err != nil {
		return err
	}
	for i := range n {
		if err := ew.write(func(rec []string) { row(i, rec) }); err != nil {
			return err
		}
	}
	return ew.flush()
}

// exportWriter writes an export's CSV a record at a time.
type exportWriter struct {
	cw  *csv.Writer
	rec []string
}

// newExportWriter writes the header cols (then their HXL hashtags with
// hxl) to w.
func newExportWriter(w io.Writer, cols []string, hxl bool, tags map[string]string) (*exportWriter, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(cols); err != nil {
		return nil, err
	}
	if hxl {
		t := make([]string, len(cols))
		for i, c := range cols {
			t[i] = HXLTag(c, tags)
		}
		if err := cw.Write(t); err != nil {
			return nil, err
		}
	}
	return &exportWriter{cw: cw, rec: make([]string, len(cols))}, nil
}

// write writes the record fill fills (as many cells as the header), each
// cell made safe for spreadsheets.
func (ew *exportWriter) write(fill func(rec []string)) error {
	fill(ew.rec)
	for j, v := range ew.rec {
		if v != Suppressed {
			ew.rec[j] = csvsafe.Cell(v)
		}
	}
	return ew.cw.Write(ew.rec)
}

// flush writes what is buffered and returns the first error.
func (ew *exportWriter) flush() error {
	ew.cw.Flush()
	return ew.cw.Error()
}
