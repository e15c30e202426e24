package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage"
)

type fixedPlaces struct{ g *geotext.Gazetteer }

func (p fixedPlaces) Gazetteer(context.Context) (*geotext.Gazetteer, error) { return p.g, nil }

// testContactsAudiences: broadcasts to everyone in PRIO-GRID cells, in a
// first-level admin area (from the gazetteer) and within a radius of a
// place named in the gazetteer, each contact in their language (the
// fallback for the others); an opted-out contact is never messaged, also
// by an area broadcast scheduled before they opted out; bad audiences
// name their field.
func testContactsAudiences(t *testing.T, ctx context.Context, db *storage.DB) {
	as := alertService(t, db)
	cs := contacts.NewService(db, as.Keys)
	g, err := geotext.LoadGazetteer(strings.NewReader("name,lat,lon,admin1_name,kind,population\n"+
		"Bunia,1.566,30.252,Ituri,town,900000\nIturi,1.5,29.5,Ituri,admin1,0\nGoma,-1.679,29.228,Nord-Kivu,town,700000\nKutum,14.2,24.67,North Darfur,town,50000\n"), "g.csv")
	if err != nil {
		t.Fatal(err)
	}
	cs.Places = fixedPlaces{g}
	as.Inbound = cs
	ch, err := as.NewChannel(ctx, "admin", alerts.SMSSync, "phone", "s-secret", "")
	if err != nil {
		t.Fatal(err)
	}
	rows := []contacts.Row{
		{Where: "a.csv:2", Input: contacts.Input{Phone: "+243820000001", Language: "fr", Lat: fp(1.56), Lon: fp(30.25), ConsentHow: "verbal"}},
		{Where: "a.csv:3", Input: contacts.Input{Phone: "+243820000002", Language: "en", Lat: fp(1.60), Lon: fp(30.30), ConsentHow: "verbal"}},
		{Where: "a.csv:4", Input: contacts.Input{Phone: "+243820000003", Language: "sw", Place: "Goma", ConsentHow: "verbal"}},
		{Where: "a.csv:5", Input: contacts.Input{Phone: "+243820000004", Language: "fr", Lat: fp(-1.66), Lon: fp(29.24), ConsentHow: "verbal"}},
		{Where: "a.csv:6", Input: contacts.Input{Phone: "+243820000005", Language: "fr", ConsentHow: "verbal"}},
		{Where: "a.csv:7", Input: contacts.Input{Phone: "+249912000001", Language: "fr", Lat: fp(14.21), Lon: fp(24.66), ConsentHow: "verbal"}},
	}
	if _, err := cs.Import(ctx, "analyst", rows); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.InboundSMS(ctx, "+243820000004", "ARRET"); err != nil {
		t.Fatal(err)
	}
	cell, _ := grid.PrioGID(1.56, 30.25)
	msgs := map[string]string{"fr": "Réunion", "en": "Meeting"}
	for _, c := range []struct {
		name         string
		req          contacts.BroadcastRequest
		queued, skip int
		to           map[string]string // number -> text
	}{
		{"cells", contacts.BroadcastRequest{Audience: contacts.Audience{Cells: []int{cell, cell}}}, 2, 0, map[string]string{"+243820000001": "Réunion", "+243820000002": "Meeting"}},
		{"admin area", contacts.BroadcastRequest{Audience: contacts.Audience{AdminArea: "ituri"}}, 2, 0, map[string]string{"+243820000001": "Réunion", "+243820000002": "Meeting"}},
		{"other admin area", contacts.BroadcastRequest{Audience: contacts.Audience{AdminArea: "NORD-KIVU"}}, 1, 1, map[string]string{"+243820000003": "Réunion"}},
		// an area the gazetteer names in English has its French name beside it (admin_area_fr)
		{"admin area in English", contacts.BroadcastRequest{Audience: contacts.Audience{AdminArea: "north darfur"}}, 1, 0, map[string]string{"+249912000001": "Réunion"}},
		{"radius of a named place", contacts.BroadcastRequest{Audience: contacts.Audience{NearPlace: "Goma", RadiusKM: 10}}, 1, 1, map[string]string{"+243820000003": "Réunion"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			req := c.req
			req.ChannelID, req.Messages = ch.ID, msgs
			b, err := cs.Send(ctx, "analyst", req)
			if err != nil || b.Reach.Queued != c.queued || b.Reach.SkippedOptedOut != c.skip {
				t.Fatalf("%+v %v", b.Reach, err)
			}
			got, _ := cs.Get(ctx, b.ID)
			if got.AdminArea != b.AdminArea || len(got.Cells) != len(b.Cells) || (req.AdminArea != "" && got.AdminArea != "Ituri" && got.AdminArea != "Nord-Kivu" && got.AdminArea != "North Darfur") {
				t.Fatalf("stored audience: %+v", got)
			}
			// Cells are named by the place nearest them, as sent and as read.
			if len(req.Cells) > 0 && (!slices.Equal(b.CellsAround, []string{"Bunia"}) || !slices.Equal(got.CellsAround, b.CellsAround)) {
				t.Errorf("cells named %q, read %q, want [Bunia]", b.CellsAround, got.CellsAround)
			}
			if fr := map[string]string{"North Darfur": "Darfour-Nord"}[got.AdminArea]; got.AdminAreaFR != fr || b.AdminAreaFR != fr {
				t.Fatalf("%q: French name %q (sent %q), want %q", got.AdminArea, got.AdminAreaFR, b.AdminAreaFR, fr)
			}
			out, err := as.Outbox(ctx, ch.ID)
			if err != nil {
				t.Fatal(err)
			}
			sent := map[string]string{}
			var uuids []string
			for _, m := range out {
				sent[m.To] = m.Message
				uuids = append(uuids, m.UUID)
			}
			if len(sent) != len(c.to) {
				t.Fatalf("outbox %v, want %v", sent, c.to)
			}
			for to, text := range c.to {
				if sent[to] != text {
					t.Fatalf("outbox %v, want %v", sent, c.to)
				}
			}
			if _, err := db.MarkOutgoingSent(ctx, ch.ID, uuids, time.Now()); err != nil {
				t.Fatal(err)
			}
		})
	}
	for _, c := range []struct {
		req   contacts.BroadcastRequest
		field string
	}{
		{contacts.BroadcastRequest{Audience: contacts.Audience{Cells: []int{0}}}, "cells[0]"},
		{contacts.BroadcastRequest{Audience: contacts.Audience{Cells: []int{cell, 300000}}}, "cells[1]"},
		{contacts.BroadcastRequest{Audience: contacts.Audience{AdminArea: "Atlantis"}}, "admin_area"},
		{contacts.BroadcastRequest{Audience: contacts.Audience{AdminArea: "Ituri", Group: "x"}}, "group"},
		{contacts.BroadcastRequest{Audience: contacts.Audience{Cells: []int{cell}, NearPlace: "Goma", RadiusKM: 3}}, "group"},
		// An audience that reaches no one: cell 1 (the South Pole), a
		// group nobody is in.
		{contacts.BroadcastRequest{Audience: contacts.Audience{Cells: []int{1}}}, "cells"},
		{contacts.BroadcastRequest{Audience: contacts.Audience{Group: "nobody"}}, "group"},
	} {
		req := c.req
		req.ChannelID, req.Messages = ch.ID, msgs
		if _, err := cs.Send(ctx, "analyst", req); fieldOf(err) != c.field {
			t.Errorf("%+v: %v, want field %s", c.req, err, c.field)
		}
	}

	// Scheduled to an area; the contact opts out before it is due: never messaged.
	clock := time.Now().UTC()
	cs.Now = func() time.Time { return clock }
	b, err := cs.Send(ctx, "analyst", contacts.BroadcastRequest{ChannelID: ch.ID, Audience: contacts.Audience{AdminArea: "Ituri"}, Messages: msgs, At: clock.Add(time.Hour)})
	if err != nil || b.QueuedAt != nil {
		t.Fatalf("scheduled: %+v %v", b, err)
	}
	if _, err := cs.InboundSMS(ctx, "+243820000002", "stop"); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(2 * time.Hour)
	if n, err := cs.RunDue(ctx); n != 1 || err != nil {
		t.Fatalf("RunDue: %d %v", n, err)
	}
	out, _ := as.Outbox(ctx, ch.ID)
	if len(out) != 1 || out[0].To != "+243820000001" {
		t.Fatalf("scheduled area broadcast after opt-out: %+v", out)
	}
}

