package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/storage"
)

// failingTwilio is a fake Twilio Messages API that answers per recipient
// ("To") the answers given in turn: an HTTP status with Twilio's JSON
// error (its message naming the recipient's number, as Twilio's do), or
// 0 to never answer (the push times out); then 201.
type failingTwilio struct {
	mu      sync.Mutex
	answers map[string][]int
	codes   map[string]int // to -> Twilio error code of a 4xx
}

func (f *failingTwilio) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(raw))
	to := form.Get("To")
	f.mu.Lock()
	code := http.StatusCreated
	if a := f.answers[to]; len(a) > 0 {
		code, f.answers[to] = a[0], a[1:]
	}
	twilioCode := f.codes[to]
	f.mu.Unlock()
	if code == 0 {
		<-r.Context().Done() // the client gives up
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	if code < 300 {
		_, _ = fmt.Fprintf(w, `{"sid": "SM%s", "status": "queued"}`, strings.Repeat("1", 20)+to[len(to)-2:])
		return
	}
	// Twilio's words name the number, in two spellings.
	spaced := to[:4] + " " + to[4:7] + " " + to[7:10] + " " + to[10:]
	_, _ = fmt.Fprintf(w, `{"code": %d, "message": "The 'To' number %s is not a valid phone number (%s).", "status": %d}`, twilioCode, to, spaced, code)
}

