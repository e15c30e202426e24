package ui

import (
	"strings"
	"testing"
)

// TestAlertsQueueEmptySaysHow: the queue with no incident says how alerts
// come in and how to record one from the page, naming the page's own
// controls as they are labelled (it said « Rien ici. », "Nothing here.").
func TestAlertsQueueEmptySaysHow(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		d := readDict(t, "alerts."+lang+".json")
		for _, k := range []string{"alerts.emptyOpen", "alerts.emptyAll"} {
			s := d[k]
			if !strings.Contains(s, d["alerts.phone.title"]) {
				t.Errorf("%s %s = %q: does not name the phone form %q", lang, k, s, d["alerts.phone.title"])
			}
		}
		if s := d["alerts.emptyOpen"]; !strings.Contains(s, d["alerts.openOnly"]) {
			t.Errorf("%s alerts.emptyOpen = %q: does not name the box %q that hides closed incidents", lang, s, d["alerts.openOnly"])
		}
	}
}
