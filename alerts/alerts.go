// Package alerts is Vigil's community alert network.
//
// It covers intake channels (SMSSync, Twilio, generic webhooks, the web form),
// alerts with their reporters' details encrypted at rest, incidents that group
// alerts about the same place and time, the triage workflow with its timers and
// escalation, publication of verified incidents as CAP 1.2, and the retention
// policy that purges reporter data.
//
// The Service holds the logic and the keys; the Store (implemented by
// storage.DB) persists sealed values and writes every change and every
// reveal of a reporter's number to the audit log in the same transaction.
package alerts

import (
	"context"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/textcheck"
)

// Kind of intake channel.
type Kind string

const (
	SMSSync Kind = "smssync"
	Twilio  Kind = "twilio"
	Webhook Kind = "webhook"
	Web     Kind = "web"
)

// ParseKind validates a channel kind.
func ParseKind(s string) (Kind, error) {
	switch k := Kind(s); k {
	case SMSSync, Twilio, Webhook, Web:
		return k, nil
	}
	return "", apperr.Textf("unknown channel kind %q (want smssync, twilio, webhook or web)", s)
}

// Channel is an intake channel. Secret is the SMSSync secret, the Twilio
// auth token or the webhook's shared secret; it is stored encrypted.
type Channel struct {
	ID         int64     `json:"id"`
	Key        string    `json:"key"` // random public id used in the intake URL
	Kind       Kind      `json:"kind"`
	Name       string    `json:"name"`
	LegalBasis string    `json:"legal_basis"` // e.g. "consent", "vital interest", "public interest"
	Created    time.Time `json:"created"`
	Disabled   bool      `json:"disabled"`
	// Tipline channels also hand each new message to Service.Tipline
	// (information integrity: forwarded rumours become content items).
	Tipline bool `json:"tipline"`
	// Lang is the language the service answers its reporters in by SMS
	// ("en", "fr"; "" none: each message's own, see Service.ReplyLang).
	Lang string `json:"lang"`

	Secret       string `json:"-"`
	SecretSealed []byte `json:"-"`
}

// ChannelUse is what names a channel a removal would leave without it:
// the alerts it took, the replies sent through it (answers to alerts'
// senders, an outgoing message each) and the broadcasts it carried (one
// each, however many messages it queued; a scheduled one too).
type ChannelUse struct {
	Name       string
	Alerts     int
	Replies    int
	Broadcasts int
}

// Used reports whether anything names the channel.
func (u ChannelUse) Used() bool { return u.Alerts > 0 || u.Replies > 0 || u.Broadcasts > 0 }

// Legal bases for processing personal data (ICRC Handbook, ch. 3).
var LegalBases = []string{"consent", "vital interest", "public interest", "legitimate interest", "legal obligation", "contract"}

// Status of an incident in the triage workflow.
type Status string

const (
	Received   Status = "received"
	Triaged    Status = "triaged"
	Verified   Status = "verified"
	Unverified Status = "unverified"
	False      Status = "false"
	Dispatched Status = "dispatched" // response dispatched
	Resolved   Status = "resolved"
	Closed     Status = "closed"
)

// transitions lists the allowed next states.
var transitions = map[Status][]Status{
	Received:   {Triaged, False},
	Triaged:    {Verified, Unverified, False},
	Unverified: {Verified, False, Closed},
	Verified:   {Dispatched, Resolved},
	Dispatched: {Resolved},
	Resolved:   {Closed},
	False:      {Closed, Triaged},
	Closed:     {},
}

// Statuses in workflow order.
var Statuses = []Status{Received, Triaged, Verified, Unverified, False, Dispatched, Resolved, Closed}

// ParseStatus validates a status.
func ParseStatus(s string) (Status, error) {
	if _, ok := transitions[Status(s)]; ok {
		return Status(s), nil
	}
	return "", apperr.Textf("unknown status %q", s)
}

// CanMove reports whether from → to is allowed.
func CanMove(from, to Status) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Open reports whether an incident still takes new alerts and counts
// against the timers.
func (s Status) Open() bool {
	return s != Resolved && s != Closed && s != False
}

