package contacts

import (
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/internal/textscan"
)

// Why broadcast messages failed. Every failed try of a message is stored
// with a stable reason code (Failure.Code: "timeout:20", "server-error:503",
// "twilio:21211", …: a name, then the numbers that tell it apart: an HTTP
// status, a gateway's error code, seconds), Vigil's English line for
// people reading the database, and the gateway's own words about it with
// every phone number and e-mail address masked (Twilio's messages name the
// recipient's number). Service.Failures groups a broadcast's failures by
// code: the Contacts page says each group in the UI language (the
// dictionary key Failure.Key, i18n/contacts.*.json) with its count.

// Reason names (the part of a code before its first colon).
const (
	FailTimeout     = "timeout"      // timeout:<seconds the push waited>
	FailUnreachable = "unreachable"  // no connection to the gateway
	FailServerError = "server-error" // server-error:<status>: a 5xx answer, or 408
	FailRateLimited = "rate-limited" // 429
	FailRefused     = "refused"      // refused:<status>: a 4xx answer
	FailTwilio      = "twilio"       // twilio:<Twilio error code>, at the push or in a receipt
	FailInDoubt     = "in-doubt"     // see InDoubt
	FailNoKey       = "no-key"       // the recipient cannot be opened
	FailBadURL      = "bad-url"      // the gateway's URL cannot be used
	FailNotPushed   = "not-pushed"   // the gateway takes no pushed message
	FailUndelivered = "undelivered"  // a receipt said so, with no reason
	FailGateway     = "gateway"      // a receipt's reason in the gateway's own words
	FailPhone       = "phone"        // phone:<Android result code>: an SMSSync phone could not send it
)

// PhoneErrors are the Android SmsManager send results an SMSSync phone
// reports (task=result's sent_result_code) that the pages say in words
// (contacts.fail.phone.<code>), in English; another is said as "error
// <code>" with the phone's own words.
var PhoneErrors = map[int]string{
	1: "The phone could not send it: generic failure (Android error 1)",
	2: "The phone could not send it: its radio is off, airplane mode (Android error 2)",
	3: "The phone could not send it: the message could not be encoded (Android error 3)",
	4: "The phone could not send it: no mobile network service (Android error 4)",
}

// TwilioErrors are the Twilio error codes the pages say in words
// (contacts.fail.twilio.<code>), in English; another code is said as
// "Twilio error <code>" with Twilio's own words.
var TwilioErrors = map[int]string{
	21211: "Twilio refused: not a valid phone number (error 21211)",
	21408: "Twilio refused: sending to this country is not enabled on the account (error 21408)",
	21610: "Twilio refused: the recipient replied STOP to this sender (error 21610)",
	21612: "Twilio refused: this number cannot get SMS from this sender (error 21612)",
	21614: "Twilio refused: not a mobile number (error 21614)",
	30003: "Not delivered: the handset is switched off or out of reach (Twilio error 30003)",
	30004: "Not delivered: blocked by the recipient or the carrier (Twilio error 30004)",
	30005: "Not delivered: unknown number, or no longer in service (Twilio error 30005)",
	30006: "Not delivered: a landline, or the carrier cannot be reached (Twilio error 30006)",
	30007: "Not delivered: the carrier filtered it as spam (Twilio error 30007)",
	30008: "Not delivered: unknown error from the carrier (Twilio error 30008)",
}

// Failure is why one try of a message failed.
type Failure struct {
	Code string // stable: grouped on
	Text string // Vigil's English line (stored in the outbox's error)
	Said string // the gateway's own words, numbers masked ("" when none)
}

func (f Failure) Error() string {
	if f.Said != "" {
		return f.Text + ": " + strconv.Quote(f.Said)
	}
	return f.Text
}

// failure makes a Failure of a reason name and its numbers.
func failure(name string, nums ...int) Failure {
	code := name
	for _, n := range nums {
		code += ":" + strconv.Itoa(n)
	}
	return Failure{Code: code, Text: reasonText(code)}
}

// said sets the gateway's words, masked and clipped.
func (f Failure) said(s string) Failure {
	f.Said = textscan.Clip(MaskPersonal(strings.TrimSpace(s)), 200)
	return f
}

