package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
)

// countingGateway is a webhook SMS gateway that counts, per recipient, the
// distinct messages (uuids, which it takes as idempotency keys) and the
// raw posts it was sent.
type countingGateway struct {
	mu    sync.Mutex
	byTo  map[string]map[string]bool // to -> uuids
	posts int
	delay time.Duration
}

func (g *countingGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var m struct{ UUID, To, Message string }
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil || m.UUID == "" || r.Header.Get("Idempotency-Key") != m.UUID {
		http.Error(w, "bad message", http.StatusBadRequest)
		return
	}
	time.Sleep(g.delay) // a push takes time: a kill may land in the middle
	g.mu.Lock()
	defer g.mu.Unlock()
	g.posts++
	if g.byTo[m.To] == nil {
		g.byTo[m.To] = map[string]bool{}
	}
	g.byTo[m.To][m.UUID] = true
	w.WriteHeader(http.StatusAccepted)
	fmt.Fprintf(w, `{"id": %q}`, "gw-"+m.UUID[:8])
}

func (g *countingGateway) distinct() (recipients, messages int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, us := range g.byTo {
		recipients++
		messages += len(us)
	}
	return
}

// TestBroadcastSurvivesKill9 schedules a broadcast to 200 contacts through
// a webhook gateway (40 messages/s), lets the real `vigil serve` queue and
// start pushing it, SIGKILLs the server mid-drain, restarts it, and checks
// at the counting gateway that every recipient got exactly one message
// (one uuid) and nobody else any; pushes left in doubt by the kill are
// sent again with their uuid (the gateway's idempotency key) and counted
// in the log.
func TestBroadcastSurvivesKill9(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGKILL")
	}
	if testing.Short() {
		t.Skip("starts the real server twice (about 20 s)")
	}
	bin := buildVigilBin(t)
	data := t.TempDir()
	t.Setenv("VIGIL_KEYS", "")
	if out, err := exec.Command(bin, "channel", "add", "--data", data, "--kind", "webhook", "--name", "gw", "--secret", "s3cret-gw").CombinedOutput(); err != nil {
		t.Fatalf("channel add: %v %s", err, out)
	}
	gw := &countingGateway{byTo: map[string]map[string]bool{}, delay: 5 * time.Millisecond}
	gsrv := httptest.NewServer(gw)
	defer gsrv.Close()

	const n = 200
	ctx := context.Background()
	db, keys := openTestStoreKeys(t, data)
	cs := contacts.NewService(db, keys)
	cs.Channels = db
	chs, err := db.Channels(ctx)
	if err != nil || len(chs) != 1 || chs[0].Kind != alerts.Webhook {
		t.Fatalf("channels: %+v %v", chs, err)
	}
	if _, err := cs.SetGateway(ctx, "admin", contacts.GatewaySettings{ChannelID: chs[0].ID, RatePerS: 40, SendURL: gsrv.URL}); err != nil {
		t.Fatal(err)
	}
	rows := make([]contacts.Row, n)
	want := map[string]bool{}
	for i := range rows {
		p := fmt.Sprintf("+24389%07d", i)
		want[p] = true
		rows[i] = contacts.Row{Where: fmt.Sprintf("k.csv:%d", i+2), Input: contacts.Input{Phone: p, Language: "fr", Groups: []string{"can"}, ConsentHow: "verbal"}}
	}
	if _, err := cs.Import(ctx, "analyst", rows); err != nil {
		t.Fatal(err)
	}
	b, err := cs.Send(ctx, "analyst", contacts.BroadcastRequest{ChannelID: chs[0].ID, Audience: contacts.Audience{Group: "can"}, Messages: map[string]string{"fr": "Réunion demain"}, At: time.Now().Add(2 * time.Second)})
	if err != nil || b.QueuedAt != nil {
		t.Fatalf("schedule: %+v %v", b, err)
	}

	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0", "--alerts-retention-days", "0", "--broadcast-every", "1s", "--gateway-lease", "1s")
		cmd.Env = append(os.Environ(), "VIGIL_KEYS=")
		cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		return cmd
	}
	waitFor := func(what string, limit time.Duration, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(limit)
		for !ok() {
			if time.Now().After(deadline) {
				r, m := gw.distinct()
				t.Fatalf("%s: not within %v (%d recipients, %d messages, %d posts)", what, limit, r, m, gw.posts)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	srv := start()
	waitFor("first pushes", 60*time.Second, func() bool { _, m := gw.distinct(); return m >= n/3 })
	if err := srv.Process.Signal(os.Kill); err != nil {
		t.Fatal(err)
	}
	srv.Wait()
	_, before := gw.distinct()
	t.Logf("SIGKILL after %d of %d messages", before, n)
	if before >= n {
		t.Fatal("the drain finished before the kill: nothing tested")
	}

	start()
	waitFor("drain after restart", 90*time.Second, func() bool { _, m := gw.distinct(); return m >= n })
	// Let a second (wrong) copy arrive if one were coming: the server
	// pushes every second; a few rounds more.
	time.Sleep(3 * time.Second)
	gw.mu.Lock()
	defer gw.mu.Unlock()
	for to, us := range gw.byTo {
		if !want[to] {
			t.Errorf("message to %s, not in the audience", to)
		}
		if len(us) != 1 {
			t.Errorf("%s got %d messages", to, len(us))
		}
	}
	if len(gw.byTo) != n {
		t.Errorf("%d recipients reached, want %d", len(gw.byTo), n)
	}
	t.Logf("%d posts for %d messages (%d pushes in doubt sent again with their uuid)", gw.posts, n, gw.posts-n)

	var sent int
	if err := db.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM alert_outbox WHERE broadcast_id = ? AND sent_at IS NOT NULL`, b.ID).Scan(&sent); err != nil || sent != n {
		t.Errorf("outbox: %d sent, want %d (%v)", sent, n, err)
	}
}