// Categories of incident, in the order the UI lists them.
var Categories = []string{"attack_on_civilians", "sexual_violence", "abduction", "displacement", "looting_property",
	"threat_rumour", "armed_group_movement", "other"}

// ReporterSexes are the values of an incident's optional reporter sex
// ("not_asked" when the question was not put; empty when not recorded).
var ReporterSexes = []string{"female", "male", "unknown", "not_asked"}

// oneOf checks that v is one of allowed, naming the field otherwise; an
// empty value (not recorded) is allowed.
func oneOf(field, v string, allowed []string) error {
	if v == "" {
		return nil
	}
	for _, a := range allowed {
		if a == v {
			return nil
		}
	}
	return apperr.Fieldf(apperr.KindInvalid, field, "%q is not one of %s", v, strings.Join(allowed, ", "))
}

// Priorities, most urgent first.
var Priorities = []string{"critical", "high", "medium", "low"}

// Alert is one message from a reporter.
type Alert struct {
	ID         int64  `json:"id"`
	ChannelID  int64  `json:"channel_id"`
	IncidentID int64  `json:"incident_id"`
	GatewayID  string `json:"gateway_id,omitempty"` // SMSSync message_id, Twilio MessageSid …
	// Message is the reporter's text: in clear only in memory, and only in
	// views for roles that may read it (View); at rest it is MessageSealed.
	Message       string    `json:"message"`
	MessageSealed []byte    `json:"-"`
	ReceivedAt    time.Time `json:"received_at"`
	SentAt        time.Time `json:"sent_at,omitzero"` // the gateway's timestamp, if any
	SentTo        string    `json:"sent_to,omitempty"`

	// Reporter details: plaintext only in memory, and only after a reveal.
	Phone       string `json:"phone,omitempty"`
	Name        string `json:"name,omitempty"`
	PhoneMasked string `json:"phone_masked,omitempty"`
	NameMasked  string `json:"name_masked,omitempty"`
	PhoneSealed []byte `json:"-"`
	NameSealed  []byte `json:"-"`
	// SenderMAC tells the sender apart without naming them: set by intake
	// (Service.Receive) to the keyed hash of the number the phone network
	// gave (Service.RecipientMAC), from the number in memory; "" for a web
	// channel's typed number, a message without a number, or when no
	// RecipientMAC is set. Not stored with the alert (a tipline's
	// integrity item keeps it: integrity.Item.SenderKey).
	SenderMAC   string `json:"-"`
	Anonymised  bool   `json:"anonymised"`
	HasReporter bool   `json:"has_reporter"`

	Location Location `json:"location"`

	// Intake says how the alert came in when its channel's kind does not:
	// IntakePhone for one taken by telephone or in person and typed in by
	// a responder; "" for one the channel's gateway or public form
	// delivered (Source gives the one word).
	Intake string `json:"intake,omitempty"`

	// TypedBy is the user who typed the alert in (Inbound.TypedBy), whose
	// name its reception is recorded in; not stored with the alert.
	TypedBy string `json:"-"`

	Duplicate bool `json:"duplicate,omitempty"` // set by intake: a gateway retry of a stored alert
	// OptOut is set by intake when the message opted its sender out
	// (InboundHook), so that the answer to the reporter confirms it.
	OptOut *OptOut `json:"-"`
}

// IntakePhone is the Intake of an alert taken by telephone or in person
// (a caller or a visitor told a responder, who typed it in: POST
// /api/v1/alerts, the Alerts page's form).
const IntakePhone = "phone"

// Sources are the ways an alert comes in, as counted apart (Source): each
// channel kind's own route, and alerts taken by telephone or in person.
var Sources = []string{string(SMSSync), string(Twilio), string(Webhook), string(Web), IntakePhone}

// Source is how an alert of a channel of kind k with intake came in: the
// intake when it has one, else the channel's kind.
func Source(k Kind, intake string) string {
	if intake != "" {
		return intake
	}
	return string(k)
}

