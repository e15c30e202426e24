package alerts_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/textcheck"
)

// TestParseMessageResults: SMSSync's POST ?task=result as a JSON body, as
// a form field holding the JSON array, or that array as a JSON string
// (what PHP and Node servers of SMSSync decode); each result's outcome
// from Android's send code and the delivery report's words; a malformed
// report refused naming its field.
func TestParseMessageResults(t *testing.T) {
	const one = `[{"uuid":"u1","sent_result_code":-1,"sent_result_message":"SMS sent","delivered_result_code":-1,"delivered_result_message":"SMS delivered"}]`
	for _, c := range []struct {
		name, ct, body, form string
		want                 []string // outcome of each result: status, or status:code
		field                string   // the refusal's field
	}{
		{name: "JSON body", ct: "application/json", body: `{"message_result":` + one + `}`, want: []string{"delivered"}},
		{name: "form field", form: "message_result=" + url.QueryEscape(one), want: []string{"delivered"}},
		{name: "JSON string in a JSON body", ct: "application/json; charset=utf-8", body: `{"message_result":"` + strings.ReplaceAll(one, `"`, `\"`) + `"}`, want: []string{"delivered"}},
		{name: "outcomes", ct: "application/json", body: `{"message_result":[
			{"uuid":"a","sent_result_code":0,"sent_result_message":"SMSSync Message Sent","delivered_result_code":-1,"delivered_result_message":""},
			{"uuid":"b","sent_result_code":"2","sent_result_message":"Radio off"},
			{"uuid":"c","sent_result_code":-1,"delivered_result_code":0,"delivered_result_message":"SMS not delivered"},
			{"uuid":"d","sent_result_code":-1,"delivered_result_code":0,"delivered_result_message":"SMS Delivered"},
			{"uuid":"e","sent_result_code":133,"sent_result_message":null},
			{"uuid":"f","sent_result_code":-1,"delivered_result_code":null}]}`,
			want: []string{"sent", "failed:2", "undelivered", "delivered", "failed:133", "sent"}},
		{name: "empty list", ct: "application/json", body: `{"message_result":[]}`, want: []string{}},
		{name: "no results", ct: "application/json", body: `{}`, field: "message_result"},
		{name: "no body", form: "secret=s", field: "message_result"},
		{name: "not JSON", ct: "application/json", body: `{`, field: "message_result"},
		{name: "not a list", form: `message_result={"uuid":"a"}`, field: "message_result"},
		{name: "a string of garbage", ct: "application/json", body: `{"message_result":"nope"}`, field: "message_result"},
		{name: "no uuid", ct: "application/json", body: `{"message_result":[{"sent_result_code":1}]}`, field: "message_result[0].uuid"},
		{name: "empty uuid", ct: "application/json", body: `{"message_result":[{"uuid":" ","sent_result_code":1}]}`, field: "message_result[0].uuid"},
		{name: "uuid not text", ct: "application/json", body: `{"message_result":[{"uuid":"a\u0000","sent_result_code":1}]}`, field: "message_result[0].uuid"},
		{name: "uuid too long", ct: "application/json", body: `{"message_result":[{"uuid":"` + strings.Repeat("a", 65) + `","sent_result_code":1}]}`, field: "message_result[0].uuid"},
		{name: "no sent code", ct: "application/json", body: `{"message_result":[{"uuid":"a"},{"uuid":"b"}]}`, field: "message_result[0].sent_result_code"},
		{name: "sent code not an integer", ct: "application/json", body: `{"message_result":[{"uuid":"a","sent_result_code":1},{"uuid":"b","sent_result_code":1.5}]}`, field: "message_result[1].sent_result_code"},
		{name: "sent code too large", ct: "application/json", body: `{"message_result":[{"uuid":"a","sent_result_code":99999999999}]}`, field: "message_result[0].sent_result_code"},
		{name: "delivered code a word", ct: "application/json", body: `{"message_result":[{"uuid":"a","sent_result_code":-1,"delivered_result_code":"yes"}]}`, field: "message_result[0].delivered_result_code"},
		{name: "message too long", ct: "application/json", body: `{"message_result":[{"uuid":"a","sent_result_code":1,"sent_result_message":"` + strings.Repeat("x", 201) + `"}]}`, field: "message_result[0].sent_result_message"},
		{name: "message not a string", ct: "application/json", body: `{"message_result":[{"uuid":"a","sent_result_code":1,"delivered_result_message":5}]}`, field: "message_result"},
		{name: "too many", ct: "application/json", body: `{"message_result":[` + strings.TrimSuffix(strings.Repeat(`{"uuid":"a","sent_result_code":1},`, alerts.MaxMessageResults+1), ",") + `]}`, field: "message_result"},
	} {
		form, _ := url.ParseQuery(c.form)
		rs, err := alerts.ParseMessageResults(c.ct, []byte(c.body), form)
		if c.field != "" {
			if k, _ := apperr.KindOf(err); k != apperr.KindInvalid || apperr.FieldOf(err) != c.field {
				t.Errorf("%s: %v, want a refusal naming %s", c.name, err, c.field)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		got := []string{}
		for _, r := range rs {
			st, code := r.Outcome()
			if code != 0 {
				st += ":" + strconv.Itoa(code)
			}
			got = append(got, st)
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%s: outcomes %v, want %v", c.name, got, c.want)
		}
	}
}

// FuzzParseMessageResults: any task=result body or form gives results or
// a refusal naming a field, never a panic; accepted results have a uuid
// of 1 to 64 bytes and texts a store takes (UTF-8, no NUL), at most
// MaxMessageResults of them.
func FuzzParseMessageResults(f *testing.F) {
	for _, s := range []string{`{"message_result":[{"uuid":"a","sent_result_code":-1,"delivered_result_message":"SMS delivered"}]}`,
		`{"message_result":"[{\"uuid\":\"a\",\"sent_result_code\":\"2\"}]"}`, `{"message_result":[{"uuid":"a\u0000"}]}`, `{`, `[]`, `{"message_result":null}`,
		"{\"message_result\":[{\"uuid\":\"a\xff\",\"sent_result_code\":1}]}"} {
		f.Add(s, "message_result="+url.QueryEscape(s))
	}
	f.Fuzz(func(t *testing.T, body, form string) {
		v, err := url.ParseQuery(form)
		if err != nil {
			v = url.Values{}
		}
		for _, ct := range []string{"application/json", ""} {
			rs, err := alerts.ParseMessageResults(ct, []byte(body), v)
			if err != nil {
				if apperr.FieldOf(err) == "" {
					t.Fatalf("refusal names no field: %v", err)
				}
				continue
			}
			if len(rs) > alerts.MaxMessageResults {
				t.Fatalf("%d results accepted", len(rs))
			}
			for _, r := range rs {
				if r.UUID == "" || len(r.UUID) > 64 || textcheck.Text(r.UUID) != nil || textcheck.Text(r.SentMessage) != nil || textcheck.Text(r.DeliveredMessage) != nil ||
					len(r.SentMessage) > 200 || len(r.DeliveredMessage) > 200 {
					t.Fatalf("accepted %+v", r)
				}
			}
		}
	})
}
