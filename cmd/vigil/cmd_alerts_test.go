package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/internal/shareddata"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/sqlite"
)

// buildVigil compiles the real binary once per test run.
func buildVigilBin(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "vigil")
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

var runningAt = regexp.MustCompile(`Vigil is running at (http://[^ \n]+)`)

// startServe runs `vigil serve` (with extra flags) on a free loopback port
// and returns its URL.
func startVigilServe(t *testing.T, bin, data string, extra ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--data", data, "--addr", "127.0.0.1:0", "--alerts-retention-days", "0"}, extra...)...)
	cmd.Env = append(os.Environ(), "VIGIL_KEYS=")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(stdout)
	deadline := time.After(60 * time.Second)
	found := make(chan string, 1)
	go func() {
		for sc.Scan() {
			if m := runningAt.FindStringSubmatch(sc.Text()); m != nil {
				found <- strings.TrimRight(m[1], "/")
			}
		}
	}()
	select {
	case u := <-found:
		return cmd, u
	case <-deadline:
		t.Fatal("vigil serve did not start within 60 s")
	}
	return nil, ""
}

// TestAlertsSurviveKill9 streams SMSSync submissions into the real server,
// SIGKILLs it mid-stream, restarts it, and checks that every message the
// server acknowledged is stored exactly once — and that the gateway's
// retries of the unacknowledged ones are stored once too.
func TestAlertsSurviveKill9(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGKILL")
	}
	bin := buildVigilBin(t)
	data := t.TempDir()
	t.Setenv("VIGIL_KEYS", "")
	out, err := exec.Command(bin, "channel", "add", "--data", data, "--kind", "smssync", "--name", "gw", "--secret", "s3cret-gw").Output() // the URL on stdout; a note on stderr
	if err != nil {
		t.Fatalf("channel add: %v %s", err, out)
	}
	u, err := url.Parse(strings.TrimSpace(string(out)))
	if err != nil || !strings.HasPrefix(u.Path, "/intake/smssync/") {
		t.Fatalf("channel add printed %q", out)
	}
	path := u.Path

	srv, base := startVigilServe(t, bin, data)
	var acked sync.Map // message_id -> true
	var nAcked, nSent atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 5 * time.Second}
	send := func(base, id string) bool {
		form := url.Values{"from": {"+243812345678"}, "message": {"alert " + id + " at 1.5625, 30.2484"}, "message_id": {id},
			"sent_to": {"+243990000000"}, "secret": {"s3cret-gw"}, "device_id": {"1"}, "sent_timestamp": {"1764100000000"}}
		resp, err := client.PostForm(base+path, form)
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		var v struct {
			Payload struct {
				Success bool `json:"success"`
			} `json:"payload"`
		}
		if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&v) != nil || !v.Payload.Success {
			return false
		}
		return true
	}
	const workers = 4
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				id := fmt.Sprintf("w%d-%d", w, i)
				nSent.Add(1)
				if send(base, id) {
					acked.Store(id, true)
					nAcked.Add(1)
				} else {
					return // server gone
				}
			}
		}(w)
	}
	// Kill while the stream is flowing.
	for nAcked.Load() < 300 {
		time.Sleep(5 * time.Millisecond)
	}
	if err := srv.Process.Signal(os.Kill); err != nil {
		t.Fatal(err)
	}
	srv.Wait()
	close(stop)
	wg.Wait()
	t.Logf("sent %d, acknowledged %d before SIGKILL", nSent.Load(), nAcked.Load())

	// Restart and resend every message (acknowledged or not), as a gateway
	// that never heard back would.
	_, base2 := startVigilServe(t, bin, data)
	total := int(nSent.Load())
	for w := 0; w < workers; w++ {
		for i := 0; i < total; i++ {
			id := fmt.Sprintf("w%d-%d", w, i)
			// A retry of a stored message is acknowledged again (and not
			// stored twice); an unacknowledged one is stored now.
			if !send(base2, id) {
				t.Fatalf("retry of %s refused", id)
			}
		}
	}

	ctx := context.Background()
	db := openTestStore(t, data)
	counts := map[string]int{}
	rows, err := db.SQL.QueryContext(ctx, `SELECT gateway_id FROM alerts`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		counts[id]++
	}
	rows.Close()
	lost := 0
	acked.Range(func(k, _ any) bool {
		if counts[k.(string)] != 1 {
			lost++
			t.Errorf("acknowledged message %s stored %d times", k, counts[k.(string)])
		}
		return true
	})
	for w := 0; w < workers; w++ {
		for i := 0; i < total; i++ {
			if id := fmt.Sprintf("w%d-%d", w, i); counts[id] != 1 {
				t.Errorf("message %s stored %d times after the gateway's retries", id, counts[id])
			}
		}
	}
	if len(counts) != workers*total {
		t.Errorf("%d alerts stored, want %d", len(counts), workers*total)
	}
	if lost > 0 {
		t.Fatalf("%d acknowledged alerts lost", lost)
	}
	t.Logf("%d acknowledged, all stored exactly once; %d alerts in the store", nAcked.Load(), len(counts))
}