// parseCode splits a code into its name and numbers.
func parseCode(code string) (string, []int) {
	parts := strings.Split(code, ":")
	var nums []int
	for _, p := range parts[1:] {
		n, err := strconv.Atoi(p)
		if err != nil {
			return code, nil
		}
		nums = append(nums, n)
	}
	return parts[0], nums
}

// reasonKey is the dictionary key and arguments a code is said with.
func reasonKey(code string) (string, map[string]int) {
	name, nums := parseCode(code)
	arg := func(k string) map[string]int {
		if len(nums) == 0 {
			return nil
		}
		return map[string]int{k: nums[0]}
	}
	switch name {
	case FailTimeout:
		if len(nums) == 0 {
			return "contacts.fail.timeout-any", nil
		}
		return "contacts.fail.timeout", arg("s")
	case FailServerError, FailRefused:
		if len(nums) == 0 {
			return "contacts.fail." + name + "-any", nil
		}
		return "contacts.fail." + name, arg("status")
	case FailTwilio:
		if len(nums) == 1 {
			if _, ok := TwilioErrors[nums[0]]; ok {
				return fmt.Sprintf("contacts.fail.twilio.%d", nums[0]), arg("code")
			}
			return "contacts.fail.twilio", arg("code")
		}
	case FailPhone:
		if len(nums) == 1 {
			if _, ok := PhoneErrors[nums[0]]; ok {
				return fmt.Sprintf("contacts.fail.phone.%d", nums[0]), arg("code")
			}
			return "contacts.fail.phone", arg("code")
		}
		return "contacts.fail.phone-any", nil
	case FailUnreachable, FailRateLimited, FailInDoubt, FailNoKey, FailBadURL, FailNotPushed, FailUndelivered, FailGateway:
		return "contacts.fail." + name, nil
	}
	return "contacts.fail.gateway", nil
}

// reasonText is a code in English (what its key says in English:
// TestFailureKeys).
func reasonText(code string) string {
	_, nums := parseCode(code)
	n := 0
	if len(nums) > 0 {
		n = nums[0]
	}
	key, _ := reasonKey(code)
	if t, ok := TwilioErrors[n]; ok && key == fmt.Sprintf("contacts.fail.twilio.%d", n) {
		return t
	}
	if t, ok := PhoneErrors[n]; ok && key == fmt.Sprintf("contacts.fail.phone.%d", n) {
		return t
	}
	switch key {
	case "contacts.fail.timeout":
		return fmt.Sprintf("Gateway did not answer in %d s", n)
	case "contacts.fail.timeout-any":
		return "Gateway did not answer in time"
	case "contacts.fail.unreachable":
		return "Gateway could not be reached (no connection)"
	case "contacts.fail.server-error":
		return fmt.Sprintf("Gateway fault (HTTP %d)", n)
	case "contacts.fail.server-error-any":
		return "Gateway fault"
	case "contacts.fail.rate-limited":
		return "Gateway asked to slow down (HTTP 429: too many messages)"
	case "contacts.fail.refused":
		return fmt.Sprintf("Gateway refused the message (HTTP %d)", n)
	case "contacts.fail.refused-any":
		return "Gateway refused the message"
	case "contacts.fail.twilio":
		return fmt.Sprintf("Twilio refused or could not deliver it (error %d)", n)
	case "contacts.fail.in-doubt":
		return "In doubt: the server stopped during the send, so it was not sent again (Twilio takes no idempotency key)"
	case "contacts.fail.no-key":
		return "The recipient's number cannot be opened with the current keys"
	case "contacts.fail.bad-url":
		return "The gateway's URL cannot be used"
	case "contacts.fail.not-pushed":
		return "This gateway does not take pushed messages"
	case "contacts.fail.undelivered":
		return "Gateway reported it undelivered, without a reason"
	case "contacts.fail.phone":
		return fmt.Sprintf("The phone could not send it (Android error %d)", n)
	case "contacts.fail.phone-any":
		return "The phone could not send it"
	}
	return "Gateway's own reason"
}