// fieldOf is the field an apperr error names ("" for none).
func fieldOf(err error) string {
	if ae := apperr.As(err); ae != nil {
		return ae.Field
	}
	return ""
}

// testContactsScheduledNoOne: a broadcast scheduled to an audience that
// reaches no one now (a group nobody is in yet, cells nobody lives in, a
// group whose only contact opted out) is kept and says so (NoOneNow, in
// Send's answer and the list); sent now it is refused. When it is due its
// audience is read again: a group filled since is messaged, one still
// empty is queued to no one (done: queued, 0 queued, the opted out it
// skipped), not left due. Before, each was refused when scheduled (422).
func testContactsScheduledNoOne(t *testing.T, ctx context.Context, db *storage.DB) {
	as := alertService(t, db)
	cs := contacts.NewService(db, as.Keys)
	ch, err := as.NewChannel(ctx, "admin", alerts.SMSSync, "phone", "s-secret", "")
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)
	cs.Now = func() time.Time { return clock }
	if _, err := cs.Create(ctx, "ana", contacts.Input{Phone: "+243820000011", Language: "fr", Groups: []string{"partis"}, ConsentHow: "verbal"}); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.InboundSMS(ctx, "+243820000011", "ARRET"); err != nil {
		t.Fatal(err)
	}
	msgs := map[string]string{"fr": "Réunion demain"}
	type want struct{ queued, skipped int }
	cases := []struct {
		name   string
		aud    contacts.Audience
		filled bool // a contact joins the group before it is due
		due    want
	}{
		{"group filled before it is due", contacts.Audience{Group: "comite"}, true, want{1, 0}},
		{"group still empty", contacts.Audience{Group: "personne"}, false, want{0, 0}},
		{"cells nobody lives in", contacts.Audience{Cells: []int{1}}, false, want{0, 0}},
		{"group all opted out", contacts.Audience{Group: "partis"}, false, want{0, 1}},
	}
	ids := make([]int64, len(cases))
	for i, c := range cases {
		req := contacts.BroadcastRequest{ChannelID: ch.ID, Audience: c.aud, Messages: msgs}
		if _, err := cs.Send(ctx, "ana", req); !isUnprocessable(err) {
			t.Errorf("%s: sent now: %v, want refused (422)", c.name, err)
		}
		req.At = clock.Add(time.Hour)
		b, err := cs.Send(ctx, "ana", req)
		if err != nil || !b.NoOneNow || b.QueuedAt != nil {
			t.Fatalf("%s: scheduled: %+v %v, want kept, no one now", c.name, b, err)
		}
		ids[i] = b.ID
	}
	listed, err := cs.RecentBroadcasts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range listed {
		if !b.NoOneNow {
			t.Errorf("listed broadcast %d to %+v: not marked no one now", b.ID, b.Audience)
		}
	}
	if _, err := cs.Create(ctx, "ana", contacts.Input{Phone: "+243820000012", Language: "fr", Groups: []string{"comite"}, ConsentHow: "verbal"}); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(2 * time.Hour)
	if n, err := cs.RunDue(ctx); n != len(cases) || err != nil {
		t.Fatalf("RunDue: %d %v, want %d", n, err, len(cases))
	}
	if n, err := cs.RunDue(ctx); n != 0 || err != nil {
		t.Fatalf("RunDue again: %d %v, want none due", n, err)
	}
	for i, c := range cases {
		b, err := cs.Get(ctx, ids[i])
		if err != nil {
			t.Fatal(err)
		}
		if got := (want{b.Reach.Queued, b.Reach.SkippedOptedOut}); b.QueuedAt == nil || got != c.due {
			t.Errorf("%s: when due: queued at %v, %+v, want %+v", c.name, b.QueuedAt, got, c.due)
		}
	}
	out, err := as.Outbox(ctx, ch.ID)
	if err != nil || len(out) != 1 || out[0].To != "+243820000012" {
		t.Fatalf("outbox %+v %v, want the one contact who joined", out, err)
	}
}

// isUnprocessable says err is a refusal of well-formed input (422).
func isUnprocessable(err error) bool {
	k, ok := apperr.KindOf(err)
	return ok && k == apperr.KindUnprocessable
}
