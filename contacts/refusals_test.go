package contacts_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
	"github.com/vigil-project/vigil/internal/testutil"
)

// TestRefusalMessages: every refusal of a contacts file, a contact and a
// broadcast carries its whole text as a catalog message (Refusals; apperr
// Key and Args as the API answers them): English as the error always
// read, French with an import's file, line and column in words ("fichier
// c.csv, ligne 3, colonne phone : …"); every message is said by one.
func TestRefusalMessages(t *testing.T) {
	fp := func(f float64) *float64 { return &f }
	bare := contacts.NewService(testutil.Store(t), testutil.Keys(t, "k2")) // no gazetteer
	cs, as, ch := contactsWithChannel(t, alerts.SMSSync, "phone")
	cs.Places = testutil.Places{G: testutil.Gazetteer(t, "name,lat,lon,admin1_name,kind,population\n"+
		"Bunia,1.566,30.252,Ituri,town,900000\nMambasa,1.36,29.05,Ituri,town,1000\nMambasa,-3.0,20.0,Kasai,town,1000\n")}
	ctx := context.Background()
	file := func(name, data string) func() error {
		return func() error {
			rows, err := contacts.ParseCSV(strings.NewReader(data), name, "verbal")
			if err == nil {
				_, err = cs.Import(ctx, "a", rows)
			}
			return err
		}
	}
	send := func(r contacts.BroadcastRequest) func() error {
		return func() error {
			if r.ChannelID == 0 {
				r.ChannelID = ch.ID
			}
			_, err := cs.Send(ctx, "a", r)
			return err
		}
	}
	msg := map[string]string{"fr": "Réunion demain"}
	gw := func(kind alerts.Kind, g contacts.GatewaySettings) func() error {
		return func() error {
			if kind != "" {
				c, err := as.NewChannel(ctx, "a", kind, string(kind), "gw-secret-1", "")
				if err != nil {
					return err
				}
				g.ChannelID = c.ID
			}
			_, err := cs.SetGateway(ctx, "a", g)
			return err
		}
	}
	importGroup(t, cs, 1, 1, "can")
	var big strings.Builder // one row more than an import takes
	big.WriteString("phone\n")
	for i := 0; i <= contacts.MaxImportRows; i++ {
		big.WriteString("+243830000009\n")
	}
	cases := []struct {
		name string
		err  func() error
		fr   string // the whole French text, when checked
	}{
		{"empty file", file("c.csv", ""), "fichier c.csv, ligne 1\u00a0: fichier vide\u00a0: une ligne d’en-tête est attendue (phone,name,language,groups,place ou lat,lon)"},
		{"unknown column", file("c.csv", "phone,age\n"), "fichier c.csv, ligne 1\u00a0: colonne inconnue «\u202fage\u202f» (attendu phone,name,language,groups,place,lat,lon,consent)"},
		{"column twice", file("c.csv", "phone,phone\n"), ""},
		{"no phone", file("c.csv", "name\nx\n"), "fichier c.csv, ligne 1\u00a0: pas de colonne phone"},
		{"lat alone", file("c.csv", "phone,lat\n"), ""},
		{"fields", file("c.csv", "phone,name\n+243830000009\n"), "fichier c.csv, ligne 2\u00a0: nombre de champs incorrect\u00a0: 1, l’en-tête en a 2"},
		{"lat,lon", file("c.csv", "phone,lat,lon\n+243830000009,1.5,north\n"), "fichier c.csv, ligne 2, colonne lat,lon\u00a0: «\u202f1.5\u202f»,«\u202fnorth\u202f» n’est pas une latitude,longitude"},
		{"too many rows", file("c.csv", big.String()), "fichier c.csv, ligne 200002\u00a0: plus de 200000 lignes\u00a0: découpez le fichier"},
		{"no contacts", file("c.csv", "phone\n"), "fichier c.csv, ligne 2\u00a0: aucun contact après l’en-tête"},
		{"quote", file("c.csv", "phone\n\"+243\n"), ""},
		{"phone", file("c.csv", "phone,name\n+243830000009,A\nnot-a-phone,B\n"), "fichier c.csv, ligne 3, colonne phone\u00a0: «\u202fnot-a-phone\u202f» n’est pas un numéro de téléphone (chiffres, espaces, tirets et un + initial seulement)"},
		{"phone digits", file("c.csv", "phone\n12345\n"), ""},
		{"same number", file("c.csv", "phone\n+243830000009\n+243 830 000 009\n"), "fichier c.csv, ligne 3, colonne phone\u00a0: le même numéro qu’en c.csv:2"},
		{"already a contact", file("c.csv", "phone\n+243800000001\n"), "fichier c.csv, ligne 2, colonne phone\u00a0: ce numéro de téléphone est déjà un contact"},
		// A name and how the person agreed count characters (an accented
		// letter is one): 200 accented letters (400 bytes) are taken.
		{"name of 200 accented letters", file("c.csv", "phone,name\n+243830000009,"+strings.Repeat("é", 200)+"\nnot-a-phone,B\n"),
			"fichier c.csv, ligne 3, colonne phone\u00a0: «\u202fnot-a-phone\u202f» n’est pas un numéro de téléphone (chiffres, espaces, tirets et un + initial seulement)"},
		{"name long", file("c.csv", "phone,name\n+243830000009,"+strings.Repeat("é", 201)+"\n"), "fichier c.csv, ligne 2, colonne name\u00a0: plus de 200 caractères"},
		// What a gateway sends stays bounded in bytes.
		{"gateway error long", func() error {
			_, err := contacts.ParseWebhookReceipt([]byte(`{"uuid":"u1","status":"failed","error":"` + strings.Repeat("é", 101) + `"}`))
			return err
		}, "error\u00a0: plus de 200 octets"},
		{"consent long", func() error {
			_, err := cs.Create(ctx, "a", contacts.Input{Phone: "+243830000009", ConsentHow: strings.Repeat("é", 201)})
			return err
		}, "consent_how\u00a0: plus de 200 caractères"},
		{"name control", func() error {
			_, err := cs.Create(ctx, "a", contacts.Input{Phone: "+243830000009", Name: "a\x01", ConsentHow: "verbal"})
			return err
		}, "name\u00a0: les caractères de contrôle ne sont pas permis"},
		{"language", file("c.csv", "phone,language\n+243830000009,xx\n"), ""},
		{"group long", file("c.csv", "phone,groups\n+243830000009,"+strings.Repeat("g", 61)+"\n"), ""},
		{"group chars", file("c.csv", "phone,groups\n+243830000009,a/b\n"), ""},
		{"consent", func() error { _, err := cs.Create(ctx, "a", contacts.Input{Phone: "+243830000009"}); return err }, ""},
		{"lat and lon", func() error {
			_, err := cs.Create(ctx, "a", contacts.Input{Phone: "+243830000009", Lat: fp(1), ConsentHow: "verbal"})
			return err
		}, ""},
		{"latitude", file("c.csv", "phone,lat,lon\n+243830000009,95,1\n"), "fichier c.csv, ligne 2, colonne lat\u00a0: 95,1 n’est pas une latitude,longitude"},
		{"no gazetteer", func() error {
			_, err := bare.Create(ctx, "a", contacts.Input{Phone: "+243830000009", Place: "Bunia", ConsentHow: "verbal"})
			return err
		}, ""},
		{"no place", file("c.csv", "phone,place\n+243830000009,Atlantis\n"), ""},
		{"ambiguous", file("c.csv", "phone,place\n+243830000009,Mambasa\n"), ""},
		{"no channel", func() error { _, err := cs.Send(ctx, "a", contacts.BroadcastRequest{ChannelID: -1}); return err }, "channel_id\u00a0: choisissez le canal de passerelle d’envoi"},
		{"no gateway", send(contacts.BroadcastRequest{ChannelID: ch.ID + 100}), ""},
		{"two audiences", send(contacts.BroadcastRequest{Audience: contacts.Audience{Group: "can", AdminArea: "Ituri"}}), ""},
		{"no audience", send(contacts.BroadcastRequest{Messages: msg}), "group\u00a0: donnez un groupe, un lieu (ou lat,lon) avec un rayon, des cellules ou une zone administrative"},
		{"radius", send(contacts.BroadcastRequest{Audience: contacts.Audience{NearPlace: "Bunia", RadiusKM: 900}}), "radius_km\u00a0: donnez un rayon entre 0 et 500 km"},
		{"broadcast lat", send(contacts.BroadcastRequest{Audience: contacts.Audience{Lat: fp(1), RadiusKM: 5}}), ""},
		{"broadcast latitude", send(contacts.BroadcastRequest{Audience: contacts.Audience{Lat: fp(100), Lon: fp(1), RadiusKM: 5}}), ""},
		{"near place", send(contacts.BroadcastRequest{Audience: contacts.Audience{NearPlace: "Atlantis", RadiusKM: 5}}), ""},
		{"admin area", send(contacts.BroadcastRequest{Audience: contacts.Audience{AdminArea: "Atlantis"}}), ""},
		{"admin without gazetteer", func() error {
			_, err := bare.Send(ctx, "a", contacts.BroadcastRequest{ChannelID: 1, Audience: contacts.Audience{AdminArea: "Ituri"}})
			return err
		}, "admin_area\u00a0: aucun répertoire de lieux chargé"},
		{"broadcast group", send(contacts.BroadcastRequest{Audience: contacts.Audience{Group: "a/b"}}), ""},
		{"cells", send(contacts.BroadcastRequest{Audience: contacts.Audience{Cells: make([]int, contacts.MaxCells+1)}}), ""},
		{"cell", send(contacts.BroadcastRequest{Audience: contacts.Audience{Cells: []int{0}}}), ""},
		{"no message", send(contacts.BroadcastRequest{Audience: contacts.Audience{Group: "can"}}), "messages\u00a0: écrivez le message (au moins une langue)"},
		{"message language", send(contacts.BroadcastRequest{Audience: contacts.Audience{Group: "can"}, Messages: map[string]string{"xx": "hi"}}), ""},
		// The limit counts characters, as the form's counter does: 640
		// accented letters (1280 bytes) pass it and meet the next check.
		{"message of 640 accented letters", send(contacts.BroadcastRequest{Audience: contacts.Audience{Group: "can"}, Messages: map[string]string{"fr": strings.Repeat("é", 640)}, Fallback: "en"}),
			"fallback\u00a0: aucun message en «\u202fen\u202f», la langue de repli"},
		{"message long", send(contacts.BroadcastRequest{Audience: contacts.Audience{Group: "can"}, Messages: map[string]string{"fr": strings.Repeat("é", 641)}}),
			"messages.fr\u00a0: plus de 640 caractères"},
		{"fallback", send(contacts.BroadcastRequest{Audience: contacts.Audience{Group: "can"}, Messages: msg, Fallback: "en"}), "fallback\u00a0: aucun message en «\u202fen\u202f», la langue de repli"},
		{"gateway channel", gw("", contacts.GatewaySettings{ChannelID: ch.ID + 100, RatePerS: 1}), "channel_id\u00a0: aucun canal avec cet identifiant"},
		{"gateway rate", gw("", contacts.GatewaySettings{ChannelID: ch.ID, RatePerS: 500}), "rate_per_s\u00a0: donnez un débit entre 0,01 et 100 messages par seconde"},
		{"gateway tries", gw("", contacts.GatewaySettings{ChannelID: ch.ID, RatePerS: 1, MaxAttempts: 21}), "max_attempts\u00a0: donnez entre 1 et 20 essais par message (0\u00a0: la valeur par défaut du serveur)"},
		{"gateway secret", gw("", contacts.GatewaySettings{ChannelID: ch.ID, RatePerS: 1, Secret: "short"}), "secret\u00a0: un secret fait de 8 à 200 caractères"},
		{"gateway SID", gw(alerts.Twilio, contacts.GatewaySettings{RatePerS: 1, AccountSID: "AC1"}), ""},
		{"gateway URL", gw(alerts.Webhook, contacts.GatewaySettings{RatePerS: 1}), ""},
		{"gateway URL scheme", gw(alerts.Webhook, contacts.GatewaySettings{RatePerS: 1, SendURL: "ftp://x"}), "send_url\u00a0: le schéma «\u202fftp\u202f» n’est pas permis\u00a0: utilisez http ou https"},
		{"gateway URL link-local", gw(alerts.Webhook, contacts.GatewaySettings{RatePerS: 1, SendURL: "http://169.254.169.254/send"}),
			"send_url\u00a0: l’hôte 169.254.169.254 est une adresse de métadonnées du cloud\u00a0: les adresses lien-local et de métadonnées du cloud sont refusées"},
		{"gateway web form", gw(alerts.Web, contacts.GatewaySettings{RatePerS: 1}), ""},
		{"no contact", func() error { _, err := cs.Update(ctx, "a", 999, contacts.Edit{}); return err }, "aucun contact avec cet identifiant"},
		{"opt-in without consent", func() error {
			if _, err := cs.InboundSMS(ctx, "+243800000001", "STOP"); err != nil {
				return err
			}
			all, err := cs.List(ctx, contacts.Filter{})
			if err != nil || len(all) == 0 {
				return err
			}
			_, err = cs.Update(ctx, "a", all[0].ID, contacts.Edit{OptIn: true})
			return err
		}, "consent_how\u00a0: ce contact s’est désinscrit\u00a0: pour le réinscrire, dites comment la personne a de nouveau accepté"},
		{"no broadcast", func() error { _, err := cs.Get(ctx, 999); return err }, "aucune diffusion avec cet identifiant"},
		// An audience with no one in it (the group's one contact opted out just above).
		{"empty group", send(contacts.BroadcastRequest{Audience: contacts.Audience{Group: "nobody"}, Messages: msg}),
			"group\u00a0: aucun contact dans le groupe «\u202fnobody\u202f»\u00a0: ajoutez-en sur la page Contacts, ou choisissez un autre public"},
		{"empty area", send(contacts.BroadcastRequest{Audience: contacts.Audience{NearPlace: "Bunia", RadiusKM: 5}, Messages: msg}),
			"near_place\u00a0: aucun contact dont le lieu est connu n’est dans cette zone\u00a0: ajoutez-en sur la page Contacts, ou choisissez un autre public"},
		{"all opted out", send(contacts.BroadcastRequest{Audience: contacts.Audience{Group: "can"}, Messages: msg}),
			"group\u00a0: tous les contacts de ce public se sont désinscrits (1)\u00a0: personne ne recevrait la diffusion"},
	}
	reached := map[string]bool{}
	for _, c := range cases {
		for _, k := range apperrtest.Said(t, c.name, c.err(), c.fr) {
			reached[k] = true
		}
	}
	if reached["geotext.refusal.name-long"] {
		reached["contacts.refusal.long-200"] = true // the same English and French, said by geotext's key (registered first)
	}
	apperrtest.Catalog(t, contacts.Refusals, reached)
}
