package alerts_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
	"github.com/vigil-project/vigil/internal/testutil"
)

// TestRefusalMessages: every refusal of a new channel, a tipline mark and
// a gateway URL carries its whole text as a catalog message (Refusals;
// apperr Key and Args as the API answers them): English as the error
// always read, French another text with nothing left unfilled; every
// message is said by one.
func TestRefusalMessages(t *testing.T) {
	ctx := context.Background()
	svc := alerts.NewService(testutil.Store(t), testutil.Keys(t, "k"))
	add := func(r alerts.ChannelRequest) func() error {
		return func() error { _, err := svc.AddChannel(ctx, "a", r); return err }
	}
	no := false
	cases := []struct {
		name string
		err  func() error
		fr   string // the whole French text, when checked
	}{
		{"kind", add(alerts.ChannelRequest{Kind: "fax", Name: "x"}), `type de canal inconnu "fax" (attendu smssync, twilio, webhook ou web)`},
		{"kind of NewChannel", func() error { _, err := svc.NewChannel(ctx, "a", "fax", "x", "", ""); return err }, `kind : type de canal inconnu "fax" (attendu smssync, twilio, webhook ou web)`},
		{"name empty", add(alerts.ChannelRequest{Kind: "web", Name: "  "}), "name : est vide"},
		{"name long", add(alerts.ChannelRequest{Kind: "web", Name: strings.Repeat("n", 101)}), "name : fait 101 octets, la limite est 100"},
		{"secret", add(alerts.ChannelRequest{Kind: "twilio", Name: "Phone"}), "secret : un canal twilio a besoin de --auth-token (les passerelles doivent prouver qui elles sont)"},
		{"legal basis", add(alerts.ChannelRequest{Kind: "web", Name: "Form", LegalBasis: "whim"}), ""},
		{"tipline", func() error { _, err := svc.PatchChannel(ctx, "a", 1, alerts.ChannelPatch{}); return err }, "tipline : obligatoire (true : une ligne de signalement, false : un canal d'alerte ordinaire)"},
		{"no channel", func() error { _, err := svc.PatchChannel(ctx, "a", 99, alerts.ChannelPatch{Tipline: &no}); return err }, "aucun canal 99"},
		{"URL parse", func() error { return alerts.CheckEscalationURL("http://[::1", false) }, "l'URL est illisible"},
		{"URL scheme", func() error { return alerts.CheckEscalationURL("ftp://x", false) }, `le schéma "ftp" n'est pas permis : utilisez http ou https`},
		{"URL host", func() error { return alerts.CheckEscalationURL("http://", false) }, "l'URL n'a pas d'hôte"},
	}
	reached := map[string]bool{}
	for _, c := range cases {
		for _, k := range apperrtest.Said(t, c.name, c.err(), c.fr) {
			reached[k] = true
		}
	}
	apperrtest.Catalog(t, alerts.Refusals, reached)
}
