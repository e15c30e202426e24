package web

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/internal/testutil"
)

// The admin routes answer admins only, count each channel's messages, list
// every user's tokens without their secrets, and refuse to rotate keys that
// come from the environment.
func TestAdminRoutes(t *testing.T) {
	e := newAlertsEnv(t, "ada", "ana")
	for i, msg := range []string{"Attack at 1.5625, 30.2484", "Shooting at 1.56, 30.25"} {
		resp, b := e.do(nil, "POST", alerts.IntakePath(e.sms), reqOpt{body: smsForm("m-"+i64s(int64(i)), msg, "s3cret-gw"), ctype: formCT})
		if resp.StatusCode != 200 {
			t.Fatalf("intake: %d %s", resp.StatusCode, b)
		}
	}
	for _, tc := range []struct {
		who, method, path string
		status            int
		want              []string // substrings of the answer
		not               []string
	}{
		{"ana", "GET", "/api/v1/admin/keys", 403, nil, nil},
		{"ana", "GET", "/api/v1/admin/tokens", 403, nil, nil},
		{"ana", "GET", "/api/v1/admin/channels/stats", 403, nil, nil},
		{"ana", "POST", "/api/v1/admin/keys/rotate", 403, nil, nil},
		{"ada", "GET", "/api/v1/admin/keys", 200, []string{`"active":"k"`, `"keys":["k"]`}, nil},
		{"ada", "POST", "/api/v1/admin/keys/rotate", 409, []string{"VIGIL_KEYS", `"key":"alerts.refusal.keys-env"`}, nil}, // said in French by its key
		{"ada", "GET", "/api/v1/admin/tokens", 200, []string{`"user":"ada"`, `"user":"ana"`}, []string{e.tokens["ada"], "hash"}},
		{"ada", "GET", "/api/v1/admin/channels/stats", 200, []string{`{"channel":` + i64s(e.sms.ID) + `,"messages":2,"phone":0,"replies":0,"broadcasts":0,"last_seen":"`, `{"channel":` + i64s(e.tw.ID) + `,"messages":0,"phone":0,"replies":0,"broadcasts":0}`}, nil},
		{"ada", "GET", "/api/v1/admin/forms/nope/enumerators", 503, nil, nil},
	} {
		t.Run(tc.who+" "+tc.method+" "+tc.path, func(t *testing.T) {
			resp, b := e.do(nil, tc.method, tc.path, reqOpt{token: e.tokens[tc.who]})
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, b)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(b), w) {
					t.Errorf("answer lacks %s: %s", w, b)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(string(b), w) {
					t.Errorf("answer holds %s: %s", w, b)
				}
			}
		})
	}
}

// Rotating from the browser makes a new active key, keeps the old one,
// re-encrypts the channel secrets (intake still authenticates) and audits.
func TestAdminKeysRotate(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, keys := OpenTestStoreAt(t, dir)
	old := keys.Active()
	svc := alerts.NewService(db, keys)
	s := &Server{DB: db, Log: QuietLog(), Alerts: svc}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	e := &testEnv{t: t, db: db, srv: srv, log: &testutil.SyncBuffer{}, tokens: map[string]string{}}
	if _, err := s.Auth.CreateUser(ctx, "test", "ada", auth.Admin, testPassword); err != nil {
		t.Fatal(err)
	}
	tok, _, err := s.Auth.CreateToken(ctx, "test", "ada", "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := svc.NewChannel(ctx, "test", alerts.SMSSync, "field phone", "s3cret-gw", "")
	if err != nil {
		t.Fatal(err)
	}
	resp, b := e.do(nil, "POST", "/api/v1/admin/keys/rotate", reqOpt{token: tok})
	if resp.StatusCode != 200 {
		t.Fatalf("rotate: %d %s", resp.StatusCode, b)
	}
	var got struct {
		Active   string   `json:"active"`
		Keys     []string `json:"keys"`
		Resealed int      `json:"resealed"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Active == old || len(got.Keys) != 2 || got.Resealed < 1 {
		t.Fatalf("after rotation: %+v (old key %s)", got, old)
	}
	reloaded, err := crypt.Load(dir)
	if err != nil || reloaded.Active() != got.Active {
		t.Fatalf("key file: active %v, %v; want %s", reloaded.Active(), err, got.Active)
	}
	resp, b = e.do(nil, "POST", alerts.IntakePath(ch), reqOpt{body: smsForm("m-1", "Attack at 1.5625, 30.2484", "s3cret-gw"), ctype: formCT})
	if resp.StatusCode != 200 {
		t.Fatalf("intake after rotation: %d %s", resp.StatusCode, b)
	}
	recs, err := db.AuditLog(ctx, audit.Filter{Action: "keys.rotate", Limit: 10})
	if err != nil || len(recs) != 1 || recs[0].Actor != "ada" || recs[0].Object != "key:"+got.Active {
		t.Fatalf("audit: %+v, %v", recs, err)
	}
}
