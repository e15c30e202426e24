package ui_test

import (
	"strings"
	"testing"

	"github.com/vigil-project/vigil/web/ui"
)

// TestPageIntervals: the app page's <html> carries the intervals a server
// set (data-health-ms, data-alerts-poll-ms, read by Vigil.every), and none
// when they are zero, as vigil serve leaves them: the page keeps its own.
func TestPageIntervals(t *testing.T) {
	a, err := ui.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		every ui.Intervals
		html  string
	}{
		{ui.Intervals{}, `<html lang="en">`},
		{ui.Intervals{HealthMS: 200}, `<html lang="en" data-health-ms="200">`},
		{ui.Intervals{AlertsPollMS: 300}, `<html lang="en" data-alerts-poll-ms="300">`},
		{ui.Intervals{HealthMS: 200, AlertsPollMS: 300}, `<html lang="en" data-health-ms="200" data-alerts-poll-ms="300">`},
	} {
		page, err := a.Page(c.every)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Count(string(page), "<html"); got != 1 || !strings.Contains(string(page), c.html+"\n") {
			i := strings.Index(string(page), "<html")
			t.Errorf("%+v: want %s, got %.80s", c.every, c.html, string(page)[max(i, 0):])
		}
	}
}
