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
	db := testutil.Store(t)
	svc := alerts.NewService(db, testutil.Keys(t, "k"))
	web, err := svc.NewChannel(ctx, "a", alerts.Web, "Liaison", "", "")
	if err != nil {
		t.Fatal(err)
	}
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
