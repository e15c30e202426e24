package performance

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/integrity"
)

// IntegrityStore is what the information-integrity indicators read: the
// monitored content items with their classifier scores, the narratives
// (claims) they group into and the rated verification checks. Implemented
// by *storage.DB.
type IntegrityStore interface {
	// ContentItems returns every content item's counted fields, in one read.
	ContentItems(ctx context.Context) ([]ContentItem, error)
	Narratives(ctx context.Context) ([]integrity.NarrativeStats, error)
	// RatedChecks returns the checks with a rating, each with the time of
	// its first log entry moving it to 'responded'.
	RatedChecks(ctx context.Context) ([]RatedCheck, error)
}

// ContentItem is the part of a monitored content item the harmful-speech
// share counts (not its text, media, reasons or matches).
type ContentItem struct {
	Source, SourceID, Kind, Lang string
	Time                         time.Time // posted
	Score                        float64
}

// RatedCheck is a narrative's rated check: when its fact-check was
// published and when it first reached 'responded' (nil: not yet).
type RatedCheck struct {
	Narrative   int64
	Rating      string
	PublishedAt *time.Time
	RespondedAt *time.Time
}

// integrityIndicators lists the information-integrity indicators.
func integrityIndicators() []Definition {
	return []Definition{{
		ID: "harmful-speech-share", Name: "Harmful-speech share of monitored content", NameFR: "Part des discours nuisibles dans les contenus suivis",
		Unit: "share", Direction: LowerIsBetter, Sources: []string{"integrity"}, AreaLess: true,
		Doc:             "Share of the content items posted in the period (the monitored sources' posts, broadcasts and tipline messages) that the classifier scores at or above min_score (default 0.5, the classifier's threshold on the integrity pages; this indicator measures the classifier's scores only, so unlike the integrity pages' harmful counts an analyst's label does not change it). 95% interval: Clopper–Pearson, treating the items as a sample of what the monitored sources carry (it does not cover which sources are monitored). Items are placed by the names in their text, not by country: --country is not used.",
		Params:          []Param{{Name: "min_score", Default: "0.5", Values: []string{"0.5", "0.7", "0.9"}, Doc: "classifier score at or above which an item counts as harmful"}},
		Disaggregations: []string{"lang", "source", "kind"},
		compute:         (*Engine).harmfulShare,
	}, {
		ID: "integrity-response-hours", Name: "Time from a claim's first sighting to a published response", NameFR: "Délai entre la première apparition d’une rumeur et la réponse publiée",
		Unit: "hours", Direction: LowerIsBetter, Sources: []string{"integrity"}, AreaLess: true,
		Doc:             "Median (or 90th percentile, q=0.9) hours from a claim's first item (its narrative's earliest post) to its published fact-check (to=published) or to its check reaching 'responded' (to=responded), over the claims first seen in the period whose check was rated. A rated claim with no response yet is counted in the note, not in the quantile. 95% interval: order statistics (distribution-free).",
		Params:          []Param{qParam, {Name: "to", Default: "published", Values: []string{"published", "responded"}, Doc: "published: the fact-check page went out; responded: the check reached 'responded'"}},
		Disaggregations: []string{"rating"},
		compute:         (*Engine).integrityResponse,
	}}
}

// integrityItems reads every content item's counted fields once.
func (e *Engine) integrityItems(ctx context.Context) ([]ContentItem, Source, error) {
	ctx = context.WithoutCancel(ctx)
	e.itemsOnce.Do(func() {
		e.items, e.itemsErr = e.in.Integrity.ContentItems(ctx)
		if e.itemsErr != nil {
			return
		}
		var b strings.Builder
		keys := make([]string, len(e.items))
		for i, it := range e.items {
			keys[i] = fmt.Sprintf("%s\x1f%s\x1f%s\x1f%.6f\x1f%s", it.Source, it.SourceID, it.Time.UTC().Format(time.RFC3339), it.Score, it.Lang)
		}
		sort.Strings(keys)
		for _, k := range keys {
			b.WriteString(k + "\n")
		}
		e.itemsSrc = hashSource("content items", len(e.items), b.String())
	})
	return e.items, e.itemsSrc, e.itemsErr
}

func monthOfTime(t time.Time) grid.Month {
	t = t.UTC()
	return grid.MonthOf(t.Year(), int(t.Month()))
}