// pushFailure is a failed push's Failure from the HTTP client's error.
func pushFailure(err error, timeout int) Failure {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		if timeout > 0 {
			return failure(FailTimeout, timeout)
		}
		return failure(FailTimeout)
	}
	return failure(FailUnreachable)
}

// statusFailure is the Failure of a gateway's non-2xx answer: kind is the
// gateway's kind ("twilio" or another), code its error code (0: none),
// message its words.
func statusFailure(twilio bool, status, code int, message string) Failure {
	var f Failure
	switch {
	case status == 429:
		f = failure(FailRateLimited)
	case status >= 500 || status == 408:
		f = failure(FailServerError, status)
	case twilio && code > 0:
		f = failure(FailTwilio, code)
	default:
		f = failure(FailRefused, status)
	}
	return f.said(message)
}

// phoneLike is 6 or more digits, maybe after a + or a (, with spaces,
// dots, dashes, slashes or brackets between them; emailLike an e-mail
// address.
var (
	phoneLike = regexp.MustCompile(`\+?\(?\d(?:[\s().\-/]*\d){5,}`)
	emailLike = regexp.MustCompile(`[\w.+\-]+@[\w\-]+(\.[\w\-]+)+`)
)

// Masked stands for a number or address MaskPersonal removed.
const Masked = "[number]"

// MaskPersonal replaces in a gateway's words every run of 6 or more digits
// (a phone number however written: +243 810 000 003, (0)81-000-0003,
// whatsapp:+243…) with [number] and every e-mail address with [address].
// Shorter runs (an error code such as 21211, an HTTP status) are kept.
func MaskPersonal(s string) string {
	return phoneLike.ReplaceAllLiteralString(emailLike.ReplaceAllLiteralString(s, "[address]"), Masked)
}

// FailureGroup is how many messages of one broadcast failed for one
// reason, as the store counts them: by code (or, for rows stored before
// codes, by their English error), the gateway's words and whether they
// will be tried again.
type FailureGroup struct {
	Code  string
	Error string // the stored English line (read when Code is "")
	Said  string
	Kind  string // the channel's kind (twilio, webhook, smssync)
	Retry bool
	Count int
}

// FailureStore is what Failures needs from the store (see storage).
type FailureStore interface {
	// BroadcastFailures counts broadcast id's failed messages (failed or
	// undelivered) and those waiting to be tried again after a failed
	// try, by group; ErrNotFound when there is no such broadcast.
	BroadcastFailures(ctx context.Context, id int64) ([]FailureGroup, error)
}

// Reason is one reason a broadcast's messages failed, and how many.
type Reason struct {
	// Code is stable ("twilio:21211"); Key and Args say it in the
	// page's language (i18n/contacts.*.json); Reason in English (the
	// API sets it in ?lang= from the same dictionary).
	Code   string         `json:"code"`
	Key    string         `json:"key"`
	Args   map[string]int `json:"args,omitempty"`
	Reason string         `json:"reason"`
	// GatewaySaid is the gateway's own words (the most frequent among
	// these messages), every number and address masked.
	GatewaySaid string `json:"gateway_said,omitempty"`
	Count       int    `json:"count"`
	// Retry: these messages will be tried again (else they failed for good).
	Retry bool `json:"retry"`
}

// Failures is why a broadcast's messages failed, most frequent first.
type Failures struct {
	BroadcastID int64    `json:"broadcast_id"`
	Failed      int      `json:"failed"`   // failed for good
	Retrying    int      `json:"retrying"` // to be tried again
	Reasons     []Reason `json:"reasons"`
}

