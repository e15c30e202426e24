package demo

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/geotext"
)

// TestAlertTextLanguage: a demo alert is written in one language, its DEMO
// mark included (a French reporter's alert began with the English "DEMO
// ALERT (synthetic, from UCDP GED event …):"), and one death is singular in
// French ("environ 1 mort signalé", not "1 morts signalés"); « près de »
// is elided before a vowel (« près d'Ippy »); the place's first-level unit
// is in French too (« Darfour-Nord »).
func TestAlertTextLanguage(t *testing.T) {
	e := gedEvent{id: "271759", date: time.Date(2018, 12, 3, 0, 0, 0, 0, time.UTC), typ: 3, sideA: "ADF", best: 1}
	beni := geotext.Place{Name: "Beni", Admin1: "Nord-Kivu"}
	ippy := geotext.Place{Name: "Ippy", Admin1: "Ouaka"}
	kutum := geotext.Place{Name: "Kutum", Admin1: "North Darfur"}
	three := e
	three.best = 3
	for _, c := range []struct {
		e      gedEvent
		place  geotext.Place
		french bool
		want   string
	}{
		// « près de » elided before a vowel, as the reporter's keyboard types it (« près de Ippy » was written).
		{e, ippy, true, "ALERTE DEMO (synthétique, d'après l'événement UCDP GED 271759) : des civils attaqués par ADF près d'Ippy, Ouaka le 2018-12-03, environ 1 mort signalé."},
		{e, ippy, false, "DEMO ALERT (synthetic, from UCDP GED event 271759): civilians attacked by ADF near Ippy, Ouaka on 2018-12-03, about 1 reported dead."},
		{e, beni, true, "ALERTE DEMO (synthétique, d'après l'événement UCDP GED 271759) : des civils attaqués par ADF près de Beni, Nord-Kivu le 2018-12-03, environ 1 mort signalé."},
		{three, beni, true, "ALERTE DEMO (synthétique, d'après l'événement UCDP GED 271759) : des civils attaqués par ADF près de Beni, Nord-Kivu le 2018-12-03, environ 3 morts signalés."},
		// a French reporter names the unit in French (« North Darfur » was written)
		{e, kutum, true, "ALERTE DEMO (synthétique, d'après l'événement UCDP GED 271759) : des civils attaqués par ADF près de Kutum, Darfour-Nord le 2018-12-03, environ 1 mort signalé."},
		{e, kutum, false, "DEMO ALERT (synthetic, from UCDP GED event 271759): civilians attacked by ADF near Kutum, North Darfur on 2018-12-03, about 1 reported dead."},
		{e, beni, false, "DEMO ALERT (synthetic, from UCDP GED event 271759): civilians attacked by ADF near Beni, Nord-Kivu on 2018-12-03, about 1 reported dead."},
	} {
		if got := alertText(c.e, c.place, 0, c.french); got != c.want {
			t.Errorf("french %v, %d dead:\n got %q\nwant %q", c.french, c.e.best, got, c.want)
		}
	}
}

// TestDemoChannelNames: the demo's channels (and its integrity items'
// sources) have one short name each,
// the same in English and in French, like the demo's survey rounds
// (DEMO-R1): the French Administration → Channels listed « DEMO web form,
// synthetic alerts / formulaire DEMO, alertes synthétiques », both
// languages at once. What each is, the page's kind column says in the
// page's language.
func TestDemoChannelNames(t *testing.T) {
	seen := map[string]bool{}
	// and so have the sources of its monitoring export and radio
	// transcripts: « DEMO monitoring export (synthetic posts, fictitious
	// accounts) » was the French Integrity page's source, in English.
	for _, name := range []string{AlertChannelName, ReplyGatewayName, TiplineName, IntegritySource, RadioSource} {
		if !regexp.MustCompile(`^DEMO-[A-Z]+-[0-9]$`).MatchString(name) || seen[name] {
			t.Errorf("channel or source name %q: want one short name DEMO-KIND-N, not another's", name)
		}
		seen[name] = true
	}
}

// TestDemoTriageNoteBilingual: the demo's triage note is one text, shown
// as written on the English and the French pages (an incident's log): it
// says it in English and in French.
func TestDemoTriageNoteBilingual(t *testing.T) {
	en, fr, ok := strings.Cut(TriageNote, " / ")
	if want := "tri par l’utilisateur de démonstration (synthétique)"; !ok || fr != want || !strings.HasPrefix(en, "DEMO") {
		t.Errorf("%q: English %q, French %q; want DEMO… / %q", TriageNote, en, fr, want)
	}
}
