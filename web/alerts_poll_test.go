package web

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/vigil-project/vigil/alerts"
)

var nextLink = regexp.MustCompile(`^<(/api/v1/alerts\?[^>]*)>; rel="next"$`)

// A client that polls with since_id and falls behind by more than its page
// retrieves every alert sent while it was away, oldest first, by following
// the answer's next link.
func TestAlertsPollWalksEverything(t *testing.T) {
	e := newAlertsEnv(t, "rex")
	ctx := context.Background()
	// The client has seen everything so far (nothing), then goes away.
	const sent = 1500
	var wg sync.WaitGroup
	errs := make(chan error, sent)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < sent; i += 8 {
				if _, err := e.svc.Receive(ctx, e.webform, alerts.Inbound{GatewayID: fmt.Sprintf("m%d", i), Message: fmt.Sprintf("alert number %d", i)}); err != nil {
					errs <- err
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	path := "/api/v1/alerts?since_id=0&limit=200"
	for polls := 0; ; polls++ {
		if polls > sent/200+2 {
			t.Fatalf("still polling after %d polls (%d seen)", polls, len(seen))
		}
		resp, b := e.do(nil, "GET", path, reqOpt{token: e.tokens["rex"]})
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
		}
		var page []alerts.Alert
		if err := json.Unmarshal(b, &page); err != nil {
			t.Fatal(err)
		}
		for i, a := range page {
			if i > 0 && a.ID <= page[i-1].ID {
				t.Fatalf("%s: not oldest first: %d after %d", path, a.ID, page[i-1].ID)
			}
			if seen[a.ID] {
				t.Fatalf("alert %d answered twice", a.ID)
			}
			seen[a.ID] = true
		}
		m := nextLink.FindStringSubmatch(resp.Header.Get("Link"))
		if m == nil {
			t.Fatalf("%s: no next link: %q", path, resp.Header.Get("Link"))
		}
		if len(page) == 0 {
			if m[1] != path {
				t.Fatalf("an empty poll's next is %s, want the same poll %s", m[1], path)
			}
			break
		}
		path = m[1]
	}
	if len(seen) != sent {
		t.Fatalf("the poller retrieved %d of %d alerts", len(seen), sent)
	}
	// Without since_id the queue view is newest first.
	_, b := e.do(nil, "GET", "/api/v1/alerts?limit=3", reqOpt{token: e.tokens["rex"]})
	var top []alerts.Alert
	json.Unmarshal(b, &top)
	if len(top) != 3 || top[0].ID < top[1].ID || top[1].ID < top[2].ID || !seen[top[0].ID] || top[0].ID < int64(sent) {
		t.Fatalf("queue view: %s", b)
	}
}

func TestAlertsListLimit(t *testing.T) {
	e := newAlertsEnv(t, "rex")
	for _, tc := range []struct {
		q      string
		status int
	}{
		{"limit=10000", 400},
		{"limit=1001", 400},
		{"limit=0", 400},
		{"limit=-1", 400},
		{"limit=ten", 400},
		{"limit=1000", 200},
		{"since_id=5&limit=1", 200},
		{"since_id=x", 400},
	} {
		resp, b := e.do(nil, "GET", "/api/v1/alerts?"+tc.q, reqOpt{token: e.tokens["rex"]})
		if resp.StatusCode != tc.status {
			t.Fatalf("%s: %d %s", tc.q, resp.StatusCode, b)
		}
		if tc.status == 400 && !strings.Contains(string(b), `"field":"`+strings.SplitN(tc.q, "=", 2)[0]+`"`) {
			t.Fatalf("%s: error does not name the parameter: %s", tc.q, b)
		}
	}
}
