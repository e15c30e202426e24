package demo_test

import (
	"context"
	"testing"

	"github.com/vigil-project/vigil/demo"
)

type states map[string]string

func (s states) DemoState(context.Context) (map[string]string, error) { return s, nil }

// TestStatus: no store or an empty state is no demo; a demo store says
// which data are synthetic and whether a forecast is still computing.
func TestStatus(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name      string
		s         *demo.Status
		isDemo    bool
		computing bool
		notice    bool
	}{
		{"no store", &demo.Status{}, false, false, false},
		{"empty", &demo.Status{Store: states{}}, false, false, false},
		{"computing", &demo.Status{Store: states{demo.StateEvents: demo.Done, demo.StateForecastPG: demo.Computing}}, true, true, true},
		{"done", &demo.Status{Store: states{demo.StateEvents: demo.Done, demo.StateForecastPG: demo.Done, demo.StateForecastCtr: demo.Done}}, true, false, true},
	}
	for _, c := range cases {
		out, err := c.s.Answer(ctx)
		if err != nil || out["demo"] != c.isDemo || (c.s.Store != nil && out["computing"] != c.computing) {
			t.Errorf("%s: %v, %v", c.name, out, err)
		}
		if _, ok := out["notice_fr"]; ok != c.notice {
			t.Errorf("%s: French notice present %v, want %v", c.name, ok, c.notice)
		}
	}
}
