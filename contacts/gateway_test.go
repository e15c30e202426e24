package contacts

import (
	"net/url"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/textcheck"
)

// TestBackoff: retries wait Backoff, doubling, never more than 10 minutes.
func TestBackoff(t *testing.T) {
	s := &Service{Backoff: time.Second}
	for _, c := range []struct {
		n    int
		want time.Duration
	}{{1, time.Second}, {2, 2 * time.Second}, {4, 8 * time.Second}, {20, 10 * time.Minute}, {1000, 10 * time.Minute}} {
		if got := s.backoff(c.n); got != c.want {
			t.Errorf("backoff(%d) = %v, want %v", c.n, got, c.want)
		}
	}
	if (&Service{}).maxAttempts(GatewaySettings{}) != DefaultMaxAttempts || (&Service{}).lease() != DefaultLease {
		t.Error("defaults")
	}
}

// FuzzParseWebhookReceipt: any body gives a receipt or a field error, never
// a panic; an accepted receipt's texts hold no NUL and are UTF-8 (a NUL
// made PostgreSQL refuse the look-up: a 500 at /intake/webhook/{key}/status).
func FuzzParseWebhookReceipt(f *testing.F) {
	for _, s := range []string{`{"uuid":"a","status":"delivered"}`, `{"uuid":"a","status":"failed","error":"x"}`, `{`, `[]`, `{"status":"sent"}`,
		`{"uuid":"a\u0000b","status":"delivered"}`, `{"uuid":"a","status":"failed","error":"x\u0000"}`, "{\"uuid\":\"a\xff\",\"status\":\"sent\"}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseWebhookReceipt(b)
		if err == nil && (r.UUID == "" || len(r.UUID) > 64 || r.Status == "" || !storable(r)) {
			t.Fatalf("accepted %q as %+v", b, r)
		}
	})
}

// TestWebhookReceiptJSONRefusals: a receipt body the JSON decoder refuses
// is said in JSON words, naming the field by its JSON name and no Go type
// ("Go struct field .UUID of type string", "Go value of type struct {…}"
// before).
func TestWebhookReceiptJSONRefusals(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{`{"uuid":5,"status":"sent"}`, "body: json: field uuid: cannot use a number here, want a string"},
		{`[]`, "body: json: top-level value: cannot use an array here, want an object"},
		{`{"uuid":"a","status":["sent"]}`, "body: json: field status: cannot use an array here, want a string"},
	} {
		_, err := ParseWebhookReceipt([]byte(c.body))
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: %v, want %q", c.body, err, c.want)
		}
	}
}

// storable: a receipt's texts are UTF-8 without NUL, as every store takes them.
func storable(r Receipt) bool {
	for _, s := range []string{r.UUID, r.Ref, r.Error} {
		if textcheck.Text(s) != nil {
			return false
		}
	}
	return true
}

// FuzzParseTwilioReceipt: any StatusCallback form gives a receipt or a field error.
func FuzzParseTwilioReceipt(f *testing.F) {
	f.Add("m1", "MessageSid=SM1&MessageStatus=delivered")
	f.Add("", "MessageSid=SM1&SmsStatus=failed&ErrorCode=30003")
	f.Add("", "MessageStatus=sent")
	f.Add("", "MessageSid=SM%00&MessageStatus=delivered")
	f.Add("m\xff", "MessageSid=SM1&MessageStatus=failed&ErrorCode=%00")
	f.Fuzz(func(t *testing.T, m, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		r, err := ParseTwilioReceipt(m, form)
		if err == nil && (r.UUID == "" && r.Ref == "" || len(r.Ref) > 64 || len(r.UUID) > 64 || !storable(r)) {
			t.Fatalf("accepted %q %q as %+v", m, body, r)
		}
	})
}
