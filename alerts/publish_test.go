package alerts_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/capxml"
	"github.com/vigil-project/vigil/internal/apperr"
)

// TestCAPAlertLanguage: the CAP <info> block is in the language the
// responder wrote the title in (the UI sends its own), with Vigil's own
// words (sender name, area description) in that language; another
// language is refused on the field "lang". Before, every alert said
// language "en" and "near …", whatever the responder wrote.
func TestCAPAlertLanguage(t *testing.T) {
	lat, lon := 0.4911, 29.4731
	in := alerts.Incident{ID: 7, Status: alerts.Verified, Title: "Déplacement vers Beni", Priority: "high", AlertCount: 2,
		Location: alerts.Location{Status: "manual", Lat: &lat, Lon: &lon, PrecisionM: 5000, Place: "Beni, Nord-Kivu (RD Congo)"}}
	noPlace := in
	noPlace.Location.Place = ""
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		lang, want, sender, area string
		in                       alerts.Incident
	}{
		{"", "en", "Vigil community alert network", "near Beni, Nord-Kivu (RD Congo)", in},
		{"en", "en", "Vigil community alert network", "incident area", noPlace},
		{"fr", "fr", "Réseau d’alerte communautaire Vigil", "près de Beni, Nord-Kivu (RD Congo)", in},
		{"fr", "fr", "Réseau d’alerte communautaire Vigil", "zone de l’incident", noPlace},
		{"de", "", "", "", in},
	}
	s := &alerts.Service{}
	for _, c := range cases {
		t.Run(c.lang+"/"+c.area, func(t *testing.T) {
			a, err := s.CAPAlert(c.in, nil, now, c.lang)
			if c.want == "" {
				if apperr.FieldOf(err) != "lang" {
					t.Fatalf("lang %q: %v, want refused on lang", c.lang, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			info := a.Infos[0]
			if info.Language != c.want || info.SenderName != c.sender || info.Areas[0].AreaDesc != c.area || info.Headline != c.in.Title {
				t.Errorf("info: language %q, sender %q, area %q, headline %q", info.Language, info.SenderName, info.Areas[0].AreaDesc, info.Headline)
			}
			b, err := capxml.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			back, version, err := capxml.DecodeVersion(strings.NewReader(string(b)))
			if err != nil || version != "1.2" || back.Validate() != nil || back.Infos[0].Language != c.want {
				t.Fatalf("round trip: %v %q", err, version)
			}
		})
	}
}
