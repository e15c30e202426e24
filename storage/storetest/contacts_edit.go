package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"

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
		{"bad language", amani.ID, contacts.Edit{Input: contacts.Input{Language: "xx"}}, "language"},
		{"bad number", amani.ID, contacts.Edit{Input: contacts.Input{Phone: "abc", Language: "fr"}}, "phone"},
		{"another contact's number", amani.ID, contacts.Edit{Input: contacts.Input{Phone: "+243-810-000-002", Language: "fr"}}, "phone"},
		{"lat without lon", amani.ID, contacts.Edit{Input: contacts.Input{Lat: fp(1)}}, "lat"},
		{"bad group", amani.ID, contacts.Edit{Input: contacts.Input{Groups: []string{"a/b"}}}, "groups"},
	} {
		if _, err := cs.Update(ctx, "ed", c.id, c.edit); apperr.FieldOf(err) != c.field {
			t.Errorf("%s: %v, want a refusal naming %s", c.name, err, c.field)
		}
	}
	if _, err := cs.Update(ctx, "ed", 9999, contacts.Edit{}); !errors.Is(err, contacts.ErrNoContact) {
		t.Errorf("unknown contact: %v", err)
	}

	// Name, language, groups and place replaced; the number and consent
	// kept when not given.
	got, err := cs.Update(ctx, "ed", amani.ID, contacts.Edit{Name: sp("Amani K."), Input: contacts.Input{Language: "sw", Groups: []string{"leaders", "CAN"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got.PhoneMasked != "+••••••••••01" || got.Language != "sw" || strings.Join(got.Groups, ",") != "can,leaders" || got.Lat != nil || got.Consent.How != "verbal" || got.Consent.By != "ana" {
		t.Fatalf("edited: %+v", got)
	}
	// The number replaced: the old one is no longer a contact's.
	if got, err = cs.Update(ctx, "ed", amani.ID, contacts.Edit{Input: contacts.Input{Phone: "+243 810 000 077", Language: "sw"}}); err != nil || got.PhoneMasked != "+••••••••••77" || got.NameMasked != "A•••" {
		t.Fatalf("new number: %+v %v", got, err)
	}
	if l, _ := db.ContactLanguage(ctx, cs.PhoneMAC("+243810000001")); l != "" {
		t.Fatalf("old number still a contact's (%q)", l)
	}

	// She opts out by reply; an edit keeps her opted out; opting her in
	// again needs a new consent record.
	if _, err := as.Receive(ctx, ch, alerts.Inbound{GatewayID: "g1", From: "+243810000077", Message: "STOP"}); err != nil {
		t.Fatal(err)
	}
	if got, err = cs.Update(ctx, "ed", amani.ID, contacts.Edit{Name: sp("Amani"), Input: contacts.Input{Language: "sw"}}); err != nil || got.OptedOutAt == nil {
		t.Fatalf("edit of an opted-out contact: %+v %v", got, err)
	}
	if _, err := cs.Update(ctx, "ed", amani.ID, contacts.Edit{Input: contacts.Input{Language: "sw"}, OptIn: true}); apperr.FieldOf(err) != "consent_how" {
		t.Fatalf("opt-in without consent: %v, want a refusal naming consent_how", err)
	}
	if out, _ := cs.OptedOut(ctx, "+243810000077"); !out {
		t.Fatal("the refused opt-in opted her in")
	}
	got, err = cs.Update(ctx, "ed", amani.ID, contacts.Edit{Input: contacts.Input{Language: "sw", ConsentHow: "verbal, visit 7 Dec"}, OptIn: true})
	if err != nil || got.OptedOutAt != nil || got.Consent.How != "verbal, visit 7 Dec" || got.Consent.By != "ed" {
		t.Fatalf("opt-in: %+v %v", got, err)
	}
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
	if strings.Count(all, "contacts.edit") != 4 || strings.Count(all, "contacts.opt-in") != 1 {
		t.Fatalf("audit: %s", all)
	}
}
