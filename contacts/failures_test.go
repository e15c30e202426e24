package contacts

import (
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestMaskPersonal: a gateway's words keep no phone number, however it
// is spelled, nor an e-mail address; error codes and HTTP statuses stay.
func TestMaskPersonal(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"The 'To' number +243810000003 is not a valid phone number.", "The 'To' number [number] is not a valid phone number."},
		{"Attempt to send to unsubscribed recipient +243 810 000 003", "Attempt to send to unsubscribed recipient [number]"},
		{"to whatsapp:+243810000003 failed", "to whatsapp:[number] failed"},
		{"number (081) 000-0003 off", "number [number] off"},
		{"243.810.000.003/4", "[number]"},
		{"call 0810000003, then 0997000111", "call [number], then [number]"},
		{"owner amani.k@example.org asked", "owner [address] asked"},
		{"error 21211 (HTTP 400) in 30 s", "error 21211 (HTTP 400) in 30 s"},
		{"12345 then 6", "12345 then 6"},
		{"123456", Masked},
		{"1 2 3 4 5", "1 2 3 4 5"},
		{"1 2 3 4 5 6", Masked},
		{"+(1)2345 and (12)34.56", "+(1)2345 and " + Masked},
		{" 0810000003 ", " " + Masked + " "},
		{"a@b.cd 123456 x@y.org", "[address] " + Masked + " [address]"},
		{"", ""},
	} {
		if got := MaskPersonal(c.in); got != c.want {
			t.Errorf("MaskPersonal(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// BenchmarkMaskPersonal: one gateway answer with a number and an address
// in it, and one with neither.
func BenchmarkMaskPersonal(b *testing.B) {
	said := "Attempt to send to unsubscribed recipient +243 810 000 003 (owner amani.k@example.org), error 21610"
	plain := "The message could not be delivered: error 30003 (HTTP 400) after 30 s"
	for b.Loop() {
		MaskPersonal(said)
		MaskPersonal(plain)
	}
}

// FuzzMaskPersonal: whatever a gateway says, no run of 6 digits survives.
func FuzzMaskPersonal(f *testing.F) {
	for _, s := range []string{"+243 810 000 003", "1-2-3-4-5-6", "12345 6", "(12)34.56", "a1b2c3d4e5f6"} {
		f.Add(s)
	}
	sep := regexp.MustCompile(`\d[\d\s().\-/]*\d`)
	f.Fuzz(func(t *testing.T, s string) {
		out := MaskPersonal(s)
		for _, m := range sep.FindAllString(out, -1) {
			if n := len(regexp.MustCompile(`\D`).ReplaceAllString(m, "")); n >= 6 {
				t.Fatalf("MaskPersonal(%q) = %q keeps %q", s, out, m)
			}
		}
	})
}

// TestFailureReasons: what a gateway answered, or reported, is a stable
// code, said by a key; a gateway's words are kept masked.
func TestFailureReasons(t *testing.T) {
	for _, c := range []struct {
		name    string
		f       Failure
		code    string
		key     string
		saidHas string
	}{
		{"Twilio 400 21211", statusFailure(true, 400, 21211, "The 'To' number +243810000003 is not valid"), "twilio:21211", "contacts.fail.twilio.21211", "[number]"},
		{"Twilio 400 unknown code", statusFailure(true, 400, 21999, "odd"), "twilio:21999", "contacts.fail.twilio", "odd"},
		{"webhook 400 with code", statusFailure(false, 400, 12, "no"), "refused:400", "contacts.fail.refused", "no"},
		{"503", statusFailure(true, 503, 0, ""), "server-error:503", "contacts.fail.server-error", ""},
		{"408", statusFailure(false, 408, 0, ""), "server-error:408", "contacts.fail.server-error", ""},
		{"429", statusFailure(true, 429, 20429, "Too Many Requests"), "rate-limited", "contacts.fail.rate-limited", "Too Many"},
		{"timeout", pushFailure(&url.Error{Op: "Post", URL: "x", Err: timeoutErr{}}, 20), "timeout:20", "contacts.fail.timeout", ""},
		{"timeout, no bound", pushFailure(&url.Error{Op: "Post", URL: "x", Err: timeoutErr{}}, 0), "timeout", "contacts.fail.timeout-any", ""},
		{"refused connection", pushFailure(errors.New("dial tcp: connection refused"), 20), "unreachable", "contacts.fail.unreachable", ""},
		{"legacy 400 on Twilio", legacyFailure("gateway refused the message (400, error 21211)", "twilio"), "twilio:21211", "contacts.fail.twilio.21211", ""},
		{"legacy 400 on a webhook", legacyFailure("gateway refused the message (422)", "webhook"), "refused:422", "contacts.fail.refused", ""},
		{"legacy 502", legacyFailure("gateway answered 502", "webhook"), "server-error:502", "contacts.fail.server-error", ""},
		{"legacy 429", legacyFailure("gateway answered 429", "twilio"), "rate-limited", "contacts.fail.rate-limited", ""},
		{"legacy timeout", legacyFailure("gateway unreachable or too slow: context deadline exceeded (Client.Timeout exceeded while awaiting headers)", "twilio"), "timeout", "contacts.fail.timeout-any", ""},
		{"legacy in doubt", legacyFailure(InDoubt, "twilio"), "in-doubt", "contacts.fail.in-doubt", ""},
		{"legacy receipt", legacyFailure("Twilio error 30003", "twilio"), "twilio:30003", "contacts.fail.twilio.30003", ""},
		{"legacy words", legacyFailure("handset +243 810 000 003 off", "webhook"), "gateway", "contacts.fail.gateway", "handset [number] off"},
	} {
		key, _ := reasonKey(c.f.Code)
		if c.f.Code != c.code || key != c.key || !strings.Contains(c.f.Said, c.saidHas) || strings.Contains(c.f.Said, "810") {
			t.Errorf("%s: %+v (key %s), want code %s, key %s, words with %q", c.name, c.f, key, c.code, c.key, c.saidHas)
		}
	}
	// A webhook's receipt words and a Twilio receipt's ErrorCode.
	r, err := ParseWebhookReceipt([]byte(`{"uuid":"u1","status":"undelivered","error":"handset +243 810 000 003 off"}`))
	if f := receiptFailure(r); err != nil || f.Code != "gateway" || f.Said != "handset [number] off" {
		t.Errorf("webhook receipt: %+v %v", f, err)
	}
	r, err = ParseTwilioReceipt("u1", url.Values{"MessageStatus": {"failed"}, "ErrorCode": {"30007"}})
	if f := receiptFailure(r); err != nil || f.Code != "twilio:30007" {
		t.Errorf("Twilio receipt: %+v %v", f, err)
	}
	r, _ = ParseTwilioReceipt("u1", url.Values{"MessageStatus": {"undelivered"}})
	if f := receiptFailure(r); f.Code != "undelivered" {
		t.Errorf("Twilio receipt without a code: %+v", f)
	}
	if f := receiptFailure(Receipt{UUID: "u1", Status: StatusDelivered}); f.Code != "" {
		t.Errorf("delivered: %+v", f)
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "deadline" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

// TestFailureKeys: every reason Vigil gives is in the pages' dictionaries
// in English and French, the English saying what the server says
// (Reason.Reason) once its {names} are filled in.
func TestFailureKeys(t *testing.T) {
	dict := map[string]map[string]string{}
	for _, l := range []string{"en", "fr"} {
		raw, err := os.ReadFile("../web/ui/i18n/contacts." + l + ".json")
		if err != nil {
			t.Fatal(err)
		}
		d := map[string]string{}
		if err := json.Unmarshal(raw, &d); err != nil {
			t.Fatal(err)
		}
		dict[l] = d
	}
	codes := []string{"timeout", "timeout:20", "unreachable", "server-error", "server-error:503", "rate-limited", "refused", "refused:400",
		"twilio:99999", "in-doubt", "no-key", "bad-url", "not-pushed", "undelivered", "gateway", "nonsense:x",
		"phone", "phone:7"}
	for c := range TwilioErrors {
		codes = append(codes, "twilio:"+strconv.Itoa(c))
	}
	for c := range PhoneErrors {
		codes = append(codes, "phone:"+strconv.Itoa(c))
	}
	keys := map[string]bool{}
	for _, code := range codes {
		key, args := reasonKey(code)
		keys[key] = true
		en, fr := dict["en"][key], dict["fr"][key]
		if en == "" || fr == "" {
			t.Errorf("%s: key %s missing in English or French", code, key)
			continue
		}
		for k, v := range args {
			en = strings.ReplaceAll(en, "{"+k+"}", strconv.Itoa(v))
		}
		if en != reasonText(code) {
			t.Errorf("%s: the page says %q, the server %q", code, en, reasonText(code))
		}
	}
	for k := range dict["en"] {
		if strings.HasPrefix(k, "contacts.fail.") && !keys[k] && !strings.Contains("show showRetry loading none count retry final said quoted", strings.TrimPrefix(k, "contacts.fail.")) {
			t.Errorf("%s: in the dictionary, said of no reason", k)
		}
	}
}
