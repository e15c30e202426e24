package alerts_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr"
)

// apiCase is an API request the alert network must refuse before it
// touches anything (or, with no wantErr, read as want).
type apiCase struct {
	name      string
	do        func(svc *alerts.Service) (any, error)
	want      string // fmt of the parsed value
	wantField string
	wantErr   string
}

func TestAPIRequests(t *testing.T) {
	ctx := context.Background()
	ada := &auth.User{ID: 1, Name: "ada", Role: auth.Admin}
	alertQ := func(q string) func(*alerts.Service) (any, error) {
		return func(*alerts.Service) (any, error) { v, _ := url.ParseQuery(q); return alerts.ParseAlertQuery(v) }
	}
	incQ := func(q string) func(*alerts.Service) (any, error) {
		return func(*alerts.Service) (any, error) { v, _ := url.ParseQuery(q); return alerts.ParseIncidentQuery(v) }
	}
	for _, tc := range []apiCase{
		{name: "list default", do: alertQ(""), want: "{0 0 false 200}"},
		{name: "poll from 0", do: alertQ("since_id=0&limit=5&incident=3"), want: "{3 0 true 5}"},
		{name: "negative since_id", do: alertQ("since_id=-1"), wantField: "since_id", wantErr: `"-1" is not a non-negative integer`},
		{name: "limit 0", do: alertQ("limit=0"), wantField: "limit", wantErr: "0 is outside 1..1000"},
		{name: "limit too big", do: alertQ("limit=1001"), wantField: "limit", wantErr: "1001 is outside 1..1000"},
		{name: "incident not a number", do: alertQ("incident=x"), wantField: "incident", wantErr: `"x" is not a non-negative integer`},
		{name: "queue open", do: incQ("open=true&status=received,triaged"), want: "{[received triaged] true 0001-01-01 00:00:00 +0000 UTC 0001-01-01 00:00:00 +0000 UTC 0 <nil>}"},
		{name: "queue bad status", do: incQ("status=received,lost"), wantField: "status", wantErr: `unknown status "lost"`},
		{name: "queue bad since", do: incQ("since=2026-11-02"), wantField: "since", wantErr: `"2026-11-02" is not an RFC 3339 time`},
		{name: "dashboard weeks 0", do: func(svc *alerts.Service) (any, error) {
			return svc.DashboardQuery(ctx, auth.Viewer, url.Values{"weeks": {"0"}})
		}, wantField: "weeks", wantErr: "must be 1..520"},
		{name: "move without incident", do: func(svc *alerts.Service) (any, error) {
			return svc.Move(ctx, ada, 1, alerts.MoveRequest{})
		}, wantField: "incident", wantErr: "incident: required (an open incident's id, or 0 for a new incident)"},
		{name: "channel of no kind", do: func(svc *alerts.Service) (any, error) {
			return svc.AddChannel(ctx, "ada", alerts.ChannelRequest{Kind: "pigeon", Name: "loft"})
		}, wantField: "kind", wantErr: `unknown channel kind "pigeon" (want smssync, twilio, webhook or web)`},
		{name: "event of no violence type", do: func(svc *alerts.Service) (any, error) {
			return svc.Event(ctx, "ada", 1, nil, alerts.EventRequest{Violence: "loud"})
		}, wantField: "type_of_violence"},
		{name: "submit on an SMS channel", do: func(svc *alerts.Service) (any, error) {
			a, _, err := svc.Submit(ctx, &auth.User{Name: "rex", Role: auth.Responder}, alerts.AlertRequest{Channel: "sms", Message: "x"})
			return a, err
		}, wantField: "channel", wantErr: `unknown web channel "sms"`},
		{name: "submit on no channel", do: func(svc *alerts.Service) (any, error) {
			a, _, err := svc.Submit(ctx, &auth.User{Name: "rex", Role: auth.Responder}, alerts.AlertRequest{Channel: "nope", Message: "x"})
			return a, err
		}, wantField: "channel", wantErr: `unknown web channel "nope"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc, _ := newGatewayService(t, nil)
			v, err := tc.do(svc)
			if tc.wantField == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got := fmt.Sprint(v); got != tc.want {
					t.Errorf("got %s, want %s", got, tc.want)
				}
				return
			}
			if !apperr.IsInvalid(err) || apperr.FieldOf(err) != tc.wantField || (tc.wantErr != "" && err.Error() != tc.wantErr) {
				t.Fatalf("error %v (field %q), want invalid %s: %q", err, apperr.FieldOf(err), tc.wantField, tc.wantErr)
			}
		})
	}
}