// Location of an alert or incident.
type Location struct {
	Text       string   `json:"text,omitempty"`   // the text it was read from
	Status     string   `json:"status"`           // resolved, ambiguous, unresolved, manual
	Lat        *float64 `json:"lat,omitempty"`    // nil unless resolved
	Lon        *float64 `json:"lon,omitempty"`    //
	PrecisionM float64  `json:"precision_m"`      // radius of uncertainty
	Note       string   `json:"note,omitempty"`   // why ambiguous / unresolved, candidates
	Place      string   `json:"place,omitempty"`  // gazetteer name
	SetBy      string   `json:"set_by,omitempty"` // role of the user who set it by hand (incidents)

	// Text and Note are reporter's words (the location as written, and the
	// words of the message that matched places): at rest they are only
	// these ciphertexts; Service.View / ViewIncident open them for roles
	// that may see them.
	TextSealed []byte `json:"-"`
	NoteSealed []byte `json:"-"`
}

// Incident groups alerts about one place and time and carries the triage.
type Incident struct {
	ID          int64      `json:"id"`
	Status      Status     `json:"status"`
	Priority    string     `json:"priority"`
	Assignee    string     `json:"assignee"`
	Title       string     `json:"title"`
	Summary     string     `json:"summary"`      // responder-written, safe to publish
	Category    string     `json:"category"`     // one of Categories, or "" (not categorised yet)
	ReporterSex string     `json:"reporter_sex"` // one of ReporterSexes, or "" (not recorded)
	Location    Location   `json:"location"`
	FirstAt     time.Time  `json:"first_at"`
	LastAt      time.Time  `json:"last_at"`
	AlertCount  int        `json:"alert_count"`
	TriagedAt   *time.Time `json:"triaged_at,omitempty"`
	VerifiedAt  *time.Time `json:"verified_at,omitempty"`
	RespondedAt *time.Time `json:"responded_at,omitempty"` // response dispatched
	ResolvedAt  *time.Time `json:"resolved_at,omitempty"`
	ClosedAt    *time.Time `json:"closed_at,omitempty"`
	EscalatedAt *time.Time `json:"escalated_at,omitempty"`
	EventID     int64      `json:"event_id,omitempty"`
	CAPCount    int        `json:"cap_count"`
	UpdatedAt   time.Time  `json:"updated_at"`

	// Computed by the service.
	TimeToTriage   *float64 `json:"time_to_triage_s,omitempty"`
	TimeToResponse *float64 `json:"time_to_response_s,omitempty"`
	Overdue        string   `json:"overdue,omitempty"` // "triage" or "response" when past the SLA
	SLA            *Clock   `json:"sla,omitempty"`     // the running SLA timer, if any

	// Filled by the web API for the queue: the first alert's text (roles
	// that may read messages only) and the place's name from the gazetteer.
	Preview    string `json:"preview,omitempty"`
	PlaceLabel string `json:"place_label,omitempty"`
	// PreviewFull is the first alert's whole text (its spaces squeezed)
	// when Preview is cut of it (the queue row's title).
	PreviewFull string `json:"preview_full,omitempty"`
}

// Clock is an incident's running SLA timer: the target it counts against
// (triage while received; response while triaged or verified and no
// response dispatched), when it falls due, and the seconds left at the time
// of the answer (negative: overdue by that much).
type Clock struct {
	Kind  string    `json:"kind"`
	Due   time.Time `json:"due"`
	LeftS float64   `json:"left_s"`
}

