package main

import (
	"encoding/json"

	"github.com/vigil-project/vigil/performance"
	"strings"
	"testing"
)

// TestWatchWithdrawalsGolden runs the withdrawal watch on the demo data
// (the real Geo-PKO and UCDP history of six countries) loaded in a data
// directory.
func TestWatchWithdrawalsGolden(t *testing.T) {
	data := perfDemoData(t)
	out, errs, err := runPerfCmd(t, "watch", "withdrawals", "--data", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, errs)
	}
	checkGolden(t, "watch_withdrawals.txt", out)
	out, errs, err = runPerfCmd(t, "watch", "withdrawals", "--data", data, "--measure", "events", "--json")
	if err != nil {
		t.Fatalf("%v\n%s", err, errs)
	}
	var rep performance.WatchReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	// The same withdrawals as the text report; one-sided events instead of deaths.
	if rep.Found != 210 || rep.Evaluated != 131 || rep.Config.Measure != "events" || len(rep.Withdrawals) != rep.Found {
		t.Errorf("events report: found %d evaluated %d measure %s", rep.Found, rep.Evaluated, rep.Config.Measure)
	}
}

func TestWatchBadFlags(t *testing.T) {
	data := perfDemoData(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"withdrawals", "--data", data, "--measure", "hearts"}, `measure: "hearts": want deaths or events`},
		{[]string{"withdrawals", "--data", data, "--confidence", "2"}, "confidence: 2 must be in (0.5, 1)"},
		{[]string{"withdrawals", "--geopko", "x.csv"}, "give both --geopko and --ucdp"},
		{[]string{"arrivals"}, `unknown subcommand "arrivals"`},
	} {
		_, _, err := runPerfCmd(t, append([]string{"watch"}, c.args...)...)
		if _, ok := err.(usageError); !ok || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want usage error %q", c.args, err, c.want)
		}
	}
	for _, args := range [][]string{{"watch", "-h"}, {"watch", "withdrawals", "-h"}} {
		if _, _, err := runPerfCmd(t, args...); err != nil && err.Error() != "flag: help requested" {
			t.Errorf("%v: %v", args, err)
		}
	}
}
