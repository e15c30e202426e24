package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestEscalationNoticeSurvivesKill9: a real `vigil serve` escalates an
// overdue incident at start and is SIGKILLed while its webhook post is
// under way (the webhook holds it unanswered); the server started next on
// the same data directory posts the notice again, with the same notice id
// (Idempotency-Key and notice_id), once the lease is over, and no other.
// Before the outbox (migration 0061) the notice was lost with the process.
func TestEscalationNoticeSurvivesKill9(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGKILL")
	}
	var hang atomic.Bool
	hang.Store(true)
	type post struct{ key, id, kind string }
	var mu sync.Mutex
	var posts []post
	arrived := make(chan struct{}, 10)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]any
		b, _ := io.ReadAll(r.Body)
		json.Unmarshal(b, &m)
		id, _ := m["notice_id"].(string)
		kind, _ := m["type"].(string)
		mu.Lock()
		posts = append(posts, post{r.Header.Get("Idempotency-Key"), id, kind})
		mu.Unlock()
		arrived <- struct{}{}
		if hang.Load() {
			<-r.Context().Done() // until the server that posted dies
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer hook.Close()

	bin := buildVigilBin(t)
	data := t.TempDir()
	t.Setenv("VIGIL_KEYS", "")
	out, err := exec.Command(bin, "channel", "add", "--data", data, "--kind", "smssync", "--name", "gw", "--secret", "s3cret-gw").Output()
	if err != nil {
		t.Fatalf("channel add: %v %s", err, out)
	}
	u, err := url.Parse(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatal(err)
	}
	flags := []string{"--alerts-escalation-url", hook.URL + "/hook", "--alerts-triage-sla", "1ms"}
	// An alert, by a server that escalates nothing yet (its first pass ran
	// before the alert came).
	first, base := startVigilServe(t, bin, data, "--alerts-triage-sla", "1ms")
	resp, err := http.PostForm(base+u.Path, url.Values{"from": {"+243812345678"}, "message": {"armed men at 1.5625, 30.2484"}, "message_id": {"m1"},
		"secret": {"s3cret-gw"}, "device_id": {"1"}, "sent_timestamp": {"1764100000000"}})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("alert: %v %v", resp, err)
	}
	resp.Body.Close()
	first.Process.Signal(os.Kill)
	first.Wait()

	// The next start escalates the overdue incident and posts its notice;
	// killed while the post is under way.
	second, _ := startVigilServe(t, bin, data, flags...)
	select {
	case <-arrived:
	case <-time.After(2 * time.Minute): // a safety net, not a measure
		t.Fatal("no notice posted by the server that escalated")
	}
	if err := second.Process.Signal(os.Kill); err != nil {
		t.Fatal(err)
	}
	second.Wait()

	hang.Store(false)
	third, _ := startVigilServe(t, bin, data, flags...)
	select {
	case <-arrived: // after the one-minute lease and a poll
	case <-time.After(3 * time.Minute): // a safety net, not a measure
		t.Fatal("the notice was not posted again after the kill")
	}
	third.Process.Signal(os.Interrupt) // a clean stop: nothing more to post
	third.Wait()
	mu.Lock()
	defer mu.Unlock()
	if len(posts) != 2 || posts[0].kind != "vigil.incident.overdue" || posts[0].key == "" || posts[0] != posts[1] || posts[0].id != posts[0].key {
		t.Fatalf("posts %+v: want the overdue notice twice under one id", posts)
	}
}
