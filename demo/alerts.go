package demo

import (
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	rand2 "math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/storage"
)

// A channel has one name, shown as it is on the English and the French
// pages (Alerts, Administration, Contacts): the demo's channels have one
// short name each, the same in both languages, as its survey rounds
// (DEMO-R1); the pages' kind column says what each is in their language.
// (They were named in both languages at once, « DEMO web form, synthetic
// alerts / formulaire DEMO, alertes synthétiques », until 2026-12-07; a
// data directory made before keeps its names.)

// AlertChannelName names the demo alert channel (a web form): the queue
// shows it on every demo alert.
const AlertChannelName = "DEMO-WEB-1"

// ReplyGatewayName names the demo's SMS gateway channel, through which
// replies to the demo reporters are queued (no phone is connected to it).
const ReplyGatewayName = "DEMO-SMS-1"

// DemoArea is the six demo countries: place names there rank first.
var DemoArea = &geotext.Area{Countries: []string{"COD", "CAF", "SSD", "MLI", "SDN", "SOM"}}

// gedEvent is one row of the embedded UCDP extract.
type gedEvent struct {
	id       string
	date     time.Time
	country  string
	typ      int
	sideA    string
	sideB    string
	lat, lon float64
	best     int
}

func readEvents() ([]gedEvent, error) {
	r, err := Open(UCDPEvents)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	cr := csv.NewReader(r)
	h, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", UCDPEvents, err)
	}
	col := map[string]int{}
	for i, n := range h {
		col[n] = i
	}
	var out []gedEvent
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", UCDPEvents, err)
		}
		d, err1 := time.Parse("2006-01-02", rec[col["date_start"]])
		la, err2 := strconv.ParseFloat(rec[col["latitude"]], 64)
		lo, err3 := strconv.ParseFloat(rec[col["longitude"]], 64)
		t, err4 := strconv.Atoi(rec[col["type_of_violence"]])
		b, err5 := strconv.Atoi(rec[col["best"]])
		if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
			return nil, fmt.Errorf("%s: event %s: %w", UCDPEvents, rec[col["id"]], err)
		}
		out = append(out, gedEvent{id: rec[col["id"]], date: d, country: rec[col["country"]], typ: t,
			sideA: rec[col["side_a"]], sideB: rec[col["side_b"]], lat: la, lon: lo, best: b})
	}
	return out, nil
}

// alertText writes a demo alert from a real event: what happened, where
// (the place the gazetteer names nearest the event), when; English or
// French, its DEMO mark in the same language (a French reporter's alert
// reads "ALERTE DEMO (synthétique, d'après l'événement UCDP GED N) : …").
// reporterNear is "près de PLACE" as a reporter types it: elided before a
// vowel (« près d'Ippy », not « près de Ippy »), with the keyboard's
// straight apostrophe the rest of a demo message writes (d'après).
func reporterNear(place string) string {
	return strings.ReplaceAll(geotext.PresDe(place), "’", "'")
}

func alertText(e gedEvent, place geotext.Place, n int, french bool) string {
	where := place.Name
	if place.Admin1 != "" && geotext.Fold(place.Admin1) != geotext.Fold(place.Name) {
		lang := "en"
		if french {
			lang = "fr"
		}
		where += ", " + geotext.UnitName(place.Admin1, lang)
	}
	day := e.date.Format("2006-01-02")
	near := reporterNear(where)
	var what string
	switch {
	case french && e.typ == 3:
		what = fmt.Sprintf("des civils attaqués par %s %s le %s", e.sideA, near, day)
	case french && e.typ == 2:
		what = fmt.Sprintf("affrontements entre %s et %s %s le %s", e.sideA, e.sideB, near, day)
	case french:
		what = fmt.Sprintf("combats entre %s et %s %s le %s", e.sideA, e.sideB, near, day)
	case e.typ == 3:
		what = fmt.Sprintf("civilians attacked by %s near %s on %s", e.sideA, where, day)
	case e.typ == 2:
		what = fmt.Sprintf("fighting between %s and %s near %s on %s", e.sideA, e.sideB, where, day)
	default:
		what = fmt.Sprintf("clashes between %s and %s near %s on %s", e.sideA, e.sideB, where, day)
	}
	var tail string
	switch {
	case french && e.best == 1:
		tail = ", environ 1 mort signalé"
	case french && e.best > 0:
		tail = fmt.Sprintf(", environ %d morts signalés", e.best)
	case e.best > 0:
		tail = fmt.Sprintf(", about %d reported dead", e.best)
	}
	follow := []string{"", " People are fleeing.", " Shops closed, roads empty.", " Second message: still tense."}
	if french {
		follow = []string{"", " Les habitants fuient.", " Boutiques fermées, routes vides.", " Deuxième message : toujours tendu."}
	}
	if french {
		return fmt.Sprintf("ALERTE DEMO (synthétique, d'après l'événement UCDP GED %s) : %s%s.%s", e.id, what, tail, follow[n%len(follow)])
	}
	return fmt.Sprintf("DEMO ALERT (synthetic, from UCDP GED event %s): %s%s.%s", e.id, what, tail, follow[n%len(follow)])
}

