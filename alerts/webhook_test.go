package alerts_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/internal/apperr"
)

type tokenCase struct {
	name   string
	header http.Header
	want   string
}

func TestWebhookToken(t *testing.T) {
	for _, c := range []tokenCase{
		{"x-vigil-secret", http.Header{"X-Vigil-Secret": {"s1"}}, "s1"},
		{"authorization token", http.Header{"Authorization": {"Token s2"}}, "s2"},
		{"x-vigil-secret first", http.Header{"X-Vigil-Secret": {"s1"}, "Authorization": {"Token s2"}}, "s1"},
		{"other scheme", http.Header{"Authorization": {"Bearer s3"}}, ""},
		{"none", http.Header{}, ""},
	} {
		if got := alerts.WebhookToken(c.header); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

type webhookCase struct {
	name, contentType, body string
	form                    url.Values
	wantMsg, wantField      string // wantField: the field a refusal names
}

func TestParseWebhook(t *testing.T) {
	for _, c := range []webhookCase{
		{name: "json", contentType: "application/json; charset=utf-8", body: `{"id":"r-1","from":"+1","text":"attack at the market"}`,
			wantMsg: "attack at the market"},
		{name: "form", contentType: "application/x-www-form-urlencoded", form: url.Values{"id": {"r-2"}, "text": {"shots near the school"}},
			wantMsg: "shots near the school"},
		{name: "no content type is a form", form: url.Values{"text": {"fire"}}, wantMsg: "fire"},
		{name: "json with an unknown field", contentType: "application/json", body: `{"text":"x","extra":1}`, wantField: "body"},
		{name: "form with a bad latitude", contentType: "application/x-www-form-urlencoded", form: url.Values{"text": {"x"}, "lat": {"north"}}, wantField: "lat"},
	} {
		in, err := alerts.ParseWebhook(c.contentType, []byte(c.body), c.form)
		if c.wantField != "" {
			if err == nil || apperr.FieldOf(err) != c.wantField {
				t.Errorf("%s: %v, want a refusal naming %q", c.name, err, c.wantField)
			}
			continue
		}
		if err != nil || in.Message != c.wantMsg {
			t.Errorf("%s: %q %v, want %q", c.name, in.Message, err, c.wantMsg)
		}
	}
}

// TestGatewayJSONRefusals: a gateway's JSON the decoder refuses is said in
// JSON words, naming the field by its JSON name and no Go type ("Go struct
// field WebhookMessage.lat of type float64" before).
func TestGatewayJSONRefusals(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"webhook lat", second(alerts.ParseWebhookJSON([]byte(`{"lat":"x","text":"a"}`))), "body: json: field lat: cannot use a string here, want a number"},
		{"webhook array", second(alerts.ParseWebhookJSON([]byte(`[]`))), "body: json: top-level value: cannot use an array here, want an object"},
		{"queued string", second(alerts.ParseQueuedMessages("application/json", []byte(`{"queued_messages":"x"}`), nil)),
			"queued_messages: json: field queued_messages: cannot use a string here, want an array of strings"},
	} {
		if c.err == nil || c.err.Error() != c.want {
			t.Errorf("%s: %v, want %q", c.name, c.err, c.want)
		}
	}
}

func second[T any](_ T, err error) error { return err }