func TestAlertsCLI(t *testing.T) {
	data := t.TempDir()
	t.Setenv("VIGIL_KEYS", "")
	var out, errb strings.Builder
	if code := run([]string{"channel", "add", "--data", data, "--kind", "webhook", "--name", "partner CAP", "--secret", "x-secret"}, nil, &out, &errb); code != 0 {
		t.Fatalf("channel add: %d %s", code, errb.String())
	}
	key := out.String()[strings.LastIndex(out.String(), "/")+1:]
	key = strings.TrimSpace(key)
	capFile := shareddataPath(t, "cap/valid/v1dot2_appendix_adot3.xml")
	for i, want := range []string{"1 alerts stored, 0 already known", "0 alerts stored, 1 already known"} {
		out.Reset()
		if code := run([]string{"alerts", "import-cap", "--data", data, "--channel", key, capFile}, nil, &out, &errb); code != 0 {
			t.Fatalf("import %d: %d %s", i, code, errb.String())
		}
		if !strings.Contains(out.String(), want) {
			t.Fatalf("import %d: %q", i, out.String())
		}
	}
	errb.Reset()
	if code := run([]string{"alerts", "import-cap", "--data", data, "--channel", key, shareddataPath(t, "cap/invalid/xee.cap")}, nil, &out, &errb); code == 0 || !strings.Contains(errb.String(), "DOCTYPE") {
		t.Fatalf("XXE import: %d %s", code, errb.String())
	}
	out.Reset()
	if code := run([]string{"keys", "rotate", "--data", data}, nil, &out, &errb); code != 0 || !strings.Contains(out.String(), "re-encrypted") {
		t.Fatalf("rotate: %d %s %s", code, out.String(), errb.String())
	}
	out.Reset()
	if code := run([]string{"alerts", "purge", "--data", data, "--days", "1"}, nil, &out, &errb); code != 0 {
		t.Fatalf("purge: %d %s", code, errb.String())
	}
	for _, c := range []struct{ kind, flag string }{{"twilio", "--auth-token"}, {"smssync", "--secret"}, {"webhook", "--secret"}} {
		errb.Reset()
		if code := run([]string{"channel", "add", "--data", data, "--kind", c.kind, "--name", "t"}, nil, &out, &errb); code == 0 || !strings.Contains(errb.String(), "needs "+c.flag) {
			t.Fatalf("%s channel without %s: exit %d, %q", c.kind, c.flag, code, errb.String())
		}
	}
}

func shareddataPath(t *testing.T, rel string) string { return shareddata.Path(t, rel) }

