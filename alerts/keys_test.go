package alerts_test

import (
	"context"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/internal/apperr"
)

// resealStore counts the values a rotation re-encrypts.
type resealStore struct{ gatewayStore }

func (resealStore) ResealChannels(context.Context, string, func([]byte) ([]byte, error)) (int, error) {
	return 2, nil
}

func (resealStore) ResealAlerts(context.Context, string, func([]byte, string) ([]byte, error)) (int, error) {
	return 5, nil
}

// entries is an audit log that keeps what it is given.
type entries []audit.Entry

func (e *entries) Record(_ context.Context, x audit.Entry) error { *e = append(*e, x); return nil }
func (e *entries) AuditLog(context.Context, audit.Filter) ([]audit.Record, error) {
	return nil, nil
}

func TestRotateKeys(t *testing.T) {
	fileKeys, err := crypt.Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fixed, err := crypt.New(map[string][]byte{"k": make([]byte, 32)}, "k")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		keys      *crypt.Keyring
		log       bool
		wantKind  apperr.Kind
		wantError bool
	}{
		{name: "key file, audited", keys: fileKeys, log: true},
		{name: "key file, no log", keys: fileKeys},
		{name: "keys from the environment", keys: fixed, log: true, wantKind: apperr.KindConflict, wantError: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc := alerts.NewService(&resealStore{}, tc.keys)
			before := tc.keys.Active()
			var log entries
			var l audit.Log
			if tc.log {
				l = &log
			}
			out, err := svc.RotateKeys(context.Background(), "ada", l)
			if tc.wantError {
				if k, _ := apperr.KindOf(err); k != tc.wantKind || len(log) != 0 {
					t.Fatalf("error %v (%d audited), want %v and nothing audited", err, len(log), tc.wantKind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if out["active"] == before || out["active"] != tc.keys.Active() || out["resealed"] != 7 {
				t.Errorf("answer %v (active before %s)", out, before)
			}
			if tc.log && (len(log) != 1 || log[0].Action != "keys.rotate" || log[0].Object != "key:"+tc.keys.Active()) {
				t.Errorf("audited %+v", log)
			}
			if st := svc.KeyStatus(); st["active"] != tc.keys.Active() || len(st["keys"].([]string)) < 2 {
				t.Errorf("key status %v", st)
			}
		})
	}
}