// LogEntry is one line of an incident's timeline.
type LogEntry struct {
	ID         int64     `json:"id"`
	IncidentID int64     `json:"incident_id"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Kind       string    `json:"kind"` // note, status, assign, priority, escalate, merge, event, cap, location, category, reporter_sex, answer, reply
	Text       string    `json:"text"`
	// Delivery is what became of the message a reply line queued (kind
	// "reply"): nil on other lines, and on a reply whose message the
	// outbox no longer has.
	Delivery *Delivery `json:"delivery,omitempty"`
	// OutgoingID is the outbox message the line is about (a reply's:
	// Service.Reply), 0 none; the store reads Delivery from it.
	OutgoingID int64 `json:"-"`
	// OutgoingUUID names the outbox message by its uuid when it is
	// queued in the transaction that writes the line (its id not known
	// yet: a tipline answer's, AnswerLines); the store sets OutgoingID.
	OutgoingUUID string `json:"-"`
}

// A reply's delivery states (Delivery.State), from its outbox message.
const (
	DeliveryQueued    = "queued"    // waiting for its gateway (maybe to be tried again: Code)
	DeliverySent      = "sent"      // handed to the gateway or its phone, no delivery report yet
	DeliveryDelivered = "delivered" // the gateway reported it delivered
	DeliveryFailed    = "failed"    // failed or undelivered for good: Code says why
	// DeliveryWithheld: never sent, for good: its recipient opted out
	// (Code "opted-out", OptedOutAt when), before or after it was queued.
	DeliveryWithheld = "withheld"
)

// WithheldStatus is the outbox status of a message withheld for good
// because its recipient opted out (DeliveryWithheld), WithheldCode its
// reason code.
const (
	WithheldStatus = "withheld"
	WithheldCode   = "opted-out"
)

// Delivery is what became of a reply's outbox message: its state and,
// when it failed (or its last try failed and it will be tried again),
// why. Never the recipient's number nor the gateway's words.
type Delivery struct {
	State string `json:"state"`
	// Code is the failure's stable reason code (package contacts:
	// "twilio:30003", "phone:2"…); Key and Args say it in the page's
	// language (the broadcast failures' i18n keys, contacts.fail.*);
	// Reason in English, or in ?lang= (the web API sets Key, Args and
	// Reason).
	Code   string         `json:"code,omitempty"`
	Key    string         `json:"key,omitempty"`
	Args   map[string]int `json:"args,omitempty"`
	Reason string         `json:"reason,omitempty"`
	// OptedOutAt is when the recipient opted out, for a withheld message.
	OptedOutAt *time.Time `json:"opted_out_at,omitempty"`
	// Error is the English error stored before reason codes (read when
	// Code is ""), Kind the gateway's kind: for reading such a row.
	Error string `json:"-"`
	Kind  string `json:"-"`
}

// Failed says the message failed, or its last try did.
func (d *Delivery) Failed() bool { return d != nil && (d.Code != "" || d.Error != "") }

// DeliveryOf is the delivery of an outbox message from its status
// ("", sent, delivered, failed, undelivered), whether it was handed to
// its gateway (sent_at) and its stored failure.
func DeliveryOf(status string, handed bool, code, errText, kind string) *Delivery {
	d := &Delivery{Code: code, Error: errText, Kind: kind}
	switch status {
	case WithheldStatus:
		d.State = DeliveryWithheld
	case "delivered":
		d.State = DeliveryDelivered
	case "failed", "undelivered":
		d.State = DeliveryFailed
	case "sent":
		d.State = DeliverySent
	default:
		if handed {
			d.State = DeliverySent
		} else {
			d.State = DeliveryQueued
		}
	}
	if d.State == DeliverySent || d.State == DeliveryDelivered {
		d.Code, d.Error = "", ""
	}
	return d
}

// Grouping configures how alerts join incidents.
type Grouping struct {
	RadiusM float64       // alerts within this distance of an open incident join it
	Window  time.Duration // … if the incident's last alert is this recent
}

// DefaultGrouping: 5 km, 6 hours.
var DefaultGrouping = Grouping{RadiusM: 5000, Window: 6 * time.Hour}

// SLA sets the timers' targets.
type SLA struct {
	Triage   time.Duration // first alert → triaged
	Response time.Duration // first alert → response dispatched
}

// DefaultSLA: triage within 15 minutes, response within 2 hours.
var DefaultSLA = SLA{Triage: 15 * time.Minute, Response: 2 * time.Hour}

// Update is a change to an incident by a user. Nil fields are unchanged.
type Update struct {
	Status   *Status  `json:"status,omitempty"`
	Priority *string  `json:"priority,omitempty"`
	Assignee *string  `json:"assignee,omitempty"`
	Title    *string  `json:"title,omitempty"`
	Summary  *string  `json:"summary,omitempty"`
	Note     string   `json:"note,omitempty"`
	Lat      *float64 `json:"lat,omitempty"` // set the location by hand (a human resolving it)
	Lon      *float64 `json:"lon,omitempty"`
	// With Lat/Lon: the place name chosen (from the gazetteer) and the
	// radius of uncertainty in metres (default 100, a point on the map).
	Place       *string  `json:"place,omitempty"`
	PrecisionM  *float64 `json:"precision_m,omitempty"`
	Category    *string  `json:"category,omitempty"`     // one of Categories, or "" to clear
	ReporterSex *string  `json:"reporter_sex,omitempty"` // one of ReporterSexes, or "" to clear

	// RequestID is the client's id of this change (the Alerts page makes
	// one per change and sends it again when the change is sent again, its
	// answer lost): a change whose id the same user already sent for this
	// incident is not made again (no second note, no second timeline line);
	// the incident is answered as it is. The same id with another change is
	// a conflict on request_id. Optional; at most MaxRequestIDBytes. Ids
	// are kept RequestIDKeep (Service.ForgetRequests), far longer than a
	// resend waits.
	RequestID string `json:"request_id,omitempty"`

	// SetBy is the role of the user making the change (filled by the
	// service, not the client): a location set by hand records it.
	SetBy string `json:"-"`
}

// MaxRequestIDBytes bounds Update.RequestID.
const MaxRequestIDBytes = 100

// RequestIDKeep is how long an incident change's Update.RequestID is kept
// (Service.ForgetRequests): one row per change, never needed after the
// page's resends of a lost answer.
const RequestIDKeep = 30 * 24 * time.Hour

// Limits on intake.
const (
	MaxMessageBytes = 4096 // longer than any concatenated SMS
	// MaxReplyChars bounds a reply to a sender (Reply, PrepareReply), in
	// characters: about four SMS.
	MaxReplyChars = 640
	MaxFieldBytes = 256
	MaxBodyBytes  = 64 << 10
)

// CheckText validates a text field: valid UTF-8 without NUL
// (textcheck.Text), at most max bytes, and (if required) not blank. For
// what a gateway sends (numbers, ids, an inbound message) and the reasons
// the pages' dialog counts in bytes (Vigil.ask); a field a person types in
// a page with a maxlength is checked by CheckChars.
func CheckText(field, s string, max int, required bool) error {
	return checkLen(field, s, max, required, false)
}

// CheckChars is CheckText counting characters (Unicode code points: an
// accented letter is one), as a page's maxlength and counter count them:
// a reply to a sender, an incident's title, assignee, summary and note.
func CheckChars(field, s string, max int, required bool) error {
	return checkLen(field, s, max, required, true)
}

func checkLen(field, s string, max int, required, chars bool) error {
	if err := textcheck.Text(s); err != nil {
		return apperr.FieldErr(apperr.KindInvalid, field, err)
	}
	// Characters are counted only when asked (and never when the bytes
	// are within max: no more characters than bytes): CheckText runs on
	// every field of every message intake takes.
	if chars && len(s) > max {
		if n := utf8.RuneCountInString(s); n > max {
			return apperr.Fieldf(apperr.KindInvalid, field, "is %d characters, the limit is %d", n, max)
		}
	} else if !chars && len(s) > max {
		return apperr.Fieldf(apperr.KindInvalid, field, "is %d bytes, the limit is %d", len(s), max)
	}
	if required && isBlank(s) {
		return apperr.FieldErr(apperr.KindInvalid, field, apperr.Text("is empty"))
	}
	return nil
}

// isBlank reports whether s shows nothing: Unicode white space (what the
// pages' trim() drops, U+FEFF included) and invisible format characters
// (zero-width space and joiners, direction marks: Unicode category Cf).
func isBlank(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}

// Roles and what they see.

// CanReveal reports whether a role may reveal a reporter's details.
func CanReveal(r auth.Role) bool { return r.AtLeast(auth.Responder) }

// ViewerGridDeg is the rounding of locations shown to viewers (0.1° ≈ 11 km).
const ViewerGridDeg = 0.1

// ForRole returns a copy of a location as role r may see it: viewers get
// coordinates rounded to ViewerGridDeg and no source text (which may name a
// house or a person).
func (l Location) ForRole(r auth.Role) Location {
	if r.AtLeast(auth.Responder) {
		return l
	}
	out := Location{Status: l.Status, PrecisionM: l.PrecisionM, SetBy: l.SetBy}
	if l.Lat != nil && l.Lon != nil {
		la, lo := RoundForViewer(*l.Lat, *l.Lon)
		out.Lat, out.Lon = &la, &lo
		out.PrecisionM = math.Max(l.PrecisionM, 8000)
	}
	return out
}

// MaskPhone shows only the last two digits and a number's punctuation
// ("+243812345678" → "+••••••••••78", "0812 345 678" → "•••• ••• •78"):
// every other character is masked, letters too, since the field is free
// text where it is typed in (the public web form, an alert taken by
// telephone) and a name or note written in it is read in full only through
// Reveal, audited.
func MaskPhone(p string) string {
	if len([]rune(p)) <= 2 {
		return "••"
	}
	return MaskDigits(p, 2)
}

// MaskDigits shows the last show digits of p and its punctuation
// (" +-()."), every other character masked (MaskPhone shows two).
func MaskDigits(p string, show int) string {
	r := []rune(p)
	out := make([]rune, len(r))
	shown := 0
	for i := len(r) - 1; i >= 0; i-- {
		switch c := r[i]; {
		case c >= '0' && c <= '9' && shown < show:
			out[i] = c
			shown++
		case strings.ContainsRune(" +-().", c):
			out[i] = c
		default:
			out[i] = '•'
		}
	}
	return string(out)
}

// MaskName shows the first letter only.
func MaskName(n string) string {
	r := []rune(n)
	if len(r) == 0 {
		return ""
	}
	return string(r[0]) + "•••"
}

// Store persists alerts. Implemented by storage.DB; every mutating method
// writes its audit entry in the same transaction.
type Store interface {
	HookStore // the escalation webhook set in the browser (hook.go)

	CreateChannel(ctx context.Context, actor string, c *Channel) error
	Channels(ctx context.Context) ([]Channel, error)
	ChannelByKey(ctx context.Context, key string) (Channel, error)
	// PatchChannel applies p (checked) to channel id in one transaction,
	// each setting it names audited; nothing stored when any part fails;
	// apperr.ErrNotFound for no such channel.
	PatchChannel(ctx context.Context, actor string, id int64, p ChannelPatch) error
	// SetChannelSecret replaces channel id's sealed secret, audited
	// without it; apperr.ErrNotFound for no such channel.
	SetChannelSecret(ctx context.Context, actor string, id int64, sealed []byte) error
	// RemoveChannel removes channel id (and its sending settings),
	// audited, unless alerts, replies or broadcasts name it: then it
	// removes nothing and says how many (ChannelUse); apperr.ErrNotFound
	// for no such channel.
	RemoveChannel(ctx context.Context, actor string, id int64) (ChannelUse, error)
	// SentCounts counts the replies and broadcasts each channel sent
	// (ChannelUse's Replies and Broadcasts), as RemoveChannel counts
	// them; channels with none are absent.
	SentCounts(ctx context.Context) (map[int64]ChannelUse, error)
	ResealChannels(ctx context.Context, actor string, fn func(old []byte) ([]byte, error)) (int, error)

	// ReceiveAlerts stores new alerts in one transaction: each is deduplicated
	// on (channel, gateway id) — a duplicate gets the stored alert's ID and
	// Duplicate=true — and joins or opens an incident by g: the store finds
	// the open incidents in g.Search's area and joins the one g.Join chooses
	// (none: a new incident), in the same transaction. Returns only after
	// commit.
	ReceiveAlerts(ctx context.Context, as []*Alert, g Grouping) error
	Alert(ctx context.Context, id int64) (Alert, error)
	Alerts(ctx context.Context, f AlertFilter) ([]Alert, error)
	// FirstAlerts returns the first alert of each of the incidents ids,
	// keyed by incident id (the queue's message preview).
	FirstAlerts(ctx context.Context, ids []int64) (map[int64]Alert, error)
	// RevealReporter audits the reveal and returns the alert with its sealed
	// reporter fields.
	RevealReporter(ctx context.Context, actor string, id int64, reason string) (Alert, error)
	// ResealAlerts re-encrypts every sealed value of alerts, incidents and
	// the outbox with fn (key rotation), in one transaction.
	ResealAlerts(ctx context.Context, actor string, fn func(old []byte, aad string) ([]byte, error)) (int, error)
	// SealClearText seals, with seal, the free text that an older version
	// stored in clear (alert message, location text and note of alerts and
	// incidents) and blanks the clear columns, in one transaction; rows
	// already sealed are left alone, so running it again changes nothing.
	// Returns the number of rows converted.
	SealClearText(ctx context.Context, actor string, seal func(clear, aad string) ([]byte, error)) (int, error)
	// QueueVersion is a counter that every change to an alert or incident
	// increases (committed changes only, from any server on the database).
	QueueVersion(ctx context.Context) (int64, error)
	PurgeReporters(ctx context.Context, actor string, before time.Time) (int, error)
	// ForgetIncidentRequests deletes the incident changes' request ids
	// (Update.RequestID) recorded before t, answering how many.
	ForgetIncidentRequests(ctx context.Context, before time.Time) (int64, error)

	Incident(ctx context.Context, id int64) (Incident, error)
	Incidents(ctx context.Context, f IncidentFilter) ([]Incident, error)
	UpdateIncident(ctx context.Context, actor string, id int64, u Update, now time.Time) (Incident, error)
	// MoveAlert moves an alert to another open incident, or to a new one
	// when to is 0 (a wrong grouping undone); returns the target incident.
	MoveAlert(ctx context.Context, actor string, alertID, to int64, now time.Time) (Incident, error)
	Timeline(ctx context.Context, id int64) ([]LogEntry, error)
	// AddLog writes lines to their incidents' timelines in one
	// transaction (tipline answers are written with their messages by integrity's SaveReplies).
	AddLog(ctx context.Context, lines []LogEntry) error
	// AlertCounts counts the alerts received at or after since (zero: all)
	// by channel and intake, with the last one's time.
	AlertCounts(ctx context.Context, since time.Time) ([]AlertCount, error)
	// MarkEscalated records an automatic escalation once, with n (nil:
	// none) in the notice outbox in the same transaction; false, writing
	// nothing, if already escalated or no longer open.
	MarkEscalated(ctx context.Context, id int64, reason string, now time.Time, n *Notice) (bool, error)
	// EscalateIncident records an escalation by hand of an open incident
	// (escalated_at kept when already set), in actor's name with text in
	// the timeline and the audit log, and, when notice is not nil, the
	// notice it makes of the escalated incident in the outbox, all in one
	// transaction; apperr.ErrNotFound for no such incident, a keyed
	// conflict when it is not open.
	EscalateIncident(ctx context.Context, actor string, id int64, text string, now time.Time, notice func(Incident) *Notice) (Incident, error)

	// The escalation webhook's outbox (outbox.go).
	// QueueNotice writes n to the outbox, due at now.
	QueueNotice(ctx context.Context, n *Notice, now time.Time) error
	// DueNotices answers up to limit notices neither sent nor given up
	// and due at now, the longest due first.
	DueNotices(ctx context.Context, now time.Time, limit int) ([]Notice, error)
	// ClaimNotice counts a try of notice id, which must still have tries
	// tries, be neither sent nor given up and be due at now, and makes it
	// due at until; false when another (a pass, a retry) claimed it first.
	ClaimNotice(ctx context.Context, id int64, tries int, now, until time.Time) (bool, error)
	// NoticeSent records notice id sent at at.
	NoticeSent(ctx context.Context, id int64, at time.Time) error
	// NoticeFailed records a failed post of notice id (why: no URL, no
	// personal data): due again at retry, or given up at at when retry is
	// zero.
	NoticeFailed(ctx context.Context, id int64, why string, at, retry time.Time) error
	// ForgetNotices deletes the notices sent or given up before t,
	// answering how many.
	ForgetNotices(ctx context.Context, before time.Time) (int64, error)
	// UnclaimNotice hands back notice id claimed with tries tries (its
	// post was cut by the server's stop): the try is not counted and it is
	// due at at; nothing when another claimed it since.
	UnclaimNotice(ctx context.Context, id int64, tries int, at time.Time) error
	// UnsentNotices answers up to limit notices not sent: the given up,
	// and the others created at or before before, newest first, with
	// their last error, given-up and due times.
	UnsentNotices(ctx context.Context, before time.Time, limit int) ([]Notice, error)
	// IncidentNotices answers, as UnsentNotices, up to limit unsent
	// notices about incident id (their body's "incident_id"), whatever
	// the other notices waiting.
	IncidentNotices(ctx context.Context, id int64, before time.Time, limit int) ([]Notice, error)
	// RetryNotice claims unsent notice id at now for a post by hand, as
	// ClaimNotice does (its tries counted anew, this post the first; given
	// up no more; not due until until), audited in actor's name, and
	// answers it; apperr.ErrNotFound when no unsent notice has that id,
	// the keyed conflict alerts.refusal.notice-busy (nothing written) while
	// another poster holds its claim (its lease not over at now; a notice
	// only due again soon after a failed post is taken).
	RetryNotice(ctx context.Context, actor string, id int64, now, until time.Time) (Notice, error)
	SetIncidentEvent(ctx context.Context, actor string, id, eventID int64) error

	SaveCAP(ctx context.Context, actor string, p CAPPublication) (CAPPublication, error)
	CAPPublications(ctx context.Context, incidentID int64, limit int) ([]CAPPublication, error)
	CAPPublication(ctx context.Context, identifier string) (CAPPublication, error)

	// QueueOutgoing queues m, audited in actor's name, with line (nil:
	// none) on its incident's timeline in the same transaction.
	QueueOutgoing(ctx context.Context, actor string, m *Outgoing, line *LogEntry) error
	PendingOutgoing(ctx context.Context, channelID int64, limit int) ([]Outgoing, error)
	MarkOutgoingSent(ctx context.Context, channelID int64, uuids []string, now time.Time) ([]string, error)
}

// AlertCount is how many alerts one channel received by one intake ("" or
// IntakePhone), and when the last arrived.
type AlertCount struct {
	ChannelID int64
	Intake    string
	N         int
	Last      time.Time
}

// AlertFilter selects alerts.
type AlertFilter struct {
	IncidentID int64
	SinceID    int64 // alerts with id > SinceID (live queue polling)
	// Ascending lists the oldest first (ascending ids), so a client that
	// polls with SinceID walks every alert page by page; otherwise the
	// newest come first (the queue's view).
	Ascending bool
	Limit     int // 1..MaxAlertPage; 0 means 200
}

// MaxAlertPage is the most alerts one listing returns.
const MaxAlertPage = 1000

// IncidentFilter selects incidents.
type IncidentFilter struct {
	Status   []Status
	OpenOnly bool
	Since    time.Time // first_at >= Since
	Until    time.Time
	Limit    int
	// In keeps the incidents located in a chosen country (nil: all, the
	// unlocated too); Service.Queue applies it.
	In events.CountrySet
}

// CAPPublication is a published CAP document of an incident.
type CAPPublication struct {
	ID         int64     `json:"id"`
	IncidentID int64     `json:"incident_id"`
	Identifier string    `json:"identifier"`
	Sent       time.Time `json:"sent"`
	Headline   string    `json:"headline"`
	XML        []byte    `json:"-"`
}

// Outgoing is a message queued for a gateway (an SMSSync phone takes it
// with task=send; contacts' Drain pushes a Twilio channel's).
type Outgoing struct {
	ID        int64  `json:"id"`
	ChannelID int64  `json:"channel_id"`
	AlertID   int64  `json:"alert_id"`
	UUID      string `json:"uuid"`
	Message   string `json:"message"`
	ToSealed  []byte `json:"-"`
	To        string `json:"-"`
	// ToMAC is the recipient's keyed hash (Service.RecipientMAC): the
	// gateway is never handed a message whose number opted out since.
	ToMAC   string     `json:"-"`
	Created time.Time  `json:"created"`
	SentAt  *time.Time `json:"sent_at,omitempty"`
}
