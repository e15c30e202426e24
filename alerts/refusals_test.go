package alerts_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
	"github.com/vigil-project/vigil/internal/testutil"
)

// TestRefusalMessages: every refusal the alert network's pages can meet
// (a new channel, a tipline mark, a gateway URL; the alert list's, the
// queue's and the dashboard's queries; an alert typed into the app or the
// web form; an incident's triage, a move of an alert, a reply to its
// reporter, a CAP publication, an event, and the store's refusals of them)
// carries its whole text as a catalog message (Refusals; apperr Key and
// Args as the API answers them): English as the error always read, French
// another text with nothing left unfilled; every message is said by one.
func TestRefusalMessages(t *testing.T) {
	ctx := context.Background()
	db := testutil.Store(t)
	svc := alerts.NewService(db, testutil.Keys(t, "k"))
	add := func(r alerts.ChannelRequest) func() error {
		return func() error { _, err := svc.AddChannel(ctx, "a", r); return err }
	}
	resp := &auth.User{Name: "rex", Role: auth.Responder}
	web, err := svc.NewChannel(ctx, "a", alerts.Web, "Form", "", "")
	if err != nil {
		t.Fatal(err)
	}
	tw, err := svc.NewChannel(ctx, "a", alerts.Twilio, "Bunia SMS", "token-12", "")
	if err != nil {
		t.Fatal(err)
	}
	closed, err := svc.NewChannel(ctx, "a", alerts.Web, "Old form", "", "")
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, err := svc.PatchChannel(ctx, "a", closed.ID, alerts.ChannelPatch{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	secret := func(id int64, s string) func() error {
		return func() error { _, err := svc.RotateSecret(ctx, "a", id, alerts.SecretRequest{Secret: s}); return err }
	}
	// Alert 1 has a reporter's number, alert 2 none; each in an incident of its own.
	a1, err := svc.Receive(ctx, web, alerts.Inbound{Message: "Armed men near the market", From: "+243812345678"})
	if err != nil {
		t.Fatal(err)
	}
	a2, err := svc.Receive(ctx, web, alerts.Inbound{Message: "Houses burning on the hill"})
	if err != nil {
		t.Fatal(err)
	}
	if a2.IncidentID == a1.IncidentID {
		in, err := svc.MoveAlert(ctx, resp, a2.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		a2.IncidentID = in.ID
	}
	status := func(id int64, to ...alerts.Status) {
		for _, s := range to {
			if _, err := svc.UpdateIncident(ctx, resp, id, alerts.Update{Status: &s}); err != nil {
				t.Fatal(err)
			}
		}
	}
	status(a2.IncidentID, alerts.False, alerts.Closed) // closed without being verified
	// An alert typed in, sent again with its client id after an edit.
	liaison, err := svc.NewChannel(ctx, "a", alerts.Web, "Liaison", "", "")
	if err != nil {
		t.Fatal(err)
	}
	typed := alerts.AlertRequest{Channel: liaison.Key, ID: "phone-1", Message: "Armed men near the market"}
	typedAlert, _, err := svc.Submit(ctx, resp, typed)
	if err != nil {
		t.Fatal(err)
	}
	typed.Message += ", two wounded"
	status(a1.IncidentID, alerts.Triaged, alerts.Verified)
	update := func(up alerts.Update) func() error {
		return func() error { _, err := svc.UpdateIncident(ctx, resp, a1.IncidentID, up); return err }
	}
	cap := func(st alerts.Status, title, lang string) func() error {
		return func() error {
			_, err := svc.CAPAlert(alerts.Incident{ID: 9, Status: st, Title: title}, nil, time.Now(), lang)
			return err
		}
	}
	event := func(id int64, req alerts.EventRequest) func() error {
		return func() error { _, err := svc.Event(ctx, "a", id, db, req); return err }
	}
	query := func(parse func(url.Values) error, q string) func() error {
		return func() error {
			v, _ := url.ParseQuery(q)
			return parse(v)
		}
	}
	alertQ := func(q url.Values) error { _, err := alerts.ParseAlertQuery(q); return err }
	incQ := func(q url.Values) error { _, err := alerts.ParseIncidentQuery(q); return err }
	dashQ := func(q url.Values) error { _, err := svc.DashboardQuery(ctx, auth.Viewer, q); return err }
	fl := func(v float64) *float64 { return &v }
	str := func(s string) *string { return &s }
	stat := func(s alerts.Status) *alerts.Status { return &s }
	no := false
	var none *int64
	cases := []struct {
		name string
		err  func() error
		fr   string // the whole French text, when checked
	}{
		{"kind", add(alerts.ChannelRequest{Kind: "fax", Name: "x"}), "type de canal inconnu «\u202ffax\u202f» (attendu smssync, twilio, webhook ou web)"},
		{"kind of NewChannel", func() error { _, err := svc.NewChannel(ctx, "a", "fax", "x", "", ""); return err }, "kind\u00a0: type de canal inconnu «\u202ffax\u202f» (attendu smssync, twilio, webhook ou web)"},
		{"name empty", add(alerts.ChannelRequest{Kind: "web", Name: "  "}), "name\u00a0: est vide"},
		{"name long", add(alerts.ChannelRequest{Kind: "web", Name: strings.Repeat("n", 101)}), "name\u00a0: fait 101 caractères, la limite est 100"},
		{"name with a control character", add(alerts.ChannelRequest{Kind: "web", Name: "Form\t1"}), "name\u00a0: contient un caractère de contrôle (U+0009) à la position 5"},
		{"secret", add(alerts.ChannelRequest{Kind: "twilio", Name: "Phone"}),
			"un canal Twilio a besoin de son jeton d’authentification\u00a0: collez-le dans «\u202fJeton d’authentification Twilio\u202f» (depuis la console Twilio\u202f; Vigil vérifie avec lui la signature de chaque message)"},
		{"no secret", add(alerts.ChannelRequest{Kind: "webhook", Name: "Hook", Secret: "   "}),
			"un canal SMSSync ou webhook a besoin d’un secret de 8 à 200 caractères\u00a0: les passerelles doivent prouver qui elles sont"},
		{"legal basis", add(alerts.ChannelRequest{Kind: "web", Name: "Form", LegalBasis: "whim"}), ""},
		{"a new channel's secret too short", add(alerts.ChannelRequest{Kind: "webhook", Name: "Hook", Secret: "s"}),
			"le secret d’un canal fait de 8 à 200 caractères (Twilio\u00a0: son jeton d’authentification)"},
		{"a new Twilio token too long", add(alerts.ChannelRequest{Kind: "twilio", Name: "Phone", Secret: strings.Repeat("é", 201)}),
			"le secret d’un canal fait de 8 à 200 caractères (Twilio\u00a0: son jeton d’authentification)"},
		{"empty patch", func() error { _, err := svc.PatchChannel(ctx, "a", 1, alerts.ChannelPatch{}); return err },
			"indiquez tipline (true\u00a0: une ligne de signalement, false\u00a0: un canal d’alerte ordinaire), lang (en, fr, ou \"\" pour aucune) ou disabled (true\u00a0: il ne reçoit plus de messages, false\u00a0: il les reçoit de nouveau)"},
		{"a web form's secret", secret(web.ID, ""), "« Form » est un canal de formulaire web\u00a0: il n’a pas de secret (son formulaire public vérifie un jeton qui lui est propre)"},
		{"a Twilio token not given", secret(tw.ID, " "), "indiquez le nouveau jeton d’authentification\u00a0: c’est Twilio qui le crée (changez-le d’abord dans la console Twilio, puis collez-le ici)"},
		{"a secret too short", secret(tw.ID, "tok"), "un secret fait de 8 à 200 caractères (vide\u00a0: le serveur en crée un)"},
		{"remove a channel with alerts", func() error { return svc.RemoveChannel(ctx, "a", web.ID) },
			"« Form » a déjà servi (alertes reçues\u00a0: 2\u202f; réponses envoyées\u00a0: 0\u202f; diffusions\u00a0: 0)\u00a0: le supprimer ferait perdre le canal par lequel elles sont passées. Désactivez-le plutôt\u00a0: il ne reçoit plus de messages et garde son historique"},
		{"typed in under a disabled channel", func() error {
			_, _, err := svc.Submit(ctx, resp, alerts.AlertRequest{Channel: closed.Key, Message: "x"})
			return err
		}, "« Old form » est désactivé\u00a0: il ne reçoit plus d’alertes (Administration → Canaux de réception)"},
		{"channel language", func() error {
			de := "de"
			_, err := svc.PatchChannel(ctx, "a", 1, alerts.ChannelPatch{Lang: &de})
			return err
		},
			"lang\u00a0: «\u202fde\u202f» n’est pas une langue des réponses aux auteurs d’alertes (attendu en, fr, ou \"\" pour aucune)"},
		{"no channel", func() error { _, err := svc.PatchChannel(ctx, "a", 99, alerts.ChannelPatch{Tipline: &no}); return err }, "aucun canal 99"},
		{"keys from the environment", func() error { _, err := svc.RotateKeys(ctx, "a", nil); return err },
			"les clés viennent de la variable d’environnement VIGIL_KEYS\u00a0: pour changer de clé, placez une nouvelle clé en tête de cette variable"},
		{"URL parse", func() error { return alerts.CheckEscalationURL("http://[::1", false) }, "l’URL est illisible"},
		{"URL scheme", func() error { return alerts.CheckEscalationURL("ftp://x", false) }, "le schéma «\u202fftp\u202f» n’est pas permis\u00a0: utilisez http ou https"},
		{"URL host", func() error { return alerts.CheckEscalationURL("http://", false) }, "l’URL n’a pas d’hôte"},
		{"URL metadata host", func() error { return alerts.CheckEscalationURL("http://metadata.google.internal/x", false) },
			"l’hôte metadata.google.internal est un service de métadonnées du cloud\u00a0: les adresses lien-local et de métadonnées du cloud sont refusées"},
		{"URL metadata address", func() error { return alerts.CheckEscalationURL("http://169.254.169.254/x", false) },
			"l’hôte 169.254.169.254 est une adresse de métadonnées du cloud\u00a0: les adresses lien-local et de métadonnées du cloud sont refusées"},
		{"URL link-local", func() error { return alerts.CheckEscalationURL("http://[fe80::1]/x", false) },
			"l’hôte fe80::1 est une adresse lien-local\u00a0: les adresses lien-local et de métadonnées du cloud sont refusées"},

		// Queries.
		{"since_id", query(alertQ, "since_id=-1"), "«\u202f-1\u202f» n’est pas un entier positif ou nul"},
		{"limit", query(alertQ, "limit=0"), "0 n’est pas entre 1 et 1000"},
		{"queue status", query(incQ, "status=received,done"), "statut inconnu «\u202fdone\u202f»"},
		{"queue since", query(incQ, "since=yesterday"), "«\u202fyesterday\u202f» n’est pas une date et heure RFC 3339"},
		{"weeks", query(dashQ, "weeks=600"), "doit être entre 1 et 520"},

		// Alerts.
		{"web channel", func() error {
			_, _, err := svc.Submit(ctx, &auth.User{Name: "rex", Role: auth.Responder}, alerts.AlertRequest{Channel: "nope", Message: "x"})
			return err
		}, "canal web inconnu «\u202fnope\u202f»"},
		{"message empty", func() error { _, err := svc.Receive(ctx, web, alerts.Inbound{Message: " \n "}); return err }, "message\u00a0: est vide"},
		{"message with NUL", func() error { _, err := svc.Receive(ctx, web, alerts.Inbound{Message: "a\x00b"}); return err }, "message\u00a0: contient un caractère NUL à la position 2"},
		{"name not UTF-8", func() error { _, err := svc.Receive(ctx, web, alerts.Inbound{Message: "x", Name: "\xff"}); return err }, "name\u00a0: n’est pas de l’UTF-8 valide"},
		{"location long", func() error {
			_, err := svc.Receive(ctx, web, alerts.Inbound{Message: "x", Location: strings.Repeat("é", 501)})
			return err
		}, "location\u00a0: fait 1002 octets, la limite est 1000"},
		{"lat alone", func() error { _, err := svc.Receive(ctx, web, alerts.Inbound{Message: "x", Lat: fl(1)}); return err }, "lat\u00a0: lat et lon vont ensemble"},
		{"lat range", func() error {
			_, err := svc.Receive(ctx, web, alerts.Inbound{Message: "x", Lat: fl(91), Lon: fl(1)})
			return err
		}, "lat\u00a0: hors de l’intervalle [-90, 90]"},
		{"lon range", func() error {
			_, err := svc.Receive(ctx, web, alerts.Inbound{Message: "x", Lat: fl(1), Lon: fl(181)})
			return err
		}, "lon\u00a0: hors de l’intervalle [-180, 180]"},

		// An incident's triage.
		{"priority", update(alerts.Update{Priority: str("urgent")}), "priority\u00a0: «\u202furgent\u202f» n’est pas l’un de critical, high, medium, low"},
		{"status", update(alerts.Update{Status: stat("done")}), "status\u00a0: statut inconnu «\u202fdone\u202f»"},
		{"category", update(alerts.Update{Category: str("riot")}), ""},
		{"reporter sex", update(alerts.Update{ReporterSex: str("x")}), ""},
		{"title long", update(alerts.Update{Title: str(strings.Repeat("é", 201))}), "title\u00a0: fait 201 caractères, la limite est 200"},
		{"place without coordinates", update(alerts.Update{Place: str("Djugu")}), "lat\u00a0: un lieu ou une précision demande lat et lon"},
		{"precision", update(alerts.Update{Lat: fl(1), Lon: fl(30), PrecisionM: fl(0)}), "precision_m\u00a0: doit être de plus de 0 et d’au plus 500 000 mètres"},
		{"lat without lon", update(alerts.Update{Lat: fl(1)}), "lat\u00a0: lat et lon vont ensemble"},
		{"coordinates", update(alerts.Update{Lat: fl(1), Lon: fl(200)}), "lat\u00a0: coordonnées hors limites"},
		{"transition", update(alerts.Update{Status: stat(alerts.Closed)}), "status\u00a0: impossible de passer du statut « vérifié » au statut « clos »"},

		// Alerts and their reporters.
		{"move without incident", func() error { _, err := svc.Move(ctx, resp, a1.ID, alerts.MoveRequest{Incident: none}); return err },
			"incident\u00a0: obligatoire (l’identifiant d’un incident ouvert, ou 0 pour un nouvel incident)"},
		{"move to -1", func() error { _, err := svc.MoveAlert(ctx, resp, a1.ID, -1); return err }, "incident\u00a0: doit être l’identifiant d’un incident ou 0 pour un nouvel incident"},
		{"move to its own", func() error { _, err := svc.MoveAlert(ctx, resp, a1.ID, a1.IncidentID); return err }, "incident\u00a0: l’alerte est déjà dans cet incident"},
		{"move to none", func() error { _, err := svc.MoveAlert(ctx, resp, a1.ID, 99); return err }, "incident\u00a0: l’incident 99 n’existe pas"},
		{"move to closed", func() error { _, err := svc.MoveAlert(ctx, resp, a1.ID, a2.IncidentID); return err }, "incident\u00a0: l’incident 2 a le statut « clos »"},
		{"reveal anonymous", func() error { _, err := svc.Reveal(ctx, resp, a2.ID, "to call back"); return err },
			"alert\u00a0: aucune coordonnée de la personne qui a signalé n’est conservée (anonyme ou effacée par la politique de conservation)"},
		{"reveal without reason", func() error { _, err := svc.Reveal(ctx, resp, a1.ID, " "); return err }, "reason\u00a0: est vide"},
		{"reply anonymous", func() error { _, err := svc.Reply(ctx, resp, a2.ID, "Thank you"); return err }, "alert\u00a0: cette alerte n’a pas de numéro d’expéditeur (anonyme ou effacé)"},
		{"reply without gateway", func() error { _, err := svc.Reply(ctx, resp, a1.ID, "Thank you"); return err },
			"gateway\u00a0: aucune passerelle SMS pour envoyer la réponse\u00a0: ajoutez un canal SMSSync (un téléphone sur lequel tourne SMSSync) dans Administration → Canaux de réception ou renseignez les réglages d’envoi d’un canal Twilio (Administration → Canaux → Passerelles de diffusion)\u00a0: celui de l’alerte pour une alerte reçue par Twilio, n’importe lequel pour une alerte envoyée avec le formulaire web"},
		// A reply's limit counts characters, as the page's counter does: 640
		// accented letters (1280 bytes) pass it and meet the next check.
		{"reply of 640 accented letters", func() error {
			_, err := svc.Reply(ctx, resp, a1.ID, strings.Repeat("é", alerts.MaxReplyChars))
			return err
		}, "gateway\u00a0: aucune passerelle SMS pour envoyer la réponse\u00a0: ajoutez un canal SMSSync (un téléphone sur lequel tourne SMSSync) dans Administration → Canaux de réception ou renseignez les réglages d’envoi d’un canal Twilio (Administration → Canaux → Passerelles de diffusion)\u00a0: celui de l’alerte pour une alerte reçue par Twilio, n’importe lequel pour une alerte envoyée avec le formulaire web"},
		{"reply long", func() error {
			_, err := svc.Reply(ctx, resp, a1.ID, strings.Repeat("é", alerts.MaxReplyChars+1))
			return err
		}, "message\u00a0: fait 641 caractères, la limite est 640"},

		// A change sent again with its id but another content.
		{"request id reused", func() error {
			if _, err := svc.UpdateIncident(ctx, resp, a1.IncidentID, alerts.Update{Note: "called", RequestID: "change-1"}); err != nil {
				return err
			}
			_, err := svc.UpdateIncident(ctx, resp, a1.IncidentID, alerts.Update{Note: "called twice", RequestID: "change-1"})
			return err
		}, fmt.Sprintf("request_id\u00a0: a déjà été envoyé avec une autre modification de l’incident %d\u00a0: envoyez une nouvelle modification avec un nouvel identifiant", a1.IncidentID)},

		{"retry edited", func() error { _, _, err := svc.Submit(ctx, resp, typed); return err },
			fmt.Sprintf("l’alerte n°\u00a0%d a déjà été enregistrée avec cet identifiant, telle qu’envoyée la première fois\u00a0: ces modifications n’ont pas été enregistrées (envoyez-les comme une nouvelle alerte, ou ajoutez-les en note à son incident)", typedAlert.ID)},

		// An incident escalated by hand (a2's is closed).
		{"escalate without reason", func() error {
			_, err := svc.EscalateIncident(ctx, resp, a1.IncidentID, alerts.EscalateRequest{Reason: " "})
			return err
		}, "reason\u00a0: est vide"},
		{"escalate closed", func() error {
			_, err := svc.EscalateIncident(ctx, resp, a2.IncidentID, alerts.EscalateRequest{Reason: "still on the road"})
			return err
		}, "l’incident 2 a le statut « clos »\u00a0: seul un incident ouvert peut faire l’objet d’une escalade"},
		{"escalate none", func() error {
			_, err := svc.EscalateIncident(ctx, resp, 99, alerts.EscalateRequest{Reason: "x"})
			return err
		}, "l’incident 99 n’existe pas"},

		// CAP and events.
		{"CAP language", cap(alerts.Verified, "t", "de"), "lang\u00a0: le CAP s’écrit en en ou fr, pas «\u202fde\u202f»"},
		{"CAP received", cap(alerts.Received, "t", "fr"), "status\u00a0: seuls les incidents vérifiés sont publiés (celui-ci a le statut « reçu »)"},
		{"CAP triaged", cap(alerts.Triaged, "t", "fr"), "status\u00a0: seuls les incidents vérifiés sont publiés (celui-ci a le statut « trié »)"},
		{"CAP unverified", cap(alerts.Unverified, "t", "fr"), "status\u00a0: seuls les incidents vérifiés sont publiés (celui-ci a le statut « non vérifiable »)"},
		{"CAP false", cap(alerts.False, "t", "fr"), "status\u00a0: seuls les incidents vérifiés sont publiés (celui-ci a le statut « fausse alerte »)"},
		{"CAP without title", cap(alerts.Dispatched, " ", "en"), "title\u00a0: donnez un titre avant de publier (les messages des personnes qui signalent ne sont jamais publiés)"},
		{"event unverified", func() error { _, err := svc.ToEvent(ctx, "a", a2.IncidentID, db, 3, 0); return err }, "status\u00a0: cet incident a été clos sans avoir été vérifié"},
		{"event without location", event(a1.IncidentID, alerts.EventRequest{}), "location\u00a0: l’incident n’a pas de lieu résolu\u00a0: définissez-le d’abord"},
		{"event violence", event(a1.IncidentID, alerts.EventRequest{Violence: "riot"}),
			"type de violence inconnu «\u202friot\u202f» (attendu state-based, non-state, one-sided, other-violence, non-violent ou le code UCDP 1–3)"},
	}
	reached := map[string]bool{}
	for _, c := range cases {
		for _, k := range apperrtest.Said(t, c.name, c.err(), c.fr) {
			reached[k] = true
		}
	}
	// With a location: fatalities, then an event of a received incident.
	if _, err := svc.UpdateIncident(ctx, resp, a1.IncidentID, alerts.Update{Lat: fl(1.56), Lon: fl(30.25), PrecisionM: fl(1000)}); err != nil {
		t.Fatal(err)
	}
	a3, err := svc.Receive(ctx, web, alerts.Inbound{Message: "Shots at night"})
	if err != nil {
		t.Fatal(err)
	}
	in3, err := svc.MoveAlert(ctx, resp, a3.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	apperrtest.SaidAll(t, reached,
		apperrtest.Case{Name: "fatalities", Err: event(a1.IncidentID, alerts.EventRequest{Best: -1})(), FR: "best\u00a0: le nombre de morts ne peut pas être négatif"},
		apperrtest.Case{Name: "event received", Err: event(in3.ID, alerts.EventRequest{})(), FR: "status\u00a0: seuls les incidents vérifiés deviennent des événements (celui-ci a le statut « reçu »)"},
	)
	// The store's bare "not found", as the web edge says it (NotFoundSaid);
	// a wrapped one keeps its own text.
	_, noAlert := svc.Reply(ctx, resp, 99, "x")
	apperrtest.SaidAll(t, reached,
		apperrtest.Case{Name: "not found", Err: alerts.NotFoundSaid(apperr.ErrNotFound), FR: "introuvable"},
		apperrtest.Case{Name: "no alert", Err: alerts.NotFoundSaid(noAlert), FR: "introuvable"},
	)
	// A store that cannot take the alert now (the app's and the gateways').
	apperrtest.SaidAll(t, reached, apperrtest.Case{Name: "store busy", Err: alerts.RetryLater(apperr.Unavailable("the database is read-only", nil)),
		FR: "la base de données ne peut pas prendre le message maintenant (occupée ou en lecture seule)\u00a0: rien n’a été enregistré\u202f; renvoyez-le plus tard"})
	if err := alerts.NotFoundSaid(fmt.Errorf("channel 3: %w", apperr.ErrNotFound)); err.Error() != "channel 3: not found" || apperr.As(err) != apperr.ErrNotFound {
		t.Errorf("wrapped not found: %q", err) // left as it is (the sentinel inside says "not found" by apperr's key)
	}
	// The live queue's stream beyond MaxStreams (Stream returns it:
	// TestStreamLimit; web's TestAlertsStreamLimit reads it from the API).
	apperrtest.SaidAll(t, reached, apperrtest.Case{Name: "streams", Err: alerts.ErrTooManyStreams,
		FR: "trop de flux en direct de la file d’alertes sont ouverts sur ce serveur\u202f; interrogez plutôt GET /api/v1/alerts"})
	// The store's refusal of a removal that a message overtook (storetest
	// Alerts/ChannelRemoveRace provokes it on PostgreSQL).
	apperrtest.SaidAll(t, reached, apperrtest.Case{Name: "channel just used", Err: apperr.Say(apperr.KindConflict, "", "alerts.refusal.channel-just-used", "Spare relay"),
		FR: "« Spare relay » vient de servir (un message est arrivé ou a été mis en attente d’envoi pendant sa suppression)\u00a0: il n’a pas été supprimé. Désactivez-le plutôt\u00a0: il ne reçoit plus de messages et garde son historique"})
	// The escalation outbox's retry by hand (storetest Alerts/NoticeAdmin,
	// web's TestAlertNoticesAPI): no webhook, no such unsent notice.
	_, noHook := svc.RetryNotice(ctx, "ada", 1)
	hooked := alerts.NewService(svc.Store, svc.Keys)
	hooked.EscalationURL = "https://hooks.example.org/escalate"
	_, noNotice := hooked.RetryNotice(ctx, "ada", 999)
	// A notice a pass is posting (claimed): storetest Alerts/NoticeRetryRace.
	busyNotice := &alerts.Notice{Key: "vigil-busy", Body: []byte(`{"type":"vigil.integrity.spike"}`)}
	claimed := time.Now()
	if err := hooked.Store.QueueNotice(ctx, busyNotice, claimed); err != nil {
		t.Fatal(err)
	}
	if ok, err := hooked.Store.ClaimNotice(ctx, busyNotice.ID, 0, claimed, claimed.Add(alerts.NoticeLease)); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	_, busy := hooked.RetryNotice(ctx, "ada", busyNotice.ID)
	// The webhook set in the browser (web's TestEscalationHookAPI): no
	// URL, too long, none to remove.
	_, hookEmpty := hooked.SetEscalationHook(ctx, "ada", alerts.HookRequest{URL: " "})
	_, hookLong := hooked.SetEscalationHook(ctx, "ada", alerts.HookRequest{URL: "https://hooks.example.org/" + strings.Repeat("a", alerts.MaxHookURL)})
	_, hookNone := hooked.RemoveEscalationHook(ctx, "ada")
	apperrtest.SaidAll(t, reached,
		apperrtest.Case{Name: "notice busy", Err: busy, FR: fmt.Sprintf("l’avis %d est en cours d’envoi\u00a0: rien n’a été modifié\u202f; regardez de nouveau dans une minute", busyNotice.ID)},
		apperrtest.Case{Name: "no webhook", Err: noHook, FR: "aucun webhook de remontée n’est défini (dans Administration → Avis de remontée, ou par vigil serve --alerts-escalation-url)\u00a0: l’avis ne peut pas être envoyé"},
		apperrtest.Case{Name: "no notice", Err: noNotice, FR: "l’avis 999 n’attend pas d’être envoyé (déjà envoyé, ou inexistant)"},
		apperrtest.Case{Name: "hook empty", Err: hookEmpty, FR: "indiquez l’URL du webhook (http ou https)"},
		apperrtest.Case{Name: "hook long", Err: hookLong, FR: "l’URL fait plus de 2000 octets"},
		apperrtest.Case{Name: "hook none here", Err: hookNone, FR: "aucun webhook de remontée n’est défini sur cette page\u00a0: rien n’a été supprimé"},
	)
	// A reply whose alert's channel cannot send it is refused, never
	// rerouted (contacts' TestReplyGoesBackTheWayItCame).
	replyOn := func(k alerts.Kind, name string, disable bool) error {
		c, err := svc.NewChannel(ctx, "a", k, name, "gw-secret-9", "")
		if err != nil {
			t.Fatal(err)
		}
		a, err := svc.Receive(ctx, c, alerts.Inbound{From: "whatsapp:+243811000077", Message: "x " + name})
		if err != nil {
			t.Fatal(err)
		}
		if disable {
			if _, err := svc.PatchChannel(ctx, "a", c.ID, alerts.ChannelPatch{Disabled: &disable}); err != nil {
				t.Fatal(err)
			}
		}
		_, err = svc.Reply(ctx, resp, a.ID, "Merci")
		return err
	}
	const notRerouted = "Une réponse à la personne qui a signalé n’est pas envoyée par un autre canal\u00a0: elle viendrait d’un numéro de la mission qu’elle ne connaît pas, et une personne qui écrit sur WhatsApp peut ne pas recevoir de SMS"
	apperrtest.SaidAll(t, reached,
		apperrtest.Case{Name: "reply twilio", Err: replyOn(alerts.Twilio, "Goma Twilio", false),
			FR: "gateway\u00a0: «\u202fGoma Twilio\u202f» n’a pas de réglages d’envoi (ou son envoi est en pause)\u00a0: renseignez son SID de compte et son numéro d’envoi dans Administration → Canaux → Passerelles de diffusion. " + notRerouted},
		apperrtest.Case{Name: "reply webhook", Err: replyOn(alerts.Webhook, "Kalehe webhook", false),
			FR: "gateway\u00a0: «\u202fKalehe webhook\u202f» n’a pas d’URL d’envoi (ou son envoi est en pause)\u00a0: indiquez l’URL à laquelle sa passerelle prend les messages dans Administration → Canaux → Passerelles de diffusion. " + notRerouted},
		apperrtest.Case{Name: "reply disabled", Err: replyOn(alerts.SMSSync, "Uvira phone", true),
			FR: "gateway\u00a0: «\u202fUvira phone\u202f» est désactivé\u00a0: une réponse à la personne qui a signalé n’est pas envoyée par un autre canal (elle viendrait d’un numéro de la mission qu’elle ne connaît pas, et une personne qui écrit sur WhatsApp peut ne pas recevoir de SMS)\u202f; réactivez-le pour répondre (Administration → Canaux de réception)"},
	)
	// web says these two (TestAlertsRefusalKeys): a server without the
	// alert network, or without an events store.
	reached["alerts.refusal.not-configured"], reached["alerts.refusal.no-events"] = true, true
	// Every status is said as the pages name it (the transitions above
	// name two; the others as an argument the same way).
	apperrtest.Words(t, reached, "status", alerts.StatusWord, alerts.Statuses...)
	apperrtest.Catalog(t, alerts.Refusals, reached)
}

// TestWebFormRefusalInItsLanguage: the public web form's refusal of an
// alert is said in the form's language (French: the catalog's French), the
// field named by the form's words for it; a page of no language says the
// API's English.
func TestWebFormRefusalInItsLanguage(t *testing.T) {
	ctx := context.Background()
	svc := alerts.NewService(testutil.Store(t), testutil.Keys(t, "k"))
	web, err := svc.NewChannel(ctx, "a", alerts.Web, "Form", "", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ lang, message, location, want string }{
		{"fr", "  ", "", "Ce qui se passe\u00a0: est vide"},
		{"en", "  ", "", "What is happening: is empty"},
		{"fr", "x", strings.Repeat("é", 501), "Où\u00a0: fait 1002 octets, la limite est 1000"},
		{"", "x", strings.Repeat("é", 501), "location: is 1002 bytes, the limit is 1000"},
	} {
		_, no, err := svc.PostWebForm(ctx, web, alerts.WebFormPost{IP: "192.0.2.1", CSRFCookie: "tok", CSRF: "tok", Lang: c.lang,
			In: alerts.Inbound{Message: c.message, Location: c.location}})
		if err != nil || no == nil || no.Outcome != alerts.FormInvalid || no.Msg != c.want {
			t.Errorf("%s %q: %+v %v, want %q", c.lang, c.message, no, err, c.want)
		}
	}
}
