package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage"
)

// testContactsEdit: one contact added and edited (contacts.Service.Create,
// Update): fields checked as an import's row (the refusal names the
// field), the number replaced but never answered unmasked, a number
// another contact has refused, a contact who opted out opted in again
// only with a new consent record, and every change audited without the
// number.
func testContactsEdit(t *testing.T, ctx context.Context, db *storage.DB) {
	as, cs, ch := contactsIntake(t, ctx, db)
	amani, err := cs.Create(ctx, "ana", contacts.Input{Phone: "+243 810 000 001", Name: "Amani", Language: "fr", Groups: []string{"CAN"}, Lat: fp(1.56), Lon: fp(30.25), ConsentHow: "verbal"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Create(ctx, "ana", contacts.Input{Phone: "+243810000002", Language: "sw", ConsentHow: "form"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		id    int64
		edit  contacts.Edit
		field string
	}{
		{"bad language", amani.ID, contacts.Edit{Language: contacts.To("xx")}, "language"},
		{"bad number", amani.ID, contacts.Edit{Phone: contacts.To("abc")}, "phone"},
		{"another contact's number", amani.ID, contacts.Edit{Phone: contacts.To("+243-810-000-002")}, "phone"},
		{"lat without lon", amani.ID, contacts.Edit{Lat: contacts.To(fp(1))}, "lat"},
		{"bad group", amani.ID, contacts.Edit{Groups: contacts.To([]string{"a/b"})}, "groups"},
	} {
		if _, err := cs.Update(ctx, "ed", c.id, c.edit); apperr.FieldOf(err) != c.field {
			t.Errorf("%s: %v, want a refusal naming %s", c.name, err, c.field)
		}
	}
	if _, err := cs.Update(ctx, "ed", 9999, contacts.Edit{}); !errors.Is(err, contacts.ErrNoContact) {
		t.Errorf("unknown contact: %v", err)
	}

	// A partial update: each edit sets the fields it has and keeps the
	// others; null or "" clears a clearable field (name, groups, place)
	// and keeps the others (number, language, consent). Audited with the
	// names of the fields changed.
	var details []string
	for _, c := range []struct {
		name   string
		edit   string // the PATCH body
		detail string
		check  func(contacts.Contact) bool
	}{
		{"language only", `{"language":"sw"}`, "changed: language", func(g contacts.Contact) bool {
			return g.Language == "sw" && g.NameMasked == "A•••" && strings.Join(g.Groups, ",") == "can" && g.Lat != nil && *g.Lat == 1.56 && g.Consent.How == "verbal"
		}},
		{"groups only", `{"groups":["leaders","CAN"]}`, "changed: groups", func(g contacts.Contact) bool {
			return strings.Join(g.Groups, ",") == "can,leaders" && g.Language == "sw" && g.Lat != nil
		}},
		{"name set", `{"name":"Bahati"}`, "changed: name", func(g contacts.Contact) bool { return g.NameMasked == "B•••" && g.Language == "sw" }},
		{"name cleared by null", `{"name":null}`, "changed: name", func(g contacts.Contact) bool { return g.NameMasked == "" }},
		{"name set again", `{"name":"Amani K."}`, "changed: name", func(g contacts.Contact) bool { return g.NameMasked == "A•••" }},
		{"name cleared by \"\"", `{"name":""}`, "changed: name", func(g contacts.Contact) bool { return g.NameMasked == "" && g.Lat != nil }},
		{"place cleared", `{"lat":null,"lon":null}`, "changed: place", func(g contacts.Contact) bool { return g.Lat == nil && g.Lon == nil && g.Place == "" }},
		{"groups cleared", `{"groups":[]}`, "changed: groups", func(g contacts.Contact) bool { return len(g.Groups) == 0 }},
		{"not clearable: kept", `{"phone":"","language":null,"consent_how":""}`, "nothing changed", func(g contacts.Contact) bool {
			return maskedAs(g.PhoneMasked, "+•••••••••001", cs.PhoneMAC("+243810000001")) && g.Language == "sw" && g.Consent.How == "verbal" && g.Consent.By == "ana"
		}},
		{"nothing", `{}`, "nothing changed", func(g contacts.Contact) bool { return g.Language == "sw" }},
	} {
		var e contacts.Edit
		if err := json.Unmarshal([]byte(c.edit), &e); err != nil {
			t.Fatal(err)
		}
		got, err := cs.Update(ctx, "ed", amani.ID, e)
		if err != nil || !c.check(got) {
			t.Fatalf("%s: %+v %v", c.name, got, err)
		}
		details = append(details, c.detail)
	}
	// The number replaced: the old one is no longer a contact's.
	got, err := cs.Update(ctx, "ed", amani.ID, contacts.Edit{Phone: contacts.To("+243 810 000 077"), Name: contacts.To("Amani")})
	if err != nil || !maskedAs(got.PhoneMasked, "+•••••••••077", cs.PhoneMAC("+243810000077")) || got.NameMasked != "A•••" {
		t.Fatalf("new number: %+v %v", got, err)
	}
	details = append(details, "changed: number, name")
	if l, _ := db.ContactLanguage(ctx, cs.PhoneMAC("+243810000001")); l != "" {
		t.Fatalf("old number still a contact's (%q)", l)
	}

	// She opts out by reply; an edit keeps her opted out; opting her in
	// again needs a new consent record.
	if _, err := as.Receive(ctx, ch, alerts.Inbound{GatewayID: "g1", From: "+243810000077", Message: "STOP"}); err != nil {
		t.Fatal(err)
	}
	if got, err = cs.Update(ctx, "ed", amani.ID, contacts.Edit{Language: contacts.To("fr")}); err != nil || got.OptedOutAt == nil {
		t.Fatalf("edit of an opted-out contact: %+v %v", got, err)
	}
	details = append(details, "changed: language")
	if _, err := cs.Update(ctx, "ed", amani.ID, contacts.Edit{OptIn: true}); apperr.FieldOf(err) != "consent_how" {
		t.Fatalf("opt-in without consent: %v, want a refusal naming consent_how", err)
	}
	if out, _ := cs.OptedOut(ctx, "+243810000077"); !out {
		t.Fatal("the refused opt-in opted her in")
	}
	got, err = cs.Update(ctx, "ed", amani.ID, contacts.Edit{ConsentHow: contacts.To("verbal, visit 7 Dec"), OptIn: true})
	if err != nil || got.OptedOutAt != nil || got.Consent.How != "verbal, visit 7 Dec" || got.Consent.By != "ed" || got.Language != "fr" {
		t.Fatalf("opt-in: %+v %v", got, err)
	}
	details = append(details, "changed: consent")
	if out, _ := cs.OptedOut(ctx, "+243810000077"); out {
		t.Fatal("still opted out after the opt-in")
	}

	// Audited, never with a number or a name.
	recs, err := db.AuditLog(ctx, audit.Filter{Action: "contacts.", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var acts []string
	for _, r := range recs {
		acts = append(acts, r.Action)
		for _, s := range []string{"810", "077", "Amani"} {
			if strings.Contains(r.Detail+r.Object, s) {
				t.Errorf("audit %s carries %q: %q %q", r.Action, s, r.Object, r.Detail)
			}
		}
	}
	all := strings.Join(acts, " ")
	if strings.Count(all, "contacts.edit") != len(details) || strings.Count(all, "contacts.opt-in") != 1 {
		t.Fatalf("audit: %s", all)
	}
	// The edits' details, oldest first: the fields changed, by name.
	edits, _ := db.AuditLog(ctx, audit.Filter{Action: "contacts.edit", Limit: 100})
	var said []string
	for i := len(edits) - 1; i >= 0; i-- {
		said = append(said, edits[i].Detail)
	}
	if !slices.Equal(said, details) {
		t.Fatalf("edit audit details:\n got %q\nwant %q", said, details)
	}
}

// testContactByID: Store.Contact reads one contact as Contacts lists it
// (sealed; groups, place, consent and opt-out as stored), and an unknown
// id is ErrNoContact.
func testContactByID(t *testing.T, ctx context.Context, db *storage.DB) {
	as, cs, ch := contactsIntake(t, ctx, db)
	for _, in := range []contacts.Input{
		{Phone: "+243 810 000 001", Name: "Amani", Language: "fr", Groups: []string{"CAN"}, Lat: fp(1.56), Lon: fp(30.25), ConsentHow: "verbal"},
		{Phone: "+243810000002", Language: "sw", ConsentHow: "form"},
	} {
		if _, err := cs.Create(ctx, "ana", in); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := as.Receive(ctx, ch, alerts.Inbound{GatewayID: "g1", From: "+243810000002", Message: "STOP"}); err != nil {
		t.Fatal(err)
	}
	all, err := db.Contacts(ctx, contacts.Filter{})
	if err != nil || len(all) != 2 {
		t.Fatalf("contacts: %d %v", len(all), err)
	}
	for _, want := range all {
		got, err := db.Contact(ctx, want.ID)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Contact(%d) = %+v %v, want %+v", want.ID, got, err, want)
		}
	}
	if all[1].OptedOutAt == nil || all[0].Lat == nil || len(all[0].NameSealed) == 0 {
		t.Fatalf("stored: %+v", all)
	}
	if _, err := db.Contact(ctx, all[1].ID+100); !errors.Is(err, contacts.ErrNoContact) {
		t.Errorf("unknown id: %v, want ErrNoContact", err)
	}
}

// maskedAs: a contact's masked number is want and its tag (the first four
// hex digits of its keyed hash).
func maskedAs(got, want, mac string) bool { return got == want+" #"+mac[:4] }

// testContactsKeptOptOut: a number that opted out before it was a
// contact's (a tipline sender's bare STOP, kept by its keyed hash) makes
// the contact later given that number opted out, with the STOP's time
// and words, whether added one by one, imported, or given it by an edit;
// each audited as an opt-out of that contact. The opt-in with a new
// consent then clears both, and messages go to the number again.
func testContactsKeptOptOut(t *testing.T, ctx context.Context, db *storage.DB) {
	as, cs, ch := contactsIntake(t, ctx, db)
	stopped := map[string]time.Time{}
	for i, phone := range []string{"+243810000091", "+243810000092", "+243810000093"} {
		at := time.Date(2026, 12, 7, 8, i, 0, 0, time.UTC)
		as.Now = func() time.Time { return at }
		cs.Now = as.Now
		if a, err := as.Receive(ctx, ch, alerts.Inbound{GatewayID: fmt.Sprint("k", i), From: phone, Message: "ARRET"}); err != nil || a.OptOut == nil {
			t.Fatalf("a stranger's STOP: %+v %v", a, err)
		}
		stopped[phone] = at
	}
	cs.Now = func() time.Time { return time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC) }
	added, err := cs.Create(ctx, "ana", contacts.Input{Phone: "+243 810 000 091", Language: "fr", ConsentHow: "verbal"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Import(ctx, "ana", []contacts.Row{{Where: "c.csv:2", Input: contacts.Input{Phone: "+243810000092", Language: "sw", ConsentHow: "form"}}}); err != nil {
		t.Fatal(err)
	}
	moved, err := cs.Create(ctx, "ana", contacts.Input{Phone: "+243810000094", Language: "en", ConsentHow: "form"})
	if err != nil || moved.OptedOutAt != nil {
		t.Fatalf("a number that never opted out: %+v %v", moved, err)
	}
	if got, err := cs.Update(ctx, "ed", moved.ID, contacts.Edit{Phone: contacts.To("+243810000093")}); err != nil || got.OptedOutAt == nil || !got.OptedOutAt.Equal(stopped["+243810000093"]) {
		t.Fatalf("given an opted-out number by an edit: %+v %v, want opted out at %v", got, err, stopped["+243810000093"])
	}
	if added.OptedOutAt == nil || !added.OptedOutAt.Equal(stopped["+243810000091"]) || added.OptOutHow == "" {
		t.Fatalf("added with an opted-out number: %+v, want opted out at %v", added, stopped["+243810000091"])
	}
	all, err := cs.List(ctx, contacts.Filter{})
	if err != nil || len(all) != 3 {
		t.Fatalf("contacts: %d %v", len(all), err)
	}
	want := []string{"+243810000091", "+243810000092", "+243810000093"}
	for i, c := range all {
		if c.OptedOutAt == nil || !c.OptedOutAt.Equal(stopped[want[i]]) || c.OptOutHow != added.OptOutHow {
			t.Errorf("contact %d listed: opted out %v %q, want %v %q", c.ID, c.OptedOutAt, c.OptOutHow, stopped[want[i]], added.OptOutHow)
		}
	}
	if active, _ := cs.List(ctx, contacts.Filter{ActiveOnly: true}); len(active) != 0 {
		t.Errorf("active contacts %d, want none", len(active))
	}
	objs := auditObjects(t, ctx, db, "contacts.opt-out")
	wantObjs := []string{"number (not a contact)", "number (not a contact)", "number (not a contact)",
		fmt.Sprintf("contact:%d", all[0].ID), fmt.Sprintf("contact:%d", all[1].ID), fmt.Sprintf("contact:%d", all[2].ID)}
	if !slices.Equal(objs, wantObjs) {
		t.Errorf("opt-outs audited on %q, want %q", objs, wantObjs)
	}
	// The opt-in with a new consent clears the contact's opt-out and the
	// number's kept one.
	for i, c := range all {
		got, err := cs.Update(ctx, "ed", c.ID, contacts.Edit{OptIn: true, ConsentHow: contacts.To("verbal, visit")})
		if err != nil || got.OptedOutAt != nil {
			t.Fatalf("opt-in of contact %d: %+v %v", c.ID, got, err)
		}
		if out, err := cs.OptedOut(ctx, want[i]); out || err != nil {
			t.Errorf("%s after the opt-in: opted out %v %v, want false", want[i], out, err)
		}
	}
	if active, _ := cs.List(ctx, contacts.Filter{ActiveOnly: true}); len(active) != 3 {
		t.Errorf("active contacts after the opt-ins %d, want 3", len(active))
	}
}

// auditObjects lists the objects of the audit entries of action, oldest
// first.
func auditObjects(t *testing.T, ctx context.Context, db *storage.DB, action string) []string {
	t.Helper()
	rs, err := db.AuditLog(ctx, audit.Filter{Action: action, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var objs []string
	for i := len(rs) - 1; i >= 0; i-- {
		objs = append(objs, rs[i].Object)
	}
	return objs
}
