package alerts

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"github.com/vigil-project/vigil/internal/apperr"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// SecretMatches compares a presented secret with the channel's in constant
// time. An empty channel secret matches nothing.
func SecretMatches(c Channel, presented string) bool {
	if c.Secret == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(c.Secret), []byte(presented)) == 1
}

// ParseSMSSync reads an SMSSync (Ushahidi) incoming-message POST: fields
// from, message, message_id, sent_to, secret, device_id, sent_timestamp
// (Unix time in milliseconds in SMSSync 2+, seconds in 1.x).
func ParseSMSSync(form url.Values) (Inbound, string, error) {
	in := Inbound{
		GatewayID: form.Get("message_id"),
		From:      form.Get("from"),
		Message:   form.Get("message"),
		SentTo:    form.Get("sent_to"),
	}
	secret := form.Get("secret")
	if err := CheckText("from", in.From, MaxFieldBytes, true); err != nil {
		return in, secret, err
	}
	if ts := strings.TrimSpace(form.Get("sent_timestamp")); ts != "" {
		t, err := parseUnix(ts)
		if err != nil {
			return in, secret, apperr.Invalid("sent_timestamp", err.Error())
		}
		in.SentAt = t
	}
	if err := CheckText("device_id", form.Get("device_id"), MaxFieldBytes, false); err != nil {
		return in, secret, err
	}
	return in, secret, in.Validate()
}

func parseUnix(s string) (time.Time, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, fmt.Errorf("%q is not a Unix timestamp", s)
	}
	if n > 1e11 { // milliseconds
		return time.UnixMilli(n).UTC(), nil
	}
	return time.Unix(n, 0).UTC(), nil
}

// SMSSyncOK is the reply that tells SMSSync the message is stored.
func SMSSyncOK() any {
	return map[string]any{"payload": map[string]any{"success": true, "error": nil}}
}

// SMSSyncError is the reply that tells SMSSync the message was refused.
func SMSSyncError(msg string) any {
	return map[string]any{"payload": map[string]any{"success": false, "error": msg}}
}

// SMSSyncSendTask is the answer to GET ?task=send: the messages the phone
// should send, with their uuids.
func SMSSyncSendTask(secret string, ms []Outgoing) any {
	list := make([]map[string]string, 0, len(ms))
	for _, m := range ms {
		list = append(list, map[string]string{"to": m.To, "message": m.Message, "uuid": m.UUID})
	}
	return map[string]any{"payload": map[string]any{"task": "send", "secret": secret, "messages": list}}
}

// ParseQueuedMessages reads the body of POST ?task=sent: a JSON object
// {"queued_messages": ["uuid", …]} or the same as a form field holding a
// JSON array.
func ParseQueuedMessages(contentType string, body []byte, form url.Values) ([]string, error) {
	var v struct {
		Queued []string `json:"queued_messages"`
	}
	if strings.HasPrefix(contentType, "application/json") {
		if err := json.Unmarshal(body, &v); err != nil {
			return nil, apperr.FieldErr(apperr.KindInvalid, "queued_messages", apperr.JSONReason(err)) // in JSON words: no Go type names
		}
	} else if q := form.Get("queued_messages"); q != "" {
		if err := json.Unmarshal([]byte(q), &v.Queued); err != nil {
			v.Queued = form["queued_messages"]
		}
	}
	if len(v.Queued) > 1000 {
		return nil, apperr.Invalid("queued_messages", "more than 1000 uuids")
	}
	for _, u := range v.Queued {
		if err := CheckText("queued_messages", u, 64, true); err != nil {
			return nil, err
		}
	}
	return v.Queued, nil
}