// ReporterSource is how demo reporter rep sends their alerts, each always
// the same way (one of alerts.Sources): half of them text the demo's SMS
// gateway (DEMO-SMS-1), a quarter use the public web form (DEMO-WEB-1),
// and a quarter call or come in person, their alert typed in by the demo
// user (« Record an alert taken by phone »).
func ReporterSource(rep int) string {
	switch rep % 4 {
	case 0:
		return string(alerts.Web)
	case 3:
		return alerts.IntakePhone
	}
	return string(alerts.SMSSync)
}

// ReporterPhone is demo reporter rep's fictitious number, in the +000
// range no country has (contacts.DemoPrefix): it can reach no real phone.
// The demo contacts' numbers are +000 000 000 00N; the reporters'
// +000 000 100 0NN.
func ReporterPhone(rep int) string {
	return fmt.Sprintf("%s 000 100 %03d", contacts.DemoPrefix, rep)
}

// The reporter's sex the demo's triage records, with its shares ("": not
// recorded, as on an incident triaged without asking the form's question).
var (
	demoReporterSexes     = []string{"female", "male", "unknown", "not_asked", ""}
	demoReporterSexShares = []float64{0.30, 0.35, 0.10, 0.10, 0.15}
)

// TriageNote is the note the demo's triage writes in each demo incident's
// log, in both languages (a note is one text, shown as written).
const TriageNote = "DEMO: triage by the demo user (synthetic) / tri par l’utilisateur de démonstration (synthétique)"

// demoTriage is the state each demo incident is taken to, in turn: the
// queue shows every stage of the workflow.
var demoTriage = [][]alerts.Status{
	nil, // received
	{alerts.Triaged},
	{alerts.Triaged, alerts.Verified},
	{alerts.Triaged, alerts.Verified, alerts.Dispatched},
	nil,
	{alerts.Triaged, alerts.Verified, alerts.Dispatched, alerts.Resolved},
	{alerts.Triaged, alerts.Unverified},
	{alerts.False},
	{alerts.Triaged},
	{alerts.Triaged, alerts.Verified, alerts.Resolved, alerts.Closed},
}