// TestAlertsCLISealsLegacyText: alert text that a version before migration
// 0011 stored in clear is sealed the first time vigil opens the store with
// the key, once.
func TestAlertsCLISealsLegacyText(t *testing.T) {
	data := t.TempDir()
	t.Setenv("VIGIL_KEYS", "")
	ctx := context.Background()
	var out, errb strings.Builder
	if code := run([]string{"channel", "add", "--data", data, "--kind", "smssync", "--name", "old phone", "--secret", "x-secret"}, nil, &out, &errb); code != 0 {
		t.Fatalf("channel add: %d %s", code, errb.String())
	}
	// Rows as the older version wrote them: text in the clear columns.
	db, err := sqlite.Open(ctx, data, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const at = "2026-10-01T08:00:00.000000Z"
	const msg, where = "They took Esther Kavira from Largu school", "Largu school"
	inc, err := db.InsertID(ctx, db.SQL, `INSERT INTO alert_incidents (status, loc_status, loc_text, first_at, last_at, alert_count, updated_at)
		VALUES ('received', 'unresolved', ?, ?, ?, 1, ?)`, where, at, at, at)
	if err != nil {
		t.Fatal(err)
	}
	id, err := db.InsertID(ctx, db.SQL, `INSERT INTO alerts (channel_id, incident_id, gateway_id, message, received_at, loc_status, loc_text)
		VALUES (1, ?, 'old-1', ?, ?, 'unresolved', ?)`, inc, msg, at, where)
	if err != nil {
		t.Fatal(err)
	}
	// More history, so the rows span several database pages (the check on
	// the database files below needs page rewrites to be visible).
	for i := range 60 {
		if _, err := db.Exec(ctx, db.SQL, `INSERT INTO alerts (channel_id, incident_id, gateway_id, message, received_at, loc_status)
			VALUES (1, ?, ?, ?, ?, 'unresolved')`, inc, fmt.Sprintf("old-h%d", i), fmt.Sprintf("Esther saw them again (%d)%s", i, strings.Repeat(".", i%7)), at); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	for range 2 {
		if code := run([]string{"alerts", "escalate", "--data", data}, nil, &out, &errb); code != 0 {
			t.Fatalf("alerts escalate: %d %s", code, errb.String())
		}
	}
	db, err = sqlite.Open(ctx, data, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var m, lt string
	var ms []byte
	if err := db.QueryRow(ctx, db.SQL, `SELECT message, loc_text, message_sealed FROM alerts WHERE id = ?`, id).Scan(&m, &lt, &ms); err != nil {
		t.Fatal(err)
	}
	if m != "" || lt != "" || len(ms) == 0 || strings.Contains(string(ms), "Esther") {
		t.Fatalf("after opening: message %q loc_text %q sealed %d bytes", m, lt, len(ms))
	}
	if err := db.QueryRow(ctx, db.SQL, `SELECT loc_text FROM alert_incidents WHERE id = ?`, inc).Scan(&lt); err != nil || lt != "" {
		t.Fatalf("incident loc_text %q %v", lt, err)
	}
	var n int
	if err := db.QueryRow(ctx, db.SQL, `SELECT COUNT(*) FROM audit_log WHERE action = 'alerts.seal_text'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d seal_text audit entries (%v), want 1", n, err)
	}
	// The data dir's key opens it.
	k, err := crypt.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.Alert(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if v := alerts.NewService(db, k).View(a, auth.Responder); v.Message != msg || v.Location.Text != where {
		t.Fatalf("reads %q / %q", v.Message, v.Location.Text)
	}
	// The old text is nowhere in the database files: the UPDATEs alone
	// leave copies in the pages' free space, the conversion rewrites the
	// database afterwards.
	db.Close()
	files, _ := filepath.Glob(filepath.Join(data, "vigil.db*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "Esther") || strings.Contains(string(b), "Largu") {
			t.Fatalf("clear text left in %s (%d copies)", filepath.Base(f), strings.Count(string(b), "Esther"))
		}
	}
}

// TestAlertsEscalateCLIWebhook: `vigil alerts escalate` with
// --alerts-escalation-url posts each incident it escalates to the webhook,
// as vigil serve does. Before, the command had no such flag: the incidents
// it escalated were marked escalated, so no server ever notified them.
// The notice links the incident at --base-url, as vigil serve's do: it
// said "url": "/#/alerts/incident/1", a link to no server, the command
// having no --base-url.
func TestAlertsEscalateCLIWebhook(t *testing.T) {
	t.Setenv("VIGIL_KEYS", "")
	data, db := overdueIncidentData(t)
	db.Close()
	var out, errb strings.Builder
	var mu sync.Mutex
	var bodies []map[string]any
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b map[string]any
		json.NewDecoder(r.Body).Decode(&b)
		mu.Lock()
		bodies = append(bodies, b)
		mu.Unlock()
	}))
	defer hook.Close()
	for range 2 { // the second run escalates nothing more and posts nothing again
		out.Reset()
		if code := run([]string{"alerts", "escalate", "--data", data, "--alerts-escalation-url", hook.URL, "--base-url", "https://vigil.example.org/"}, nil, &out, &errb); code != 0 {
			t.Fatalf("alerts escalate: %d %s", code, errb.String())
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != 1 || bodies[0]["notice_id"] == nil || bodies[0]["incident_id"] == nil {
		t.Fatalf("webhook got %d posts %v, want one notice for the incident", len(bodies), bodies)
	}
	if u := bodies[0]["url"]; u != "https://vigil.example.org/#/alerts/incident/1" {
		t.Errorf("notice url %v, want the incident at --base-url", u)
	}
	if code := run([]string{"alerts", "escalate", "--data", data, "--alerts-escalation-url", "http://169.254.169.254/x"}, nil, &out, &errb); code == 0 {
		t.Error("a metadata address accepted")
	}
}

// TestAlertsEscalateCLIOwnNotices: `vigil alerts escalate` posts the
// notices it writes, and only them, to the URL it is given: a notice a
// server queued for its own webhook (here a withdrawal-watch trigger)
// stays in the outbox, unsent and untried, for that server. Before, the
// command drained the whole outbox to its URL.
func TestAlertsEscalateCLIOwnNotices(t *testing.T) {
	t.Setenv("VIGIL_KEYS", "")
	ctx := context.Background()
	data, db := overdueIncidentData(t)
	var out, errb strings.Builder
	server := &alerts.Notice{Key: "vigil-server-own", Body: []byte(`{"type":"vigil.withdrawal.trigger","notice_id":"vigil-server-own"}`)}
	if err := db.QueueNotice(ctx, server, time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	var mu sync.Mutex
	var kinds []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b map[string]any
		json.NewDecoder(r.Body).Decode(&b)
		mu.Lock()
		kinds = append(kinds, fmt.Sprint(b["type"]))
		mu.Unlock()
	}))
	defer hook.Close()
	if code := run([]string{"alerts", "escalate", "--data", data, "--alerts-escalation-url", hook.URL}, nil, &out, &errb); code != 0 {
		t.Fatalf("alerts escalate: %d %s", code, errb.String())
	}
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(kinds) != "[vigil.incident.overdue]" {
		t.Fatalf("the command's URL got %v, want only the incident it escalated", kinds)
	}
	db, err := sqlite.Open(ctx, data, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	due, err := db.DueNotices(ctx, time.Now(), 10)
	if err != nil || len(due) != 1 || due[0].Key != "vigil-server-own" || due[0].Tries != 0 {
		t.Fatalf("outbox after the command: %+v %v, want the server's notice untried", due, err)
	}
}

// overdueIncidentData is a data directory with a channel and an incident
// overdue for triage long since, and its database, open (VIGIL_KEYS
// cleared by the caller, t.Setenv).
func overdueIncidentData(t *testing.T) (string, *storage.DB) {
	t.Helper()
	data := t.TempDir()
	ctx := context.Background()
	var out, errb strings.Builder
	if code := run([]string{"channel", "add", "--data", data, "--kind", "smssync", "--name", "phone", "--secret", "secret-1"}, nil, &out, &errb); code != 0 {
		t.Fatalf("channel add: %d %s", code, errb.String())
	}
	db, err := sqlite.Open(ctx, data, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const at = "2026-10-01T08:00:00.000000Z" // overdue for triage long since
	if _, err := db.InsertID(ctx, db.SQL, `INSERT INTO alert_incidents (status, loc_status, first_at, last_at, alert_count, updated_at)
		VALUES ('received', 'unresolved', ?, ?, 1, ?)`, at, at, at); err != nil {
		t.Fatal(err)
	}
	return data, db
}
