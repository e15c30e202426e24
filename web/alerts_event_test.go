package web

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/events"
)

// TestEventFromIncidentKeepsSensitivity: an event an analyst makes from an
// incident is shown to viewers where the incident is, rounded, in the
// event list, its detail, a box query and the clusters; responders see the
// exact position.
func TestEventFromIncidentKeepsSensitivity(t *testing.T) {
	e := newAlertsEnv(t, "ana", "rex", "vic")
	e.do(nil, "POST", alerts.IntakePath(e.sms), reqOpt{body: smsForm("m-1", "Attack at 1.5625, 30.2484", "s3cret-gw"), ctype: formCT})
	_, b := e.do(nil, "GET", "/api/v1/alerts", reqOpt{token: e.tokens["rex"]})
	var as []alerts.Alert
	if err := json.Unmarshal(b, &as); err != nil || len(as) != 1 {
		t.Fatalf("alerts: %s", b)
	}
	inc := i64s(as[0].IncidentID)
	for _, st := range []string{"triaged", "verified"} {
		if resp, b := e.do(nil, "PATCH", "/api/v1/alerts/incidents/"+inc, reqOpt{token: e.tokens["rex"], body: `{"status":"` + st + `","title":"Attack"}`}); resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", st, resp.StatusCode, b)
		}
	}
	resp, b := e.do(nil, "POST", "/api/v1/alerts/incidents/"+inc+"/event", reqOpt{token: e.tokens["ana"], body: `{"best":2}`})
	if resp.StatusCode != 201 {
		t.Fatalf("event: %d %s", resp.StatusCode, b)
	}
	var made struct {
		EventID int64 `json:"event_id"`
	}
	json.Unmarshal(b, &made)
	id := i64s(made.EventID)
	exact, rounded := "[30.2484,1.5625]", "[30.2,1.6]"
	for _, c := range []struct {
		path, user string
		want       string
	}{
		{"/api/v1/events/" + id, "vic", rounded},
		{"/api/v1/events/" + id, "rex", exact},
		{"/api/v1/events", "vic", rounded},
		{"/api/v1/events?bbox=30.19,1.59,30.21,1.61", "vic", rounded},
		{"/api/v1/events", "ana", exact},
		{"/api/v1/events", "rex", exact},
		{"/api/v1/clusters?zoom=18", "vic", rounded},
		{"/api/v1/clusters?zoom=18", "rex", exact},
	} {
		resp, b := e.do(nil, "GET", c.path, reqOpt{token: e.tokens[c.user]})
		if resp.StatusCode != 200 || !strings.Contains(string(b), c.want) {
			t.Errorf("%s as %s: %d %s, want %s", c.path, c.user, resp.StatusCode, b, c.want)
		}
		if c.want == rounded && (strings.Contains(string(b), "30.248") || strings.Contains(string(b), "1.562")) {
			t.Errorf("%s as %s: exact position in %s", c.path, c.user, b)
		}
	}
	// A box around the exact position but not the rounded one finds
	// nothing for a viewer (its edges must not locate the event).
	_, b = e.do(nil, "GET", "/api/v1/events?bbox=30.24,1.56,30.25,1.57", reqOpt{token: e.tokens["vic"]})
	if strings.Contains(string(b), `"Feature"`) {
		t.Errorf("viewer's box around the exact position: %s", b)
	}
	_, b = e.do(nil, "GET", "/api/v1/events?bbox=30.24,1.56,30.25,1.57", reqOpt{token: e.tokens["rex"]})
	if !strings.Contains(string(b), exact) {
		t.Errorf("responder's box around the exact position: %s", b)
	}
	_, b = e.do(nil, "GET", "/api/v1/clusters?zoom=18&bbox=30.24,1.56,30.25,1.57", reqOpt{token: e.tokens["vic"]})
	if strings.Contains(string(b), `"Feature"`) {
		t.Errorf("viewer's clusters in a box around the exact position: %s", b)
	}
	_, b = e.do(nil, "GET", "/api/v1/clusters?zoom=18&bbox=30.19,1.59,30.21,1.61", reqOpt{token: e.tokens["vic"]})
	if !strings.Contains(string(b), rounded) || !strings.Contains(string(b), `"event_id":`+id) {
		t.Errorf("viewer's clusters in a box around the rounded position: %s", b)
	}
	// The grid layer counts it in the cell of its rounded position too.
	for _, c := range []struct {
		user, query string
		events      int
	}{
		{"vic", "grid=0.1&bbox=30.24,1.56,30.25,1.57", 0},
		{"rex", "grid=0.1&bbox=30.24,1.56,30.25,1.57", 1},
		{"vic", "grid=0.1&bbox=30.19,1.59,30.21,1.61", 1},
		{"vic", "grid=priogrid", 1},
	} {
		_, b = e.do(nil, "GET", "/api/v1/grid?"+c.query, reqOpt{token: e.tokens[c.user]})
		if n := strings.Count(string(b), `"events":1`); n != c.events {
			t.Errorf("%s grid %s: %s, want %d cell with the event", c.user, c.query, b, c.events)
		}
	}
	// With a public event in the same cluster square, the viewer's cluster
	// mean is made from the rounded position, the responder's from the exact.
	ctx := context.Background()
	day := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	pub := events.Event{Source: "test", SourceID: "p1", DateStart: day, DateEnd: day, DatePrecision: 1, Lat: 1.7, Lon: 30.3, WherePrecision: 1, Violence: events.OneSided, Best: 1, Low: 1, High: 1, Civilian: -1}
	if err := e.db.Import(ctx, func(u events.Upserter) error { _, err := u.Upsert(ctx, &pub); return err }); err != nil {
		t.Fatal(err)
	}
	for user, want := range map[string][2]float64{"vic": {(30.3 + 30.2) / 2, (1.7 + 1.6) / 2}, "rex": {(30.3 + 30.2484) / 2, (1.7 + 1.5625) / 2}} {
		_, b = e.do(nil, "GET", "/api/v1/clusters?zoom=4", reqOpt{token: e.tokens[user]})
		var fc struct {
			Features []struct {
				Geometry struct{ Coordinates [2]float64 }
			}
		}
		json.Unmarshal(b, &fc)
		if len(fc.Features) != 1 || math.Abs(fc.Features[0].Geometry.Coordinates[0]-want[0]) > 1e-9 || math.Abs(fc.Features[0].Geometry.Coordinates[1]-want[1]) > 1e-9 ||
			!strings.Contains(string(b), `"count":2,"deaths":3`) {
			t.Errorf("%s: zoom 4 clusters %s, want %v", user, b, want)
		}
	}
	if resp, b := e.do(nil, "GET", "/api/v1/grid?grid=0.05", reqOpt{token: e.tokens["vic"]}); resp.StatusCode != 400 || !strings.Contains(string(b), `"field":"grid"`) {
		t.Errorf("viewer fine grid: %d %s", resp.StatusCode, b)
	}
}
