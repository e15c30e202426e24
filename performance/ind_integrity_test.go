package performance

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/apperr"
)

// fakeIntegrity is an information-integrity store with fixed items,
// narratives and rated checks.
type fakeIntegrity struct {
	items  []ContentItem
	narrs  []integrity.NarrativeStats
	checks []RatedCheck
}

func (f *fakeIntegrity) ContentItems(ctx context.Context) ([]ContentItem, error) {
	return f.items, nil
}
func (f *fakeIntegrity) Narratives(ctx context.Context) ([]integrity.NarrativeStats, error) {
	return f.narrs, nil
}
func (f *fakeIntegrity) RatedChecks(ctx context.Context) ([]RatedCheck, error) {
	return f.checks, nil
}

func integrityFixture() *fakeIntegrity {
	at := func(d, h int) time.Time { return time.Date(2020, 3, d, h, 0, 0, 0, time.UTC) }
	f := &fakeIntegrity{}
	// March 2020: ten items, three scored harmful (one of them ≥ 0.7 only
	// once: 0.55, 0.8, 0.95); six in French (two harmful), four in English.
	scores := []float64{0.55, 0.8, 0.95, 0.1, 0.2, 0.3, 0.4, 0.49, 0.05, 0.0}
	langs := []string{"fr", "fr", "en", "fr", "fr", "fr", "fr", "en", "en", "en"}
	for i, s := range scores {
		f.items = append(f.items, ContentItem{Source: "radio", SourceID: string(rune('a' + i)), Kind: "post", Lang: langs[i], Score: s, Time: at(1+i, 9)})
	}
	f.items = append(f.items, ContentItem{Source: "radio", SourceID: "z", Kind: "post", Lang: "fr", Score: 0.9, Time: time.Date(2020, 2, 28, 0, 0, 0, 0, time.UTC)})
	after := func(t time.Time, h int) *time.Time {
		if h == 0 {
			return nil
		}
		t = t.Add(time.Duration(h) * time.Hour)
		return &t
	}
	// Claims first seen in March: 1 (false) published after 6 h, responded
	// after 10 h; 2 (misleading) published after 30 h, responded after 40 h;
	// 3 (true) rated, no response yet; 4 no check; 5 checked, not rated (so
	// not among the rated checks). Claim 6 was first seen in February.
	for _, n := range []struct {
		id       int64
		first    time.Time
		rating   string
		pub, rsp int // hours; 0: none
	}{{1, at(1, 0), "false", 6, 10}, {2, at(5, 0), "misleading", 30, 40}, {3, at(10, 0), "true", 0, 0},
		{4, at(12, 0), "", 0, 0}, {5, at(15, 0), "", 0, 0}, {6, time.Date(2020, 2, 20, 0, 0, 0, 0, time.UTC), "false", 1, 2}} {
		f.narrs = append(f.narrs, integrity.NarrativeStats{Narrative: integrity.Narrative{ID: n.id}, First: n.first})
		if n.rating != "" {
			f.checks = append(f.checks, RatedCheck{Narrative: n.id, Rating: n.rating, PublishedAt: after(n.first, n.pub), RespondedAt: after(n.first, n.rsp)})
		}
	}
	return f
}

