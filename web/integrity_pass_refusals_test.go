package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
)

// passFailStore is the store whose reads of the items a pass goes over
// (re-scoring: ScoreRows; re-matching: MatchRows) fail with err after the
// first batch, so that the pass ends on it in the background.
type passFailStore struct {
	*storage.DB
	err error
}

func (s passFailStore) ScoreRows(ctx context.Context, after int64, limit int) ([]integrity.ScoreRow, error) {
	if after > 0 {
		return nil, s.err
	}
	return s.DB.ScoreRows(ctx, after, limit)
}

func (s passFailStore) MatchRows(ctx context.Context, after int64, limit int) ([]integrity.MatchRow, error) {
	if after > 0 {
		return nil, s.err
	}
	return s.DB.MatchRows(ctx, after, limit)
}

// TestIntegrityPassFailureSaid: a re-scoring (a model activated) or a
// re-matching (a lexicon change) that stops on an error reports it with a
// catalog key, so that the Integrity page says it in French, not the
// store's English.
func TestIntegrityPassFailureSaid(t *testing.T) {
	for _, tc := range []struct {
		name, status, start, body string
		err                       error
		wantFR                    string
	}{
		{"rescore, a store error", "/api/v1/integrity/models/rescore", "/api/v1/integrity/models/activate", `{"model": 0}`,
			errors.New("sql: database is closed"), "le serveur n’a pas pu lire ou écrire les contenus enregistrés"},
		{"rematch, a store error", "/api/v1/integrity/terms/rematch", "/api/v1/integrity/terms", `{"term": "bridge", "meaning": "a target", "severity": 2}`,
			errors.New("sql: database is closed"), "(détail technique\u00a0: sql: database is closed)"},
		{"rescore, a busy store", "/api/v1/integrity/models/rescore", "/api/v1/integrity/models/activate", `{"model": 0}`,
			apperr.Say(apperr.KindUnavailable, "", "refusal.store.locked"), "la base de données est verrouillée par un autre processus"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db := testutil.Store(t)
			svc := integrity.NewService(passFailStore{db, tc.err}, testutil.Keys(t, "k"))
			svc.PassBatch = 1
			e := serveEnv(t, db, &Server{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Integrity: svc}, &testutil.SyncBuffer{})
			e.addUser(ctx, "ana", auth.Analyst)
			ana := e.tokens["ana"]
			if resp, b := e.do(nil, "POST", "/api/v1/integrity/import?name=x.csv", reqOpt{token: ana, body: integrityExport, ctype: "text/csv"}); resp.StatusCode != 200 {
				t.Fatalf("import: %d %s", resp.StatusCode, b)
			}
			if resp, b := e.do(nil, "POST", tc.start, reqOpt{token: ana, body: tc.body, ctype: "application/json"}); resp.StatusCode/100 != 2 {
				t.Fatalf("start: %d %s", resp.StatusCode, b)
			}
			if err := svc.WaitRescore(ctx); err != nil {
				t.Fatal(err)
			}
			if err := svc.WaitRematch(ctx); err != nil {
				t.Fatal(err)
			}
			_, b := e.do(nil, "GET", tc.status, reqOpt{token: ana})
			var p struct {
				Running bool              `json:"running"`
				Error   string            `json:"error"`
				Key     string            `json:"key"`
				Args    map[string]string `json:"args"`
			}
			if err := json.Unmarshal(b, &p); err != nil || p.Running || p.Error == "" {
				t.Fatalf("status: %s (%v)", b, err)
			}
			m := apperr.Message{Key: p.Key, Args: p.Args}
			if !apperr.Known(p.Key) || m.Text("en") != p.Error {
				t.Fatalf("status %s: no catalog key saying its error", b)
			}
			if fr := m.Text("fr"); !strings.Contains(fr, tc.wantFR) {
				t.Errorf("French: %q, want it to hold %q", fr, tc.wantFR)
			}
		})
	}
}