// testContactsFailures: a broadcast's failed messages are grouped by a
// stable reason (the gateway's number-free words apart), most frequent
// first, each saying whether it will be tried again: Twilio refusals by
// Twilio's error code, 5xx, 429 and timeouts retried until the bound then
// failed for good, a delivery receipt's error code, and a failure stored
// before reason codes (its English line) read into the same groups. No
// phone number, whatever its spelling, is in what the store keeps of the
// gateway's words nor in the answer.
func testContactsFailures(t *testing.T, ctx context.Context, db *storage.DB) {
	as := alertService(t, db)
	cs := contacts.NewService(db, as.Keys)
	cs.Channels = db
	cs.BaseURL = "https://vigil.example.org"
	cs.Backoff = time.Minute
	cs.MaxAttempts = 2
	cs.HTTP = &http.Client{Timeout: time.Second}
	clock := time.Now().UTC()
	cs.Now = func() time.Time { return clock }

	phone := func(i int) string { return fmt.Sprintf("+2438100000%02d", i) }
	fake := &failingTwilio{answers: map[string][]int{}, codes: map[string]int{}}
	for i := 1; i <= 3; i++ { // invalid numbers
		fake.answers[phone(i)], fake.codes[phone(i)] = []int{400}, 21211
	}
	fake.answers[phone(4)], fake.codes[phone(4)] = []int{400}, 21610 // replied STOP to Twilio
	fake.answers[phone(5)] = []int{503, 503}                         // down twice: failed for good
	fake.answers[phone(6)] = []int{503, 503}
	fake.answers[phone(7)] = []int{429}  // rate limited, then taken
	fake.answers[phone(8)] = []int{0, 0} // no answer twice
	fake.answers[phone(9)] = nil         // taken, then undelivered by receipt
	fake.answers[phone(10)] = []int{400} // legacy row (rewritten below)
	fake.codes[phone(10)] = 21211
	srv := httptest.NewServer(fake)
	defer srv.Close()

	tw, err := as.NewChannel(ctx, "admin", alerts.Twilio, "Twilio", "tw-auth-token", "")
	if err != nil {
		t.Fatal(err)
	}
	sid := "AC" + strings.Repeat("b", 32)
	g := contacts.GatewaySettings{ChannelID: tw.ID, RatePerS: 100, AccountSID: sid, From: "+15005550006", SendURL: srv.URL}
	if _, err := cs.SetGateway(ctx, "admin", g); err != nil {
		t.Fatal(err)
	}
	var rows []contacts.Row
	for i := 1; i <= 10; i++ {
		rows = append(rows, contacts.Row{Where: "f.csv", Input: contacts.Input{Phone: phone(i), Language: "fr", Groups: []string{"f"}, ConsentHow: "verbal"}})
	}
	if _, err := cs.Import(ctx, "analyst", rows); err != nil {
		t.Fatal(err)
	}
	b, err := cs.Send(ctx, "analyst", contacts.BroadcastRequest{ChannelID: tw.ID, Audience: contacts.Audience{Group: "f"}, Messages: map[string]string{"fr": "Réunion"}})
	if err != nil || b.Reach.Queued != 10 {
		t.Fatalf("queue: %+v %v", b.Reach, err)
	}
	// Nothing failed yet: no reason, and an unknown broadcast is not found.
	if f, err := cs.Failures(ctx, b.ID); err != nil || len(f.Reasons) != 0 || f.Reasons == nil {
		t.Fatalf("failures before sending: %+v %v", f, err)
	}
	if _, err := cs.Failures(ctx, b.ID+1000); err != contacts.ErrNotFound {
		t.Fatalf("failures of no broadcast: %v, want ErrNotFound", err)
	}

	tw.Secret = "tw-auth-token"
	if n, err := cs.Drain(ctx, tw, g); err != nil || n != 1 {
		t.Fatalf("first drain: %d %v", n, err) // 9 taken
	}
	// A failure stored before reason codes: its English line only.
	if _, err := db.Exec(ctx, db.SQL, `UPDATE alert_outbox SET error_code = '', gateway_said = '', error = 'gateway refused the message (400, error 21211)'
		WHERE id = (SELECT MAX(id) FROM alert_outbox WHERE broadcast_id = ? AND error_code = 'twilio:21211')`, b.ID); err != nil {
		t.Fatal(err)
	}
	// Twilio reports 9 undelivered: the handset is off.
	rc, err := contacts.ParseTwilioReceipt("", url.Values{"MessageSid": {"SM" + strings.Repeat("1", 20) + "09"}, "MessageStatus": {"undelivered"}, "ErrorCode": {"30003"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := cs.RecordReceipt(ctx, tw, rc); err != nil {
		t.Fatal(err)
	}
	type group struct {
		code  string
		count int
		retry bool
	}
	check := func(when string, want []group, failed, retrying int) contacts.Failures {
		t.Helper()
		f, err := cs.Failures(ctx, b.ID)
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		var got []group
		for _, r := range f.Reasons {
			got = append(got, group{r.Code, r.Count, r.Retry})
			if r.Key == "" || r.Reason == "" {
				t.Errorf("%s: reason %+v unsaid", when, r)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || f.Failed != failed || f.Retrying != retrying {
			t.Errorf("%s: reasons %v (failed %d, retrying %d)\nwant %v (failed %d, retrying %d)", when, got, f.Failed, f.Retrying, want, failed, retrying)
		}
		bc, err := cs.Get(ctx, b.ID)
		if err != nil || bc.Reach.Failed != failed || bc.Reach.Retrying != retrying {
			t.Errorf("%s: reach %+v %v, want %d failed and %d retrying", when, bc.Reach, err, failed, retrying)
		}
		return f
	}
	first := check("after one try", []group{
		{"twilio:21211", 4, false}, // 3 with codes, 1 read from its English line
		{"server-error:503", 2, true},
		{"twilio:21610", 1, false}, {"twilio:30003", 1, false},
		{"rate-limited", 1, true}, {"timeout:1", 1, true},
	}, 6, 4)
	for _, r := range first.Reasons {
		switch r.Code {
		case "twilio:21211":
			if r.Key != "contacts.fail.twilio.21211" || r.Args["code"] != 21211 ||
				r.GatewaySaid != "The 'To' number [number] is not a valid phone number ([number])." {
				t.Errorf("21211: %+v", r)
			}
		case "timeout:1":
			if r.Key != "contacts.fail.timeout" || r.Args["s"] != 1 {
				t.Errorf("timeout: %+v", r)
			}
		case "server-error:503":
			if r.Key != "contacts.fail.server-error" || r.Args["status"] != 503 {
				t.Errorf("503: %+v", r)
			}
		}
	}

	clock = clock.Add(time.Hour) // the retries are due
	if n, err := cs.Drain(ctx, tw, g); err != nil || n != 1 {
		t.Fatalf("second drain: %d %v", n, err) // 7 taken
	}
	last := check("after the last try", []group{
		{"twilio:21211", 4, false},
		{"server-error:503", 2, false},
		{"timeout:1", 1, false}, {"twilio:21610", 1, false}, {"twilio:30003", 1, false},
	}, 9, 0)

	// No phone number survives, in any spelling: not in the answer, not
	// in what the store keeps of the gateway's words.
	js, _ := json.Marshal([]any{first, last})
	var kept []string
	rs, err := db.Query(ctx, db.SQL, `SELECT gateway_said, error FROM alert_outbox WHERE broadcast_id = ?`, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
		var said, e string
		if err := rs.Scan(&said, &e); err != nil {
			t.Fatal(err)
		}
		kept = append(kept, said+" | "+e)
	}
	if err := rs.Close(); err != nil {
		t.Fatal(err)
	}
	if len(kept) != 10 {
		t.Fatalf("%d outbox rows, want 10", len(kept))
	}
	long := regexp.MustCompile(`\d[\d\s().\-/]*\d`)
	for _, s := range append(kept, string(js)) {
		for _, m := range long.FindAllString(s, -1) {
			if digits := regexp.MustCompile(`\D`).ReplaceAllString(m, ""); len(digits) >= 6 {
				t.Errorf("a phone number survives: %q in %s", m, s)
			}
		}
		if strings.Contains(s, "810 000") || strings.Contains(s, "8100000") {
			t.Errorf("a phone number survives in %s", s)
		}
	}
}