// Failures groups broadcast id's failed messages by reason (GET
// /api/v1/broadcasts/{id}/failures).
func (s *Service) Failures(ctx context.Context, id int64) (Failures, error) {
	out := Failures{BroadcastID: id, Reasons: []Reason{}}
	st, ok := s.Store.(FailureStore)
	if !ok {
		return out, errors.New("contacts: this store cannot count failures")
	}
	gs, err := st.BroadcastFailures(ctx, id)
	if err != nil {
		return out, err
	}
	type key struct {
		code  string
		retry bool
	}
	at := map[key]int{}
	said := map[key]map[string]int{}
	for _, g := range gs {
		f := Failure{Code: g.Code, Said: textscan.Clip(MaskPersonal(g.Said), 200)}
		if f.Code == "" {
			f = legacyFailure(g.Error, g.Kind)
		}
		k := key{f.Code, g.Retry}
		i, seen := at[k]
		if !seen {
			i = len(out.Reasons)
			at[k] = i
			rk, args := reasonKey(f.Code)
			out.Reasons = append(out.Reasons, Reason{Code: f.Code, Key: rk, Args: args, Reason: reasonText(f.Code), Retry: g.Retry})
			said[k] = map[string]int{}
		}
		out.Reasons[i].Count += g.Count
		if f.Said != "" {
			said[k][f.Said] += g.Count
		}
		if g.Retry {
			out.Retrying += g.Count
		} else {
			out.Failed += g.Count
		}
	}
	for k, i := range at {
		best, n := "", 0
		for w, c := range said[k] {
			if c > n || c == n && w < best {
				best, n = w, c
			}
		}
		out.Reasons[i].GatewaySaid = best
	}
	sort.SliceStable(out.Reasons, func(i, j int) bool {
		a, b := out.Reasons[i], out.Reasons[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Retry != b.Retry {
			return !a.Retry
		}
		return a.Code < b.Code
	})
	return out, nil
}

// legacy reads the English errors stored before reason codes.
var (
	legacyRefused  = regexp.MustCompile(`^gateway refused the message \((\d+)(?:, error (\d+))?\)`)
	legacyAnswered = regexp.MustCompile(`^gateway answered (\d+)`)
	legacyTwilio   = regexp.MustCompile(`^Twilio error (\d+)$`)
)

// legacyFailure is the Failure of an error stored before reason codes,
// on a channel of kind.
func legacyFailure(text, kind string) Failure {
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	switch m := legacyRefused.FindStringSubmatch(text); {
	case m != nil:
		return statusFailure(kind == "twilio", atoi(m[1]), atoi(m[2]), "")
	case legacyAnswered.MatchString(text):
		return statusFailure(false, atoi(legacyAnswered.FindStringSubmatch(text)[1]), 0, "")
	case legacyTwilio.MatchString(text):
		return failure(FailTwilio, atoi(legacyTwilio.FindStringSubmatch(text)[1]))
	case strings.HasPrefix(text, "gateway unreachable or too slow"):
		if strings.Contains(text, "Timeout") || strings.Contains(text, "deadline") || strings.Contains(text, "timeout") {
			return failure(FailTimeout)
		}
		return failure(FailUnreachable)
	case text == InDoubt:
		return failure(FailInDoubt)
	case strings.HasPrefix(text, "recipient cannot be opened"):
		return failure(FailNoKey)
	case strings.HasPrefix(text, "bad ") && strings.HasSuffix(text, " URL"):
		return failure(FailBadURL)
	case text == "this gateway does not take pushed messages":
		return failure(FailNotPushed)
	case text == "":
		return failure(FailUndelivered)
	}
	return failure(FailGateway).said(text)
}

// receiptFailure is the Failure a delivery receipt reports: Twilio's
// ErrorCode, or a webhook's words.
func receiptFailure(r Receipt) Failure {
	if r.Status != StatusFailed && r.Status != StatusUndelivered {
		return Failure{}
	}
	if r.TwilioCode > 0 {
		return failure(FailTwilio, r.TwilioCode)
	}
	if strings.TrimSpace(r.Error) != "" {
		return failure(FailGateway).said(r.Error)
	}
	return failure(FailUndelivered)
}

// Explain says why one message failed, as Failures says a group (Code,
// Key, Args, Reason; no count, no gateway words): from its stored reason
// code, or for a failure stored before codes its English error on a
// channel of kind. A reply's delivery on the incident page says it.
func Explain(code, errText, kind string) Reason {
	if code == "" {
		code = legacyFailure(errText, kind).Code
	}
	key, args := reasonKey(code)
	return Reason{Code: code, Key: key, Args: args, Reason: reasonText(code)}
}
