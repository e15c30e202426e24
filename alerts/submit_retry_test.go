package alerts_test

import (
	"context"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/testutil"
)

// TestSubmitRetryOtherContent: an alert typed in is sent again with its
// client id after a lost answer. The same content is answered with the
// stored alert (created false); other content (the text, the reporter's
// number or name, the place edited meanwhile) is a keyed 409 on field id,
// and the stored alert keeps its first version.
func TestSubmitRetryOtherContent(t *testing.T) {
	ctx := context.Background()
	svc, web := liaison(t)
	rex := &auth.User{Name: "rex", Role: auth.Responder}
	first := alerts.AlertRequest{Channel: web.Key, ID: "phone-1", Message: "Armed men at the market", From: "+243812345678", Name: "Mama Furaha", Location: "Djugu"}
	a, created, err := svc.Submit(ctx, rex, first)
	if err != nil || !created {
		t.Fatalf("first send: %+v %v %v", a, created, err)
	}
	again, created, err := svc.Submit(ctx, rex, first)
	if err != nil || created || again.ID != a.ID || again.Message != first.Message {
		t.Fatalf("same retry: %+v %v %v", again, created, err)
	}
	edit := func(f func(*alerts.AlertRequest)) alerts.AlertRequest { r := first; f(&r); return r }
	for name, req := range map[string]alerts.AlertRequest{
		"message": edit(func(r *alerts.AlertRequest) { r.Message = "Armed men at the market, two wounded" }),
		"number":  edit(func(r *alerts.AlertRequest) { r.From = "+243812345679" }),
		"name":    edit(func(r *alerts.AlertRequest) { r.Name = "" }),
		"place":   edit(func(r *alerts.AlertRequest) { r.Location = "Fataki" }),
	} {
		_, _, err := svc.Submit(ctx, rex, req)
		if e := apperr.As(err); e == nil || e.Kind != apperr.KindConflict || e.Key != "alerts.refusal.id-other-content" || e.Field != "id" {
			t.Errorf("%s edited: %v, want the keyed conflict", name, err)
		}
	}
	as, _, err := svc.AlertPage(ctx, auth.Responder, nil)
	if err != nil || len(as) != 1 || as[0].Message != first.Message {
		t.Fatalf("stored: %+v %v", as, err)
	}
}

// TestSubmitRetryOtherUser: a client id is its sender's own. Another
// responder sending an alert under it (read from the queue, where
// gateway_id shows) with the stored alert's text and place is refused
// alike whatever number and name they give, so that the reporter's
// sealed number and name cannot be confirmed by guessing (before: 200 for
// the right guess, 409 for a wrong one, a read Reveal gives only audited);
// nothing is stored or triaged in their name.
func TestSubmitRetryOtherUser(t *testing.T) {
	ctx := context.Background()
	svc, web := liaison(t)
	rex, ivy := &auth.User{Name: "rex", Role: auth.Responder}, &auth.User{Name: "ivy", Role: auth.Responder}
	first := alerts.AlertRequest{Channel: web.Key, ID: "phone-1", Message: "Armed men at the market", From: "+243812345678", Name: "Mama Furaha", Location: "Djugu"}
	a, created, err := svc.Submit(ctx, rex, first)
	if err != nil || !created {
		t.Fatalf("first send: %+v %v %v", a, created, err)
	}
	for _, tc := range []struct {
		name, from, who string
		priority        string
	}{
		{"right number and name", first.From, first.Name, "critical"},
		{"wrong number", "+243812345679", first.Name, ""},
		{"wrong name", first.From, "Someone", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := first
			req.From, req.Name, req.Priority = tc.from, tc.who, tc.priority
			got, created, err := svc.Submit(ctx, ivy, req)
			if e := apperr.As(err); e == nil || e.Kind != apperr.KindConflict || e.Key != "alerts.refusal.id-other-content" || e.Field != "id" {
				t.Errorf("ivy sends rex's id: %+v %v %v, want the keyed conflict", got, created, err)
			}
		})
	}
	in, err := svc.Store.Incident(ctx, a.IncidentID)
	if err != nil || in.Priority != "" {
		t.Errorf("incident triaged by another's retry: priority %q %v", in.Priority, err)
	}
	// The sender's own retry is still answered with the stored alert.
	if again, created, err := svc.Submit(ctx, rex, first); err != nil || created || again.ID != a.ID {
		t.Fatalf("rex's retry: %+v %v %v", again, created, err)
	}
}

// liaison is an alert service over a fresh store with a web channel,
// « Liaison », that responders type alerts into.
func liaison(t *testing.T) (*alerts.Service, alerts.Channel) {
	svc := alerts.NewService(testutil.Store(t), testutil.Keys(t, "k"))
	web, err := svc.NewChannel(context.Background(), "a", alerts.Web, "Liaison", "", "")
	if err != nil {
		t.Fatal(err)
	}
	return svc, web
}

// TestSubmitRetryAfterMove: the retry of an alert typed in is its author's
// own even after the alert was moved to another incident (a new one, or
// one it joined), and moved again: the line saying who received it stays
// in the first incident's timeline. Before, the retry was refused with the
// keyed conflict (the moved alert's incident said nothing of its author),
// and a phone's retry after a lost answer could never go through.
func TestSubmitRetryAfterMove(t *testing.T) {
	ctx := context.Background()
	svc, web := liaison(t)
	rex, ana := &auth.User{Name: "rex", Role: auth.Responder}, &auth.User{Name: "ana", Role: auth.Responder}
	first := alerts.AlertRequest{Channel: web.Key, ID: "phone-1", Message: "Armed men at the market", From: "+243812345678", Name: "Mama Furaha", Location: "Djugu"}
	a, created, err := svc.Submit(ctx, rex, first)
	if err != nil || !created {
		t.Fatalf("first send: %+v %v %v", a, created, err)
	}
	other, _, err := svc.Submit(ctx, ana, alerts.AlertRequest{Channel: web.Key, ID: "phone-2", Message: "Shots heard near the church", Location: "Fataki"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		to   func() int64
	}{
		{"to a new incident", func() int64 { return 0 }},
		{"to another incident", func() int64 { return other.IncidentID }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := svc.MoveAlert(ctx, ana, a.ID, tc.to()); err != nil {
				t.Fatal(err)
			}
			got, created, err := svc.Submit(ctx, rex, first)
			if err != nil || created || got.ID != a.ID {
				t.Fatalf("rex's retry: %+v %v %v, want the stored alert", got, created, err)
			}
			if _, _, err := svc.Submit(ctx, ana, first); apperr.As(err) == nil || apperr.As(err).Key != "alerts.refusal.id-other-content" {
				t.Errorf("ana sends rex's id: %v, want the keyed conflict", err)
			}
		})
	}
}