// LoadAlerts creates the demo alert channel (a web form channel named
// DEMO) and a few dozen demo alerts written from the real UCDP events of
// the last three demo months (Oct–Dec 2018), located by the shipped
// gazetteer from their text, with dates moved to the last two weeks so the
// queue is live. Reporters are fictitious ("Demo reporter 7 (fictitious)")
// and come in each in their own way (ReporterSource): by SMS through the
// demo's SMSSync channel from a +000 number no phone can have
// (ReporterPhone), by the web form ("demo-reporter-07" as their contact),
// or by phone or in person, typed in by user through the alerts service's
// Submit (as the Alerts page's « Record an alert received by phone »
// does). The incidents they form are taken to various triage states by
// the demo user, who records the reporter's sex on most of those triaged.
func LoadAlerts(ctx context.Context, db *storage.DB, keys *crypt.Keyring, user string, now time.Time) (alertsN, incidents int, err error) {
	g, err := Gazetteer()
	if err != nil {
		return 0, 0, err
	}
	evs, err := readEvents()
	if err != nil {
		return 0, 0, err
	}
	last := evs[0].date
	for _, e := range evs {
		if e.date.After(last) {
			last = e.date
		}
	}
	from := last.AddDate(0, -3, 0)
	var recent []gedEvent
	for _, e := range evs {
		if e.date.After(from) {
			recent = append(recent, e)
		}
	}
	slices.SortStableFunc(recent, func(a, b gedEvent) int { return a.date.Compare(b.date) })
	// Every other country in turn, up to 36 events each with a named
	// place within 30 km.
	byCountry := map[string][]gedEvent{}
	var countries []string
	for _, e := range recent {
		if _, ok := byCountry[e.country]; !ok {
			countries = append(countries, e.country)
		}
		byCountry[e.country] = append(byCountry[e.country], e)
	}
	var picked []gedEvent
	var places []geotext.Place
	next := map[string]int{}
	for more := true; more && len(picked) < 36; {
		more = false
		for _, c := range countries {
			list := byCountry[c]
			for next[c] < len(list) && len(picked) < 36 {
				e := list[len(list)-1-next[c]] // newest first
				next[c]++
				if l, ok := g.Label(e.lat, e.lon); ok && l.DistanceM <= 30000 {
					picked = append(picked, e)
					places = append(places, l.Place)
					more = true
					break
				}
			}
		}
	}
	svc := alerts.NewService(db, keys)
	local := geotext.Merge(g)
	local.Area = DemoArea
	svc.SetGazetteer(local)
	ch, err := svc.NewChannel(ctx, user, alerts.Web, AlertChannelName, "", "public interest")
	if err != nil {
		return 0, 0, fmt.Errorf("demo channel: %w", err)
	}
	// The demo's SMS gateway: the reporters who text their alerts send them
	// through it, and replies to the reporters are queued in its outbox (a
	// web form has none of its own). No phone is connected: replies wait
	// there; its secret is random and never shown (an admin adds a real
	// gateway).
	secret := make([]byte, 18)
	if _, err := rand.Read(secret); err != nil {
		return 0, 0, err
	}
	sms, err := svc.NewChannel(ctx, user, alerts.SMSSync, ReplyGatewayName, hex.EncodeToString(secret), "public interest")
	if err != nil {
		return 0, 0, fmt.Errorf("demo reply gateway: %w", err)
	}
	u := &auth.User{Name: user, Role: auth.Admin}
	span := last.Sub(from)
	category := map[int64]string{} // incident → the category its first alert's words suggest
	for i, e := range picked {
		// The event's place in the three months, moved to the last 14 days.
		at := now.Add(-time.Duration(float64(last.Sub(e.date)) / float64(span) * float64(14*24*time.Hour))).Add(-time.Duration(2+i%5) * time.Hour)
		reports := 1 + i%3
		for k := 0; k < reports; k++ {
			t := at.Add(time.Duration(k*17) * time.Minute)
			svc.Now = func() time.Time { return t }
			rep := (i*3+k)%23 + 1
			in := alerts.Inbound{
				GatewayID: fmt.Sprintf("demo-%s-%d", e.id, k),
				From:      fmt.Sprintf("demo-reporter-%02d", rep),
				Name:      fmt.Sprintf("Demo reporter %d (fictitious)", rep),
				Message:   alertText(e, places[i], k, (i+k)%3 == 1),
				SentAt:    t,
			}
			var a *alerts.Alert
			switch ReporterSource(rep) {
			case string(alerts.SMSSync): // texted to the SMS gateway's phone
				in.From = ReporterPhone(rep)
				a, err = svc.Receive(ctx, sms, in)
			case alerts.IntakePhone: // a call or a visit, typed in by the demo user
				// The number the reporter gives, so that a reply can reach them.
				var got alerts.Alert
				got, _, err = svc.Submit(ctx, u, alerts.AlertRequest{Channel: ch.Key, ID: in.GatewayID,
					Message: in.Message, From: ReporterPhone(rep), Name: in.Name})
				a = &got
			default: // the public web form
				a, err = svc.Receive(ctx, ch, in)
			}
			if err != nil {
				return alertsN, 0, fmt.Errorf("demo alert %d: %w", i, err)
			}
			if _, ok := category[a.IncidentID]; !ok && a.IncidentID != 0 {
				category[a.IncidentID] = alerts.SuggestCategory(in.Message)
			}
			alertsN++
		}
	}
	ins, err := db.Incidents(ctx, alerts.IncidentFilter{Limit: 10000})
	if err != nil {
		return alertsN, 0, err
	}
	slices.SortFunc(ins, func(a, b alerts.Incident) int { return int(a.ID - b.ID) })
	svc.Now = func() time.Time { return now }
	priorities := alerts.Priorities
	rng := rand2.New(rand2.NewPCG(SurveySeed, 3))
	for k, in := range ins {
		up := alerts.Update{Note: TriageNote}
		title := "DEMO: " + in.Location.Place
		if in.Location.Place == "" {
			title = "DEMO: location to set / lieu à préciser"
		}
		up.Title = &title
		p := priorities[k%len(priorities)]
		up.Priority = &p
		if c, ok := category[in.ID]; ok {
			up.Category = &c
		}
		// The reporter's sex, asked at triage: recorded on most incidents
		// the demo user triaged (not on those still received).
		if demoTriage[k%len(demoTriage)] != nil {
			if sex := pick(rng, demoReporterSexes, demoReporterSexShares); sex != "" {
				up.ReporterSex = &sex
			}
		}
		if _, err := svc.UpdateIncident(ctx, u, in.ID, up); err != nil {
			return alertsN, 0, fmt.Errorf("demo incident %d: %w", in.ID, err)
		}
		for _, st := range demoTriage[k%len(demoTriage)] {
			st := st
			if _, err := svc.UpdateIncident(ctx, u, in.ID, alerts.Update{Status: &st}); err != nil {
				return alertsN, 0, fmt.Errorf("demo incident %d to %s: %w", in.ID, st, err)
			}
		}
	}
	return alertsN, len(ins), nil
}