func (e *Engine) harmfulShare(ctx context.Context, r Request) ([]Value, error) {
	if e.in.Integrity == nil {
		return []Value{noData(msg("value.no-integrity-store"))}, nil
	}
	its, src, err := e.integrityItems(ctx)
	if err != nil {
		return nil, err
	}
	var min float64
	fmt.Sscan(r.Params["min_score"], &min)
	n, k := map[string]int{}, map[string]int{}
	for _, it := range its {
		if !r.Period.Contains(monthOfTime(it.Time)) {
			continue
		}
		g := ""
		switch r.By {
		case "lang":
			g = it.Lang
		case "source":
			g = it.Source
		case "kind":
			g = it.Kind
		}
		if r.By != "" && g == "" {
			g = "unknown"
		}
		n[g]++
		if it.Score >= min {
			k[g]++
		}
	}
	if len(n) == 0 {
		return []Value{noData(msg("value.no-items", "period", r.Period), src)}, nil
	}
	var out []Value
	for _, g := range slices.Sorted(maps.Keys(n)) {
		x := float64(k[g]) / float64(n[g])
		lo, hi := ClopperPearson(k[g], n[g], 0.95)
		v := Value{Value: &x, CILow: &lo, CIHigh: &hi, Uncertainty: Estimate, CI: "Clopper–Pearson 95%", N: n[g],
			Coverage: Coverage{Months: r.Period.Months()},
			Prov:     method(msg("method.items-scored", "k", k[g], "n", n[g], "min", r.Params["min_score"]), src)}
		if r.By != "" {
			v.Disaggregation = map[string]string{r.By: g}
		}
		out = append(out, v)
	}
	return out, nil
}

func (e *Engine) integrityResponse(ctx context.Context, r Request) ([]Value, error) {
	if e.in.Integrity == nil {
		return []Value{noData(msg("value.no-integrity-store"))}, nil
	}
	ns, err := e.in.Integrity.Narratives(ctx)
	if err != nil {
		return nil, err
	}
	cs, err := e.in.Integrity.RatedChecks(ctx)
	if err != nil {
		return nil, err
	}
	checks := make(map[int64]RatedCheck, len(cs))
	for _, c := range cs {
		checks[c.Narrative] = c
	}
	published := r.Params["to"] != "responded"
	hours := map[string][]float64{}
	waiting := map[string]int{}
	var b strings.Builder
	rated := 0
	for _, n := range ns {
		if !r.Period.Contains(monthOfTime(n.First)) {
			continue
		}
		c, ok := checks[n.ID]
		if !ok || c.Rating == "" {
			continue
		}
		rated++
		g := ""
		if r.By == "rating" {
			g = c.Rating
		}
		at := c.RespondedAt
		if published {
			at = c.PublishedAt
		}
		fmt.Fprintf(&b, "%d|%s|%s|%v\n", n.ID, n.First.UTC().Format(time.RFC3339), c.Rating, at)
		if _, ok := hours[g]; !ok {
			hours[g] = nil
		}
		if at == nil {
			waiting[g]++
			continue
		}
		hours[g] = append(hours[g], max(0, at.Sub(n.First).Hours()))
	}
	src := hashSource("integrity checks", rated, b.String())
	if rated == 0 {
		return []Value{noData(msg("value.no-rated-claim", "period", r.Period), src)}, nil
	}
	var out []Value
	for _, g := range slices.Sorted(maps.Keys(hours)) {
		xs := hours[g]
		v := Value{N: len(xs), Coverage: Coverage{Months: r.Period.Months()}, Prov: Provenance{Sources: []Source{src}}}
		if waiting[g] > 0 {
			v.Coverage.setNote(msg("note.claims-waiting", "n", waiting[g]))
		}
		if r.By != "" {
			v.Disaggregation = map[string]string{r.By: g}
		}
		if len(xs) == 0 {
			withReason(&v, msg("value.no-response-yet", "n", waiting[g]))
			out = append(out, v)
			continue
		}
		q := setQuantile(&v, xs, r.Params["q"])
		v.Prov.setMethod(msg("method.claims-quantile", "q", fmt.Sprintf("%g", q), "n", len(xs), "to", Msg{Code: "method.to-" + r.Params["to"]}))
		out = append(out, v)
	}
	return out, nil
}
