package alerts_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
)

// TestGatewayMessageFieldSaid: a Twilio or webhook message refused names
// the gateway's own field (Body, text) in English as before and in the
// keyed message, so the page says it in French too (the field was renamed
// after the keyed message was made, which then said "message" or nothing).
func TestGatewayMessageFieldSaid(t *testing.T) {
	long := strings.Repeat("é", alerts.MaxMessageBytes)
	twilio := func(body string) error {
		_, err := alerts.ParseTwilio(url.Values{"MessageSid": {"SM1"}, "From": {"+243812345678"}, "Body": {body}})
		return err
	}
	form := func(text string) error {
		_, err := alerts.ParseWebhookForm(url.Values{"id": {"w1"}, "text": {text}})
		return err
	}
	json := func(text string) error {
		_, err := alerts.ParseWebhookJSON([]byte(`{"id":"w1","text":"` + text + `"}`))
		return err
	}
	cases := []struct {
		name   string
		err    error
		en, fr string
	}{
		{"Twilio empty", twilio("  "), "Body: is empty", "Body\u00a0: est vide"},
		{"Twilio long", twilio(long), "Body: is 8192 bytes, the limit is 4096", "Body\u00a0: fait 8192 octets, la limite est 4096"},
		{"webhook form empty", form(" "), "text: is empty", "text\u00a0: est vide"},
		{"webhook JSON empty", json(" "), "text: is empty", "text\u00a0: est vide"},
	}
	for _, c := range cases {
		if c.err == nil || c.err.Error() != c.en {
			t.Errorf("%s: English %v, want %q", c.name, c.err, c.en)
			continue
		}
		apperrtest.Said(t, c.name, c.err, c.fr)
	}
}
