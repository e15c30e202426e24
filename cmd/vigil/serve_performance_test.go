package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/performance"
)

// TestWatchAlertBody: the escalation webhook's notice of a fired
// withdrawal says it to leadership in plain words, English and French
// (text, text_fr: what happened, where, how sure), as the Performance page
// and the brief do; the statistics are apart (figures, figures_fr) and the
// evidence stays as numbers for machines.
func TestWatchAlertBody(t *testing.T) {
	w := performance.Withdrawal{Cell: 130329, Area: "CAF", Mission: "MINUSCA", Location: "Bria", Month: "2018-03", Status: performance.WEvaluated,
		Before: 2, After: 19, Expected: 3.5, DiD: 15.5, P: 0.0001, Fired: true}
	rep := &performance.WatchReport{Config: performance.WatchConfig{Measure: "deaths", After: 12}}
	b, err := json.Marshal(watchAlertBody(w, rep, "https://vigil.example.org/"))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ key, want string }{
		{"text", "Violence against civilians rose after the mission left Bria (Central African Republic, MINUSCA) in March 2018: 19 civilian deaths in the 12 months after, where similar places where the mission stayed lead to expect about 3.5 (2 before) — almost certainly not chance."},
		{"text_fr", "La violence contre les civils a augmenté après le départ de la mission de Bria (République centrafricaine, MINUSCA) en mars 2018\u00a0: 19 décès de civils dans les 12 mois suivants, alors que des lieux semblables où la mission est restée laissent attendre environ 3,5 (2 avant) — presque certainement pas un hasard."},
		{"figures", "expected 3.5; difference-in-differences 15.5; Poisson test p < 0.001"},
		{"figures_fr", "attendu 3,5\u202f; double différence 15,5\u202f; test de Poisson p < 0,001"},
		{"type", "vigil.withdrawal.trigger"},
		{"url", "https://vigil.example.org/#/performance"},
	} {
		if s, _ := got[c.key].(string); s != c.want {
			t.Errorf("%s: %q, want %q", c.key, s, c.want)
		}
	}
	for _, k := range []string{"text", "text_fr"} {
		if s, _ := got[k].(string); strings.Contains(s, "p <") || strings.Contains(s, "différence") || strings.Contains(s, "difference") {
			t.Errorf("%s says the statistics: %q", k, s)
		}
	}
	if got["did"] != 15.5 || got["p"] != 0.0001 || got["expected"] != 3.5 || got["after"] != 19.0 {
		t.Errorf("the evidence's numbers: did %v, p %v, expected %v, after %v", got["did"], got["p"], got["expected"], got["after"])
	}
}
