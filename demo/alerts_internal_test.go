package demo

import (
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/geotext"
)

// TestAlertTextLanguage: a demo alert is written in one language, its DEMO
// mark included (a French reporter's alert began with the English "DEMO
// ALERT (synthetic, from UCDP GED event …):"), and one death is singular in
// French ("environ 1 mort signalé", not "1 morts signalés"); « près de »
// is elided before a vowel (« près d'Ippy »).
func TestAlertTextLanguage(t *testing.T) {
	e := gedEvent{id: "271759", date: time.Date(2018, 12, 3, 0, 0, 0, 0, time.UTC), typ: 3, sideA: "ADF", best: 1}
	beni := geotext.Place{Name: "Beni", Admin1: "Nord-Kivu"}
	ippy := geotext.Place{Name: "Ippy", Admin1: "Ouaka"}
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
		{e, beni, false, "DEMO ALERT (synthetic, from UCDP GED event 271759): civilians attacked by ADF near Beni, Nord-Kivu on 2018-12-03, about 1 reported dead."},
	} {
		if got := alertText(c.e, c.place, 0, c.french); got != c.want {
			t.Errorf("french %v, %d dead:\n got %q\nwant %q", c.french, c.e.best, got, c.want)
		}
	}
}

// TestDemoTextsBilingual: the demo's channels and its triage note are one
// text each, shown as written on the English and the French pages (the
// Alerts queue and channels, Administration, Contacts, an incident's log):
// each says it in English and in French (the French pages showed "DEMO
// channel — synthetic alerts written from real UCDP events"), within a
// channel name's 100 bytes.
func TestDemoTextsBilingual(t *testing.T) {
	for _, c := range []struct{ text, fr string }{
		{AlertChannelName, "formulaire DEMO, alertes synthétiques"},
		{ReplyGatewayName, "passerelle SMS DEMO, sans téléphone"},
		{TiplineName, "ligne DEMO, expéditeurs fictifs"},
		{TriageNote, "tri par l’utilisateur de démonstration (synthétique)"},
	} {
		en, fr, ok := strings.Cut(c.text, " / ")
		if !ok || fr != c.fr || !strings.HasPrefix(en, "DEMO") {
			t.Errorf("%q: English %q, French %q; want DEMO… / %q", c.text, en, fr, c.fr)
		}
		if c.text != TriageNote && len(c.text) > 100 {
			t.Errorf("%q: %d bytes, more than a channel name's 100", c.text, len(c.text))
		}
	}
}