// TestIntegrityIndicators: the harmful-speech share is k of n items with
// its Clopper–Pearson interval (3 of 10: R's binom.test gives
// 0.0667–0.6525), by language and at a stricter score; the time to a
// published response is the median (type 7) of the rated claims' hours
// (two claims: too few for an order-statistic interval), the unanswered
// ones in the note; a month with nothing says so.
func TestIntegrityIndicators(t *testing.T) {
	e := NewEngine(Inputs{Integrity: integrityFixture()})
	mar := mustPeriod(t, "2020-03")
	f := func(p *float64) float64 {
		if p == nil {
			return -1
		}
		return *p
	}
	for _, c := range []struct {
		name           string
		r              Request
		want, lo, hi   float64
		n              int
		group, noteHas string
	}{
		{"share", Request{Indicator: "harmful-speech-share", Period: mar}, 0.3, 0.0667, 0.6525, 10, "", ""},
		{"share ≥ 0.7", Request{Indicator: "harmful-speech-share", Period: mar, Params: map[string]string{"min_score": "0.7"}}, 0.2, 0.0252, 0.5561, 10, "", ""},
		{"share, quarter", Request{Indicator: "harmful-speech-share", Period: mustPeriod(t, "2020-Q1")}, 0.3636, 0.1093, 0.6921, 11, "", ""},
		{"median hours to published", Request{Indicator: "integrity-response-hours", Period: mar}, 18, -1, -1, 2, "", "1 rated claim(s) without a response yet"},
		{"median hours to responded", Request{Indicator: "integrity-response-hours", Period: mar, Params: map[string]string{"to": "responded"}}, 25, -1, -1, 2, "", "1 rated claim(s)"},
		{"90th percentile", Request{Indicator: "integrity-response-hours", Period: mar, Params: map[string]string{"q": "0.9"}}, 27.6, 6, -1, 2, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := one(t, e, c.r)
			if v.NoData || f(v.Value) != c.want || f(v.CILow) != c.lo || f(v.CIHigh) != c.hi || v.N != c.n {
				t.Errorf("got %v [%v, %v] n=%d (%s), want %v [%v, %v] n=%d", f(v.Value), f(v.CILow), f(v.CIHigh), v.N, v.Reason, c.want, c.lo, c.hi, c.n)
			}
			if len(v.Prov.Sources) != 1 || v.Prov.Sources[0].SHA256 == "" || v.Prov.Method == "" {
				t.Errorf("provenance: %+v", v.Prov)
			}
			if c.noteHas != "" && !strings.Contains(v.Coverage.Note, c.noteHas) {
				t.Errorf("note %q, want %q", v.Coverage.Note, c.noteHas)
			}
		})
	}
	// By language, by rating: one value per group.
	vs, err := e.Compute(context.Background(), Request{Indicator: "harmful-speech-share", Period: mar, By: "lang"})
	if err != nil || len(vs) != 2 || vs[0].Disaggregation["lang"] != "en" || f(vs[0].Value) != 0.25 || vs[0].N != 4 || vs[1].Disaggregation["lang"] != "fr" || f(vs[1].Value) != 0.3333 {
		t.Errorf("by lang: %+v %v", vs, err)
	}
	vs, err = e.Compute(context.Background(), Request{Indicator: "integrity-response-hours", Period: mar, By: "rating"})
	if err != nil || len(vs) != 3 || f(vs[0].Value) != 6 || f(vs[1].Value) != 30 || !vs[2].NoData || vs[2].Disaggregation["rating"] != "true" || vs[2].ReasonMsg.Code != "value.no-response-yet" {
		t.Errorf("by rating: %+v %v", vs, err)
	}
	// Nothing in the period, no store: no data with the reason, never 0.
	for _, c := range []struct {
		e    *Engine
		ind  string
		code string
	}{
		{e, "harmful-speech-share", "value.no-items"},
		{e, "integrity-response-hours", "value.no-rated-claim"},
		{NewEngine(Inputs{}), "harmful-speech-share", "value.no-integrity-store"},
		{NewEngine(Inputs{}), "integrity-response-hours", "value.no-integrity-store"},
	} {
		v := one(t, c.e, Request{Indicator: c.ind, Period: mustPeriod(t, "2020-05")})
		if !v.NoData || v.Value != nil || v.ReasonMsg == nil || v.ReasonMsg.Code != c.code {
			t.Errorf("%s in May: %+v, want no data (%s)", c.ind, v, c.code)
		}
	}
	// Bad parameters name themselves.
	for _, r := range []Request{
		{Indicator: "integrity-response-hours", Period: mar, Params: map[string]string{"to": "drafted"}},
		{Indicator: "harmful-speech-share", Period: mar, Params: map[string]string{"min_score": "0.6"}},
		{Indicator: "harmful-speech-share", Period: mar, By: "sex"},
	} {
		if _, err := e.Compute(context.Background(), r); !apperr.IsInvalid(err) {
			t.Errorf("%+v: %v, want a parameter error", r, err)
		}
	}
}