// TwilioSignature computes X-Twilio-Signature: base64(HMAC-SHA1(auth token,
// URL + each POST parameter's name and value, sorted by name)). Every
// parameter Twilio sent is included, known or not.
func TwilioSignature(authToken, fullURL string, params url.Values) string {
	keys := slices.Sorted(maps.Keys(params))
	var b strings.Builder
	b.WriteString(fullURL)
	for _, k := range keys {
		vs := append([]string(nil), params[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			b.WriteString(k)
			b.WriteString(v)
		}
	}
	m := hmac.New(sha1.New, []byte(authToken))
	m.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// TwilioValid checks a request's signature in constant time.
func TwilioValid(authToken, signature, fullURL string, params url.Values) bool {
	if authToken == "" || signature == "" {
		return false
	}
	want := TwilioSignature(authToken, fullURL, params)
	return subtle.ConstantTimeCompare([]byte(want), []byte(signature)) == 1
}

// ParseTwilio reads an inbound Twilio SMS webhook (MessageSid, From, Body,
// To, and many optional fields we ignore).
func ParseTwilio(form url.Values) (Inbound, error) {
	in := Inbound{GatewayID: form.Get("MessageSid"), From: form.Get("From"), Message: form.Get("Body"), SentTo: form.Get("To")}
	if in.GatewayID == "" {
		in.GatewayID = form.Get("SmsSid")
	}
	if err := CheckText("MessageSid", in.GatewayID, 64, true); err != nil {
		return in, err
	}
	if err := in.validate("Body"); err != nil {
		return in, err
	}
	return in, nil
}

// TwiML is the reply to Twilio: a confirmation SMS to the reporter, or
// nothing when text is empty.
func TwiML(text string) []byte {
	if text == "" {
		return []byte(`<?xml version="1.0" encoding="UTF-8"?><Response></Response>`)
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><Response><Message>`)
	xmlEscape(&b, text)
	b.WriteString(`</Message></Response>`)
	return []byte(b.String())
}

func xmlEscape(b *strings.Builder, s string) {
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
}

// WebhookMessage is the generic webhook body, in the style of RapidPro /
// TextIt "external" channels: form or JSON fields id, from, text, date
// (RFC 3339), optional name, location, lat, lon.
type WebhookMessage struct {
	ID       string   `json:"id"`
	From     string   `json:"from"`
	Text     string   `json:"text"`
	Date     string   `json:"date"`
	Name     string   `json:"name"`
	Location string   `json:"location"`
	Lat      *float64 `json:"lat"`
	Lon      *float64 `json:"lon"`
}

// ParseWebhook reads a webhook call's message: its JSON body when the
// Content-Type is application/json, else its form.
func ParseWebhook(contentType string, body []byte, form url.Values) (Inbound, error) {
	if strings.HasPrefix(contentType, "application/json") {
		return ParseWebhookJSON(body)
	}
	return ParseWebhookForm(form)
}

// WebhookToken is the secret a webhook call presents: its X-Vigil-Secret
// header, else the token of an Authorization: Token … header.
func WebhookToken(h http.Header) string {
	if tok := h.Get("X-Vigil-Secret"); tok != "" {
		return tok
	}
	if a := h.Get("Authorization"); strings.HasPrefix(a, "Token ") {
		return strings.TrimPrefix(a, "Token ")
	}
	return ""
}

// ParseWebhookJSON reads a JSON webhook body, rejecting unknown fields.
func ParseWebhookJSON(body []byte) (Inbound, error) {
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	var m WebhookMessage
	if err := dec.Decode(&m); err != nil {
		return Inbound{}, apperr.FieldErr(apperr.KindInvalid, "body", apperr.JSONReason(err)) // in JSON words: no Go type names
	}
	if dec.More() {
		return Inbound{}, apperr.Invalid("body", "trailing data after the JSON object")
	}
	return m.inbound()
}

// ParseWebhookForm reads a form-encoded webhook body.
func ParseWebhookForm(form url.Values) (Inbound, error) {
	m := WebhookMessage{ID: form.Get("id"), From: form.Get("from"), Text: form.Get("text"), Date: form.Get("date"),
		Name: form.Get("name"), Location: form.Get("location")}
	for _, f := range []struct {
		k string
		p **float64
	}{{"lat", &m.Lat}, {"lon", &m.Lon}} {
		if v := form.Get(f.k); v != "" {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return Inbound{}, apperr.Invalid(f.k, fmt.Sprintf("%q is not a number", v))
			}
			*f.p = &x
		}
	}
	return m.inbound()
}

func (m WebhookMessage) inbound() (Inbound, error) {
	in := Inbound{GatewayID: m.ID, From: m.From, Name: m.Name, Message: m.Text, Location: m.Location, Lat: m.Lat, Lon: m.Lon}
	if m.Date != "" {
		t, err := time.Parse(time.RFC3339, m.Date)
		if err != nil {
			return in, apperr.Fieldf(apperr.KindInvalid, "date", "%q is not an RFC 3339 time", m.Date)
		}
		in.SentAt = t.UTC()
	}
	if err := in.validate("text"); err != nil {
		return in, err
	}
	return in, nil
}
