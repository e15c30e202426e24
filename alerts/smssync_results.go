package alerts

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/internal/apperr"
)

// SMSSync's Message Results API: after a phone sent the messages it took
// (task=send, confirmed by task=sent) it asks which of them the server
// wants results for (GET ?task=result: {"message_uuids": [...]}) and
// reports each one's outcome (POST ?task=result: {"message_result":
// [{"uuid", "sent_result_code", "sent_result_message",
// "delivered_result_code", "delivered_result_message"}, …]}, as a JSON
// body or, as some phones and servers do, a form field message_result
// holding the JSON array). The codes are Android's SmsManager results:
// sent -1 (RESULT_OK; SMSSync's own documentation shows 0) is sent, 1 a
// generic failure, 2 the radio off, 3 no PDU, 4 no service; a delivery
// report is said in words ("SMS delivered", "SMS not delivered"; the
// codes of SMSSync's documentation and of its app disagree, so the words
// decide, and no words mean no delivery report yet).

// MaxMessageResults bounds the results one POST ?task=result reports.
const MaxMessageResults = 1000

// MessageResult is what an SMSSync phone reports of one message it sent.
type MessageResult struct {
	UUID             string
	SentCode         int
	SentMessage      string
	DeliveredCode    int
	DeliveredMessage string
}

// Outcome is the message's status as the outbox keeps it ("sent",
// "delivered", "undelivered" or "failed", as contacts' Status*), and for
// a failed send the phone's code (0 otherwise).
func (r MessageResult) Outcome() (status string, failCode int) {
	if r.SentCode > 0 {
		return "failed", r.SentCode
	}
	switch d := strings.ToLower(r.DeliveredMessage); {
	case strings.Contains(d, "not delivered") || strings.Contains(d, "undelivered") || strings.Contains(d, "non livr") || strings.Contains(d, "non distribu"):
		return "undelivered", 0
	case strings.Contains(d, "delivered") || strings.Contains(d, "livré") || strings.Contains(d, "distribué"):
		return "delivered", 0
	}
	return "sent", 0
}

// SMSSyncResults records what SMSSync phones report of the messages they
// sent (contacts.Service): the uuids of channel c's messages handed to its
// phone with no final outcome yet, and the results reported, answering
// how many named a message of c.
type SMSSyncResults interface {
	AwaitingResults(ctx context.Context, c Channel) ([]string, error)
	RecordResults(ctx context.Context, c Channel, rs []MessageResult) (int, error)
}

// ParseMessageResults reads the body of POST ?task=result. A refusal names
// the field: message_result, or message_result[i].<name> for one entry.
func ParseMessageResults(contentType string, body []byte, form url.Values) ([]MessageResult, error) {
	var raw json.RawMessage
	if strings.HasPrefix(contentType, "application/json") {
		var v struct {
			R json.RawMessage `json:"message_result"`
		}
		if err := json.Unmarshal(body, &v); err != nil {
			return nil, apperr.FieldErr(apperr.KindInvalid, "message_result", apperr.JSONReason(err)) // in JSON words
		}
		raw = v.R
	} else {
		raw = json.RawMessage(form.Get("message_result"))
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' { // a JSON string holding the array
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, apperr.FieldErr(apperr.KindInvalid, "message_result", apperr.JSONReason(err))
		}
		raw = bytes.TrimSpace([]byte(s))
	}
	if len(raw) == 0 || string(raw) == "null" {
		return nil, apperr.Invalid("message_result", "missing")
	}
	var items []struct {
		UUID             *string         `json:"uuid"`
		SentCode         json.RawMessage `json:"sent_result_code"`
		SentMessage      *string         `json:"sent_result_message"`
		DeliveredCode    json.RawMessage `json:"delivered_result_code"`
		DeliveredMessage *string         `json:"delivered_result_message"`
	}
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, apperr.FieldErr(apperr.KindInvalid, "message_result", apperr.JSONReason(err))
	}
	if len(items) > MaxMessageResults {
		return nil, apperr.Invalidf("message_result", "more than %d results", MaxMessageResults)
	}
	out := make([]MessageResult, 0, len(items))
	for i, it := range items {
		field := func(name string) string { return fmt.Sprintf("message_result[%d].%s", i, name) }
		var r MessageResult
		if it.UUID == nil {
			return nil, apperr.Invalid(field("uuid"), "missing")
		}
		r.UUID = *it.UUID
		if err := CheckText(field("uuid"), r.UUID, 64, true); err != nil {
			return nil, err
		}
		var err error
		if r.SentCode, err = resultCode(field("sent_result_code"), it.SentCode, true); err != nil {
			return nil, err
		}
		if r.DeliveredCode, err = resultCode(field("delivered_result_code"), it.DeliveredCode, false); err != nil {
			return nil, err
		}
		for _, m := range []struct {
			name string
			p    *string
			to   *string
		}{{"sent_result_message", it.SentMessage, &r.SentMessage}, {"delivered_result_message", it.DeliveredMessage, &r.DeliveredMessage}} {
			if m.p == nil {
				continue
			}
			if err := CheckText(field(m.name), *m.p, 200, false); err != nil {
				return nil, err
			}
			*m.to = strings.TrimSpace(*m.p)
		}
		out = append(out, r)
	}
	return out, nil
}

// resultCode reads an Android result code: a JSON integer, or a string
// holding one; absent or null is 0, refused when required.
func resultCode(field string, raw json.RawMessage, required bool) (int, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		if required {
			return 0, apperr.Invalid(field, "missing")
		}
		return 0, nil
	}
	s := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, apperr.Invalid(field, "not an integer")
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 32)
	if err != nil {
		return 0, apperr.Invalid(field, "not an integer")
	}
	return int(n), nil
}
