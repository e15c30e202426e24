package performance

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/url"
	"strings"
	"time"
)

// ManualValue is a value entered by hand for a manual indicator, with
// the source it comes from and a link to the evidence.
type ManualValue struct {
	Indicator string   `json:"indicator"` // the manual indicator's id
	Period    string   `json:"period"`
	Area      string   `json:"area"` // ISO3, a name, or ALL
	Value     float64  `json:"value"`
	Low       *float64 `json:"low,omitempty"`
	High      *float64 `json:"high,omitempty"`
	Unit      string   `json:"unit,omitempty"`
	Source    string   `json:"source"`
	Evidence  string   `json:"evidence"`
	EnteredBy string   `json:"entered_by,omitempty"`
	EnteredAt string   `json:"entered_at,omitempty"` // RFC 3339
}

// Validate checks a manual value; errors name the field.
func (m *ManualValue) Validate() error {
	if strings.TrimSpace(m.Indicator) == "" {
		return invalid("indicator", "fw.empty")
	}
	p, err := ParsePeriod(m.Period)
	if err != nil {
		return invalidErr("period", err)
	}
	m.Period = p.String()
	a, err := ParseArea(m.Area)
	if err != nil {
		return invalidErr("area", err)
	}
	m.Area = a.Code
	if math.IsNaN(m.Value) || math.IsInf(m.Value, 0) {
		return invalid("value", "err.not-finite")
	}
	if m.Low != nil && *m.Low > m.Value {
		return invalid("low", "err.low", "low", fmt.Sprint(*m.Low), "value", fmt.Sprint(m.Value))
	}
	if m.High != nil && *m.High < m.Value {
		return invalid("high", "err.high", "high", fmt.Sprint(*m.High), "value", fmt.Sprint(m.Value))
	}
	if strings.TrimSpace(m.Source) == "" {
		return invalid("source", "err.no-source")
	}
	if u, err := url.Parse(m.Evidence); m.Evidence != "" && (err != nil || u.Scheme == "") {
		return invalid("evidence", "err.not-link", "v", fmt.Sprintf("%q", m.Evidence))
	}
	if m.EnteredAt != "" {
		if _, err := time.Parse(time.RFC3339, m.EnteredAt); err != nil {
			return invalid("entered_at", "err.not-time", "v", fmt.Sprintf("%q", m.EnteredAt))
		}
	}
	return nil
}

// ReadManual reads a JSON list of manual values; errors name the entry
// and field.
func ReadManual(r io.Reader, name string) ([]ManualValue, error) {
	var ms []ManualValue
	dec := json.NewDecoder(io.LimitReader(r, 16<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ms); err != nil {
		err = jsonErr(err) // a wrong type said in JSON words
		return nil, within(err, fmt.Sprintf("%s: %v", name, err), "err.in-file", "file_why", "file", name)
	}
	for i := range ms {
		if err := ms[i].Validate(); err != nil {
			return nil, within(err, fmt.Sprintf("%s: entry %d: %v", name, i+1, err), "err.entry", "entry_why", "file", name, "entry", i+1)
		}
	}
	return ms, nil
}

// manualIndicators lists the hand-entered indicator.
func manualIndicators() []Definition {
	var defs []Definition
	defs = append(defs, Definition{
		ID: "manual", Name: "Manual indicator", NameFR: "Indicateur saisi à la main",
		Unit: "as entered", Direction: HigherIsBetter, Sources: []string{"manual"},
		Doc:    "A value entered by hand with its source and evidence link (framework file or --manual FILE); no entry for the period and area is no data.",
		Params: []Param{{Name: "id", Doc: "required: the manual indicator's id"}},
		compute: func(e *Engine, ctx context.Context, r Request) ([]Value, error) {
			id := r.Params["id"]
			var hits []ManualValue
			for _, m := range e.in.Manual {
				if m.Indicator == id && m.Period == r.Period.String() && m.Area == r.Area.Code {
					hits = append(hits, m)
				}
			}
			if len(hits) == 0 {
				return []Value{noData(msg("value.manual-no-value", "id", id, "period", r.Period, "area", r.Area.Code))}, nil
			}
			m := hits[len(hits)-1] // the last entered
			b, _ := json.Marshal(m)
			h := sha256.Sum256(b)
			v := Value{Unit: m.Unit, Value: num(m.Value), Low: m.Low, High: m.High, Uncertainty: Reported, N: 1,
				Coverage: Coverage{Months: r.Period.Months()},
				Prov:     method(msg("method.manual", "by", m.EnteredBy, "at", m.EnteredAt), Source{Name: "manual: " + m.Source + " " + m.Evidence, Rows: 1, SHA256: hex.EncodeToString(h[:])})}
			v.CILow, v.CIHigh = v.Value, v.Value
			if m.Low != nil || m.High != nil {
				v.CILow, v.CIHigh = m.Low, m.High
				v.CI, v.Range = "as entered", "as entered"
			}
			return []Value{v}, nil
		},
	})
	return defs
}
