package web

import (
	"fmt"
	"testing"
)

// TestJSONTimeRefusalKeys: a date-time field given a string that is not
// RFC 3339, or no string, is refused 400 naming the field and the format
// it wants, keyed so the French page says it, never in Go's words
// ("parsing time …", "Time.UnmarshalJSON: …"): POST /api/v1/broadcasts'
// "at".
func TestJSONTimeRefusalKeys(t *testing.T) {
	e, ch := contactsEnv(t)
	ana := e.tokens["ana"]
	body := func(at string) string {
		return fmt.Sprintf(`{"channel_id":%d,"group":"can","messages":{"fr":"Réunion"},"at":%s}`, ch.ID, at)
	}
	const rfc = "il faut le format RFC 3339 (par ex. 2024-03-01T14:05:00Z)"
	c := func(name, at, fr string) keyedCase {
		return keyedCase{name: name, method: "POST", path: "/api/v1/broadcasts", body: body(at), opt: reqOpt{token: ana},
			status: 400, key: "refusal.http.invalid-json", fr: "JSON invalide\u00a0: " + fr}
	}
	checkKeyed(t, e, []keyedCase{
		c("words", `"tomorrow"`, "json\u00a0: champ at\u00a0: «\u202ftomorrow\u202f» n’est pas une date-heure, "+rfc),
		c("date only", `"2026-12-07"`, "json\u00a0: champ at\u00a0: «\u202f2026-12-07\u202f» n’est pas une date-heure, "+rfc),
		c("no zone", `"2026-12-07T10:00:00"`, "json\u00a0: champ at\u00a0: «\u202f2026-12-07T10:00:00\u202f» n’est pas une date-heure, "+rfc),
		c("month 13", `"2026-13-07T10:00:00Z"`, "json\u00a0: champ at\u00a0: «\u202f2026-13-07T10:00:00Z\u202f» n’est pas une date-heure, "+rfc),
		c("number", `5`, "json\u00a0: champ at\u00a0: un nombre ne convient pas, il faut une date-heure RFC 3339 (par ex. 2024-03-01T14:05:00Z)"),
	})
	// A broadcast to a group with no contact is refused (422): the
	// scheduled one below has someone to reach.
	if resp, b := e.do(nil, "POST", "/api/v1/contacts", reqOpt{token: ana, body: `{"phone":"+243810000091","language":"fr","groups":["can"],"consent_how":"verbal"}`}); resp.StatusCode != 201 {
		t.Fatalf("contact: %d %s", resp.StatusCode, b)
	}
	if resp, b := e.do(nil, "POST", "/api/v1/broadcasts", reqOpt{token: ana, body: body(`"2099-12-07T10:00:00Z"`)}); resp.StatusCode != 201 {
		t.Errorf("RFC 3339: %d %s", resp.StatusCode, b)
	}
}
