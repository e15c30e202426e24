package performance

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"time"
)

// Uncertainty says what kind of interval a value carries, which decides
// how status and trends treat it.
type Uncertainty string

const (
	// Count: a number of events or deaths; CI is the exact (Garwood)
	// Poisson 95% interval, widened to the source's low–high range.
	Count Uncertainty = "count"
	// Estimate: a sample estimate with a 95% confidence interval (survey
	// shares, Clopper–Pearson shares).
	Estimate Uncertainty = "estimate"
	// Quantile: a sample median or percentile with its distribution-free
	// 95% order-statistic interval.
	Quantile Uncertainty = "quantile"
	// Exact: computed from complete data with no sampling (shares of
	// cells, personnel); CI equals the value.
	Exact Uncertainty = "exact"
	// Reported: a manual value; its interval is what was entered.
	Reported Uncertainty = "reported"
	// Unknown: the source stores no interval; status is always "cannot
	// tell yet".
	Unknown Uncertainty = "unknown"
)

// Value is one computed indicator value with everything needed to read
// and recompute it.
type Value struct {
	Indicator      string            `json:"indicator"`
	Params         map[string]string `json:"params,omitempty"`
	Period         string            `json:"period"`
	Area           string            `json:"area"`
	AreaName       string            `json:"area_name"`
	Disaggregation map[string]string `json:"disaggregation,omitempty"`
	Unit           string            `json:"unit"`
	// Value is nil when NoData.
	Value *float64 `json:"value"`
	// Low and High: the source's own range (UCDP low–high estimates) or the
	// interval, as Range says.
	Low   *float64 `json:"low"`
	High  *float64 `json:"high"`
	Range string   `json:"range,omitempty"`
	// CILow and CIHigh: the 95% interval status and trends use (CIHigh nil:
	// unbounded above).
	CILow       *float64    `json:"ci_low"`
	CIHigh      *float64    `json:"ci_high"`
	CI          string      `json:"ci,omitempty"`
	Uncertainty Uncertainty `json:"uncertainty"`
	// N is the number of observations behind the value (events,
	// incidents, respondents, onsets, cell-months).
	N int `json:"n"`
	// NoData is set, with Reason, when the data cannot give a value for
	// the period and area (never a 0 in its place).
	NoData bool   `json:"no_data,omitempty"`
	Reason string `json:"reason,omitempty"`
	// ReasonMsg is Reason as a code with arguments, for other languages.
	ReasonMsg *Msg       `json:"reason_msg,omitempty"`
	Coverage  Coverage   `json:"coverage"`
	Prov      Provenance `json:"provenance"`
}

// Coverage says how much of the period the data covers.
type Coverage struct {
	// DataFrom and DataTo: the months the source data spans.
	DataFrom string `json:"data_from,omitempty"`
	DataTo   string `json:"data_to,omitempty"`
	// Months of the period inside the data's span, of PeriodMonths.
	Months       int    `json:"months"`
	PeriodMonths int    `json:"period_months"`
	Note         string `json:"note,omitempty"`
	// NoteMsg is Note as a code with arguments, for other languages.
	NoteMsg *Msg `json:"note_msg,omitempty"`
}

// setNote sets the coverage note from m.
func (c *Coverage) setNote(m Msg) {
	c.Note, c.NoteMsg = m.Text("en"), &m
}

// method is a Provenance with its method from m (Method: the English text).
func method(m Msg, srcs ...Source) Provenance {
	return Provenance{Sources: srcs, Method: m.Text("en"), MethodMsg: &m}
}

// setMethod sets the method of p from m.
func (p *Provenance) setMethod(m Msg) {
	p.Method, p.MethodMsg = m.Text("en"), &m
}

// Provenance says which data, in which version, gave a value, and when.
type Provenance struct {
	Sources    []Source  `json:"sources"`
	Method     string    `json:"method"`
	MethodMsg  *Msg      `json:"method_msg,omitempty"` // Method in any language (the catalog's method.* codes)
	Engine     string    `json:"engine"`
	ComputedAt time.Time `json:"computed_at"`
}

// Source is one input of a value: what it is, how many records, a
// content hash of those records (SHA-256 over their content, not their
// store ids) and the months they span.
type Source struct {
	Name   string `json:"name"`
	Rows   int    `json:"rows"`
	SHA256 string `json:"sha256"`
	Span   string `json:"span,omitempty"`
	// NameMsg is Name in any language when the catalog's source.NAME
	// entries cannot name it (a forecast run: source.forecast-run).
	NameMsg *Msg `json:"name_msg,omitempty"`
}

// EngineVersion names the computation rules; it changes when a method
// changes so that stored values can be told apart.
const EngineVersion = "vigil-performance/1"

func num(v float64) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	return &v
}

// Number returns the value, or NaN when there is none.
func (v Value) Number() float64 {
	if v.Value == nil {
		return math.NaN()
	}
	return *v.Value
}

func hashSource(name string, rows int, content string) Source {
	h := sha256.Sum256([]byte(content))
	return Source{Name: name, Rows: rows, SHA256: hex.EncodeToString(h[:])}
}

func deref(p *float64, def float64) float64 {
	if p == nil {
		return def
	}
	return *p
}
