package alerts

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/textcheck"
)

// AAD strings bind ciphertext to its column.
const (
	aadPhone  = "alerts.reporter_phone"
	aadName   = "alerts.reporter_name"
	aadSecret = AADChannelSecret
	aadOutTo  = AADOutgoingTo
)

// AADOutgoingTo is the aad of an outgoing message's sealed recipient
// (anything queuing into the outbox, e.g. contacts' broadcasts, uses it).
const AADOutgoingTo = "alert_outbox.to"

// InboundHook sees every inbound message that has a sender's number from
// the phone network (a channel of an SMS gateway: not the web form, not an
// alert typed in), before it is stored (the contacts capability honours
// opt-out replies with it).
// It answers the opt-out the message made (nil: none). An error is logged
// without personal data and does not stop the intake.
type InboundHook interface {
	InboundSMS(ctx context.Context, from, message string) (*OptOut, error)
}

// OptOut is an opt-out reply the inbound hook honoured: Lang is the
// language of its word ("en", "fr"; "" for a word of several languages,
// such as STOP).
type OptOut struct {
	Lang string
	// Contact says the number is a contact's (else the hook kept the
	// number's opt-out: a tipline sender's, say). Either way the message
	// was the opt-out word alone, so it is honoured and not filed as an
	// alert (Receive); a message with more than the word is no opt-out.
	Contact bool
}

// AADChannelSecret is the aad of a channel's sealed secret.
const AADChannelSecret = "alert_channels.secret"

// AAD strings of the reporter's free text. The location text and note use
// the same aad for alerts and incidents: an incident's location is its
// first alert's, copied as ciphertext.
const (
	AADMessage      = "alerts.message"
	AADLocationText = "alerts.location_text"
	AADLocationNote = "alerts.location_note"
)

// Service is the alert network's logic.
type Service struct {
	Store    Store
	Keys     *crypt.Keyring
	Grouping Grouping
	SLA      SLA
	// EscalationURL receives a JSON POST for each overdue incident (no
	// personal data: incident id, status, how late). Empty: on screen only.
	EscalationURL string
	// EscalationAllowLinkLocal lets EscalationURL reach link-local and
	// cloud metadata addresses, refused otherwise (notify.go).
	EscalationAllowLinkLocal bool
	// Sender is the CAP <sender> of published alerts.
	Sender string
	// BaseURL is the public URL of this server (for CAP links, intake URLs).
	BaseURL string
	Log     *slog.Logger
	Now     func() time.Time
	HTTP    *http.Client

	gaz atomic.Pointer[geotext.Gazetteer]

	chMu    sync.Mutex
	chCache map[string]openedSecret // channels' opened secrets by key (Channel)
	chGen   uint64                  // ForgetChannels' count: a lookup begun before one caches nothing
	smsAt   time.Time               // when sms was read (AnswersBySMS); zero: not cached
	sms     bool

	batchOnce sync.Once
	queue     chan *pending

	hub hub // live queue notices (live.go)

	notices noticeRunner // the outbox's background pass (outbox.go)
	// Tipline, when set, receives each new (not duplicate) message of a
	// tipline channel after it is stored; its error is logged, the
	// alert stays.
	Tipline func(ctx context.Context, c Channel, a *Alert) error
	// MaxBatch bounds a group commit; 0 means 256.
	MaxBatch int

	// Throttle is the public web form's budget (throttle.go); nil: none.
	Throttle *Throttle
	// MaxStreams bounds the open live-queue streams (OpenStream); 0 means
	// DefaultMaxStreams.
	MaxStreams int
	streams    atomic.Int64

	// Lang is the mission's language ("en" or "fr"): the answers to
	// reporters are in it when their message's language is neither
	// (ReplyLang); "" is English.
	Lang string

	// Inbound, when set, is told of each inbound message with a sender's
	// number (opt-out replies to broadcasts).
	Inbound InboundHook
	// RecipientMAC, when set, gives the keyed hash of a reply's recipient
	// number (the contacts' phone MAC), stored with the queued message so
	// that an opt-out after queuing withholds it.
	RecipientMAC func(phone string) string
	// PushSenders, when set, lists the channels whose gateway sends a
	// queued message itself (contacts.Service.TwilioSenders: Twilio
	// channels with their sending settings, not paused): a reply to an
	// alert of such a channel goes out through it (replyGateway).
	PushSenders func(ctx context.Context) (map[int64]bool, error)
	// PollLimit, when set, bounds the queued messages an SMSSync phone
	// polling channelID takes (the gateway's rate; contacts.Service.PollLimit);
	// unset: 50.
	PollLimit func(ctx context.Context, channelID int64) int
	// Results, when set, records what SMSSync phones report of the
	// messages they sent (task=result: contacts.Service); unset, their
	// reports are acknowledged and dropped.
	Results SMSSyncResults
}

// NewService returns a service with the defaults.
func NewService(st Store, keys *crypt.Keyring) *Service {
	return &Service{Store: st, Keys: keys, Grouping: DefaultGrouping, SLA: DefaultSLA,
		Sender: "vigil@localhost", Now: time.Now, Log: slog.Default(), Throttle: NewThrottle()}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// SetGazetteer sets the place-name gazetteer used to locate new alerts.
func (s *Service) SetGazetteer(g *geotext.Gazetteer) { s.gaz.Store(g) }

// Gazetteer returns the current gazetteer (nil if none).
func (s *Service) Gazetteer() *geotext.Gazetteer { return s.gaz.Load() }

// ChannelOption sets an optional property of a new channel.
type ChannelOption func(*Channel)

// AsTipline makes a new channel a tipline (see Service.Tipline).
func AsTipline(c *Channel) { c.Tipline = true }

// InLang makes a new channel answer its reporters in lang ("en", "fr";
// "" none; see Channel.Lang).
func InLang(lang string) ChannelOption { return func(c *Channel) { c.Lang = lang } }

// checkChannelLang refuses a channel language other than ReplyLangs or "".
func checkChannelLang(lang string) error {
	if lang == "" || slices.Contains(ReplyLangs, lang) {
		return nil
	}
	return apperr.Fieldf(apperr.KindInvalid, "lang", "%q is not a language of the answers to reporters (want en, fr, or \"\" for none)", lang)
}

// NewChannel creates a channel with a random key, sealing its secret.
func (s *Service) NewChannel(ctx context.Context, actor string, kind Kind, name, secret, legalBasis string, opts ...ChannelOption) (Channel, error) {
	if _, err := ParseKind(string(kind)); err != nil {
		return Channel{}, apperr.FieldErr(apperr.KindInvalid, "kind", err)
	}
	if err := CheckChars("name", name, 100, true); err != nil {
		return Channel{}, err
	}
	if err := textcheck.Name(name); err != nil {
		return Channel{}, apperr.FieldErr(apperr.KindInvalid, "name", err)
	}
	// Trimmed as a new secret for an existing channel is (RotateSecret):
	// spaces around a pasted token are no part of it, and spaces alone
	// are no secret.
	secret = strings.TrimSpace(secret)
	if n := utf8.RuneCountInString(secret); secret != "" && (n < 8 || n > maxSecretChars) {
		// As a new secret for an existing channel (RotateSecret), in
		// characters.
		return Channel{}, apperr.Say(apperr.KindInvalid, "secret", "alerts.refusal.new-secret-length")
	}
	if err := CheckText("secret", secret, utf8.UTFMax*maxSecretChars, false); err != nil {
		return Channel{}, err
	}
	switch {
	case kind == Twilio && secret == "":
		// Named as the Administration page labels the field.
		return Channel{}, apperr.Say(apperr.KindInvalid, "secret", "alerts.refusal.token-missing")
	case (kind == SMSSync || kind == Webhook) && secret == "":
		return Channel{}, apperr.Say(apperr.KindInvalid, "secret", "alerts.refusal.secret-missing")
	}
	if legalBasis == "" {
		legalBasis = "vital interest"
	}
	ok := false
	for _, b := range LegalBases {
		ok = ok || b == legalBasis
	}
	if !ok {
		return Channel{}, apperr.Fieldf(apperr.KindInvalid, "legal_basis", "%q is not one of %s", legalBasis, strings.Join(LegalBases, ", "))
	}
	c := Channel{Key: randomKey(), Kind: kind, Name: name, LegalBasis: legalBasis, Created: s.now()}
	for _, o := range opts {
		o(&c)
	}
	if err := checkChannelLang(c.Lang); err != nil {
		return Channel{}, err
	}
	if secret != "" {
		sealed, err := s.Keys.Seal([]byte(secret), []byte(aadSecret))
		if err != nil {
			return Channel{}, err
		}
		c.SecretSealed = sealed
	}
	if err := s.Store.CreateChannel(ctx, actor, &c); err != nil {
		return Channel{}, err
	}
	s.ForgetChannels() // a new gateway answers tipline senders at once (AnswersBySMS)
	c.Secret = secret
	return c, nil
}

func randomKey() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// IntakePath is the path a gateway posts to.
func IntakePath(c Channel) string { return "/intake/" + string(c.Kind) + "/" + c.Key }

// openedSecret is a channel's secret as opened from its sealed bytes.
type openedSecret struct {
	sealed []byte
	secret string
}

// channelTTL bounds how long AnswersBySMS's answer is cached in memory.
const channelTTL = 10 * time.Second

// Channel loads a channel by its key with its secret opened. The store
// keeps the channels it read by key (storage.DB.ChannelByKey,
// storage/channelcache.go) and never serves one that may have changed on
// any server or process on the database: on SQLite each lookup reads a
// one-row change counter that triggers bump at every channel change
// (migration 0071); on PostgreSQL the same triggers send a NOTIFY in the
// changing transaction and each server's listening connection empties its
// cache, and while that connection is down every lookup reads the row, as
// before. A channel disabled, removed or given a new secret is therefore
// seen by the next message on every server (on PostgreSQL, once the
// notice has arrived: TestChannelChangeOnAnotherServer,
// TestChannelListenerLost). Session 25 read the row at every message
// (« Session 25: channel freshness »: 0.1 ms on SQLite, 0.3 ms on
// PostgreSQL); the cost now is in docs/benchmarks.md, « Session 29:
// channels cached, kept fresh by NOTIFY ». Only the opened secret is kept
// here, by its sealed bytes: a new secret, or one resealed under a new
// key, is opened again.
func (s *Service) Channel(ctx context.Context, key string) (Channel, error) {
	c, err := s.Store.ChannelByKey(ctx, key)
	if err != nil || len(c.SecretSealed) == 0 {
		return c, err
	}
	s.chMu.Lock()
	o, ok := s.chCache[key]
	s.chMu.Unlock()
	if ok && bytes.Equal(o.sealed, c.SecretSealed) {
		c.Secret = o.secret
		return c, nil
	}
	b, err := s.Keys.Open(c.SecretSealed, []byte(aadSecret))
	if err != nil {
		return c, fmt.Errorf("channel %d secret: %w", c.ID, err)
	}
	c.Secret = string(b)
	s.chMu.Lock()
	if s.chCache == nil || len(s.chCache) > 1000 {
		s.chCache = map[string]openedSecret{}
	}
	s.chCache[key] = openedSecret{c.SecretSealed, c.Secret}
	s.chMu.Unlock()
	return c, nil
}

// Inbound is a message as a gateway delivered it.
type Inbound struct {
	GatewayID string
	From      string // reporter's phone (or contact)
	Name      string // reporter's name, if given
	Message   string
	SentTo    string
	SentAt    time.Time
	Location  string // explicit location text (web form); else read from Message
	Lat, Lon  *float64
	// Intake is the alert's Intake: IntakePhone for one a responder typed
	// in (Submit); "" as a gateway or the public web form delivered it.
	Intake string
	// TypedBy is the user who typed it in (Submit): the alert is received
	// in their name (audit, timeline); "" for a gateway or the web form.
	TypedBy string
}

// Validate checks an inbound message, naming the field.
func (in *Inbound) Validate() error { return in.validate("message") }

// validate is Validate naming the message's field message (a gateway's own
// name for it: Twilio's Body, the webhook's text), so that the keyed
// refusal names it too.
func (in *Inbound) validate(message string) error {
	checks := []struct {
		f, v     string
		max      int
		required bool
	}{
		{message, in.Message, MaxMessageBytes, true},
		{"from", in.From, MaxFieldBytes, false},
		{"name", in.Name, MaxFieldBytes, false},
		{"message_id", in.GatewayID, MaxFieldBytes, false},
		{"sent_to", in.SentTo, MaxFieldBytes, false},
		{"location", in.Location, 1000, false},
	}
	for _, c := range checks {
		if err := CheckText(c.f, c.v, c.max, c.required); err != nil {
			return err
		}
	}
	if (in.Lat == nil) != (in.Lon == nil) {
		return apperr.FieldErr(apperr.KindInvalid, "lat", apperr.Text("lat and lon go together"))
	}
	if in.Lat != nil && (*in.Lat < -90 || *in.Lat > 90 || *in.Lat != *in.Lat) {
		return apperr.FieldErr(apperr.KindInvalid, "lat", apperr.Text("out of range [-90, 90]"))
	}
	if in.Lon != nil && (*in.Lon < -180 || *in.Lon > 180 || *in.Lon != *in.Lon) {
		return apperr.FieldErr(apperr.KindInvalid, "lon", apperr.Text("out of range [-180, 180]"))
	}
	return nil
}

type pending struct {
	a    *Alert
	done chan error
}

// Receive validates, locates, seals and durably stores one inbound message
// on channel c. It returns after the alert is committed (group commit:
// concurrent calls share one transaction). A gateway retry of a stored
// message returns the stored alert with Duplicate set. An opt-out reply
// (the word alone, from a contact's number or any other the phone network
// gave) is not stored: the alert returned has ID 0 and OptOut set.
func (s *Service) Receive(ctx context.Context, c Channel, in Inbound) (*Alert, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var optOut *OptOut
	// Only a number the phone network gave (an SMS gateway's channel): on a
	// web channel the number is typed in, by whoever has the public form's
	// link or by a responder taking a call, and an opt-out word with
	// someone else's number must not stop that person's messages.
	if s.Inbound != nil && in.From != "" && c.Kind != Web {
		o, err := s.Inbound.InboundSMS(ctx, in.From, in.Message)
		if err != nil && s.Log != nil {
			s.Log.Error("inbound hook failed", "channel", c.ID, "err", err)
		}
		optOut = o
	}
	if optOut != nil {
		// A bare opt-out word (STOP, ARRET…), a contact's or a tipline
		// sender's, is honoured (the hook kept it, audited) and answered,
		// not filed in the triage queue nor as a tipline item: it says
		// nothing of danger. Anything more than the word is not an
		// opt-out.
		return &Alert{ChannelID: c.ID, Message: strings.TrimSpace(in.Message), ReceivedAt: s.now(), OptOut: optOut}, nil
	}
	a := &Alert{ChannelID: c.ID, GatewayID: in.GatewayID, Message: strings.TrimSpace(in.Message),
		ReceivedAt: s.now(), SentAt: in.SentAt, SentTo: in.SentTo, OptOut: optOut, Intake: in.Intake, TypedBy: in.TypedBy}
	var err error
	if in.From != "" {
		if a.PhoneSealed, err = s.Keys.Seal([]byte(in.From), []byte(aadPhone)); err != nil {
			return nil, err
		}
		// Like opt-outs, only a number the phone network gave tells a
		// sender apart: a web form's is typed by whoever has its link.
		if c.Kind != Web && s.RecipientMAC != nil {
			a.SenderMAC = s.RecipientMAC(in.From)
		}
	}
	if in.Name != "" {
		if a.NameSealed, err = s.Keys.Seal([]byte(in.Name), []byte(aadName)); err != nil {
			return nil, err
		}
	}
	a.Location = s.Locate(in)
	// The words of a message can name people and places: they are sealed
	// like the reporter's number before they reach the store. The clear
	// copies stay in this in-memory Alert only (the caller's answer).
	if a.MessageSealed, err = s.Keys.SealString(a.Message, AADMessage); err != nil {
		return nil, err
	}
	if a.Location.TextSealed, err = s.Keys.SealString(a.Location.Text, AADLocationText); err != nil {
		return nil, err
	}
	if a.Location.NoteSealed, err = s.Keys.SealString(a.Location.Note, AADLocationNote); err != nil {
		return nil, err
	}
	s.batchOnce.Do(s.startBatcher)
	p := &pending{a: a, done: make(chan error, 1)}
	select {
	case s.queue <- p:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	// Wait for the commit even if the client goes away: the outcome must
	// be known before we answer anything.
	if err := <-p.done; err != nil {
		return nil, err
	}
	if c.Tipline && !a.Duplicate && s.Tipline != nil {
		if err := s.Tipline(ctx, c, a); err != nil && s.Log != nil {
			s.Log.Error("tipline: the message is stored as an alert but not as a content item", "channel", c.ID, "alert", a.ID, "err", err)
		}
	}
	return a, nil
}

func normalizePhone(p string) string {
	var b strings.Builder
	for _, r := range p {
		if r >= '0' && r <= '9' || r == '+' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Locate reads the location of an inbound message: explicit coordinates,
// else the location text, else the message itself.
func (s *Service) Locate(in Inbound) Location {
	if in.Lat != nil && in.Lon != nil {
		la, lo := *in.Lat, *in.Lon
		return Location{Status: "resolved", Lat: &la, Lon: &lo, PrecisionM: 100, Text: in.Location, Note: "coordinates given by the sender"}
	}
	text := in.Location
	if strings.TrimSpace(text) == "" {
		text = in.Message
	}
	r := geotext.Resolve(text, s.gaz.Load())
	l := Location{Status: string(r.Status), Text: in.Location, Note: r.Reason}
	if r.Location != nil {
		la, lo := r.Location.Lat, r.Location.Lon
		l.Lat, l.Lon, l.PrecisionM, l.Place = &la, &lo, r.Location.PrecisionM, r.Location.Place
		if l.Text == "" {
			l.Text = r.Location.Text
		}
	}
	if len(r.Candidates) > 0 {
		var cs []string
		for _, c := range r.Candidates {
			name := c.Place
			if name == "" {
				name = c.Text
			}
			cs = append(cs, fmt.Sprintf("%s (%.4f, %.4f)", name, c.Lat, c.Lon))
		}
		l.Note += ": " + strings.Join(cs, "; ")
	}
	if len(l.Note) > 1000 {
		l.Note = l.Note[:1000]
	}
	return l
}

func (s *Service) startBatcher() {
	s.queue = make(chan *pending, 4096)
	go s.batcher()
}

// batcher is the group commit: it takes whatever is queued (up to
// MaxBatch), stores it in one transaction and acknowledges each caller after
// the commit. If the batch fails it retries each alert alone, so one bad
// alert cannot fail the others.
func (s *Service) batcher() {
	max := s.MaxBatch
	if max <= 0 {
		max = 256
	}
	for p := range s.queue {
		batch := []*pending{p}
	fill:
		for len(batch) < max {
			select {
			case q := <-s.queue:
				batch = append(batch, q)
			default:
				break fill
			}
		}
		as := make([]*Alert, len(batch))
		for i, b := range batch {
			as[i] = b.a
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := s.Store.ReceiveAlerts(ctx, as, s.Grouping)
		if err != nil && len(batch) > 1 {
			var ok []*Alert
			for _, b := range batch {
				b.a.ID, b.a.IncidentID, b.a.Duplicate = 0, 0, false
				err := s.Store.ReceiveAlerts(ctx, []*Alert{b.a}, s.Grouping)
				if err == nil {
					ok = append(ok, b.a)
				}
				b.done <- err
			}
			s.publishAlerts(ok)
		} else {
			if err == nil {
				s.publishAlerts(as)
			}
			for _, b := range batch {
				b.done <- err
			}
		}
		cancel()
	}
}

// View returns an alert as role r may see it: reporter masked, location per
// role. It never includes the reporter's full details (see Reveal).
func (s *Service) View(a Alert, r auth.Role) Alert {
	out := a
	out.Phone, out.Name = "", ""
	out.HasReporter = len(a.PhoneSealed) > 0 || len(a.NameSealed) > 0
	if !a.Anonymised {
		if len(a.PhoneSealed) > 0 {
			if p, err := s.Keys.Open(a.PhoneSealed, []byte(aadPhone)); err == nil {
				out.PhoneMasked = MaskPhone(string(p))
			} else {
				out.PhoneMasked = "(cannot decrypt)"
			}
		}
		if len(a.NameSealed) > 0 {
			if n, err := s.Keys.Open(a.NameSealed, []byte(aadName)); err == nil {
				out.NameMasked = MaskName(string(n))
			}
		}
	}
	if !r.AtLeast(auth.Responder) {
		out.PhoneMasked, out.NameMasked = "", ""
		out.SentTo = ""
		// Below responder the message is not even decrypted.
		out.Message = ""
	} else if len(a.MessageSealed) > 0 {
		out.Message = s.openText(a.MessageSealed, AADMessage)
	}
	out.Location = s.openLocation(a.Location, r).ForRole(r)
	out.PhoneSealed, out.NameSealed, out.MessageSealed = nil, nil, nil
	return out
}

// openText opens a sealed text; a value that does not open (a key removed
// from the keyring, tampering) is shown as such, not as an error page.
func (s *Service) openText(c []byte, aad string) string {
	p, err := s.Keys.OpenString(c, aad)
	if err != nil {
		return "(cannot decrypt)"
	}
	return p
}

// openLocation opens a location's text and note for roles that may see
// them (responder and above; ForRole drops them for the others, so they
// are not decrypted at all for those).
func (s *Service) openLocation(l Location, r auth.Role) Location {
	if r.AtLeast(auth.Responder) {
		if len(l.TextSealed) > 0 {
			l.Text = s.openText(l.TextSealed, AADLocationText)
		}
		if len(l.NoteSealed) > 0 {
			l.Note = s.openText(l.NoteSealed, AADLocationNote)
		}
	}
	l.TextSealed, l.NoteSealed = nil, nil
	return l
}

// Reveal returns an alert with the reporter's phone and name in clear, for
// roles responder and above, after writing the reveal (who, which alert,
// why) to the audit log.
func (s *Service) Reveal(ctx context.Context, u *auth.User, id int64, reason string) (Alert, error) {
	if !CanReveal(u.Role) {
		return Alert{}, apperr.ErrForbidden
	}
	if err := CheckText("reason", reason, 500, true); err != nil {
		return Alert{}, err
	}
	a, err := s.Store.RevealReporter(ctx, u.Name, id, reason)
	if err != nil {
		return Alert{}, err
	}
	out := s.View(a, u.Role)
	if p, err := s.Keys.OpenString(a.PhoneSealed, aadPhone); err == nil {
		out.Phone = p
	} else {
		return Alert{}, err
	}
	if n, err := s.Keys.OpenString(a.NameSealed, aadName); err == nil {
		out.Name = n
	} else {
		return Alert{}, err
	}
	return out, nil
}

// ViewIncident adds timers and the overdue flag, and applies role rules.
func (s *Service) ViewIncident(in Incident, r auth.Role) Incident {
	now := s.now()
	if in.TriagedAt != nil {
		d := in.TriagedAt.Sub(in.FirstAt).Seconds()
		in.TimeToTriage = &d
	}
	if in.RespondedAt != nil {
		d := in.RespondedAt.Sub(in.FirstAt).Seconds()
		in.TimeToResponse = &d
	}
	in.Overdue = s.overdue(in, now)
	in.SLA = s.clock(in, now)
	in.Location = s.openLocation(in.Location, r).ForRole(r)
	if !r.AtLeast(auth.Responder) {
		in.ReporterSex = "" // about a person: counted in the stats, not shown per incident
	}
	return in
}

// clock is the SLA timer running for in at now, or nil (none running: the
// incident is past the stages the SLA covers, or the target is unset).
// It follows the same rules as overdue.
func (s *Service) clock(in Incident, now time.Time) *Clock {
	var kind string
	var d time.Duration
	switch {
	case in.Status == Received && s.SLA.Triage > 0:
		kind, d = "triage", s.SLA.Triage
	case (in.Status == Triaged || in.Status == Verified) && in.RespondedAt == nil && s.SLA.Response > 0:
		kind, d = "response", s.SLA.Response
	default:
		return nil
	}
	due := in.FirstAt.Add(d)
	return &Clock{Kind: kind, Due: due, LeftS: math.Round(due.Sub(now).Seconds())}
}

func (s *Service) overdue(in Incident, now time.Time) string {
	switch {
	case in.Status == Received && s.SLA.Triage > 0 && now.Sub(in.FirstAt) > s.SLA.Triage:
		return "triage"
	case (in.Status == Triaged || in.Status == Verified || in.Status == Unverified) && in.RespondedAt == nil &&
		s.SLA.Response > 0 && now.Sub(in.FirstAt) > s.SLA.Response && in.Status != Unverified:
		return "response"
	}
	return ""
}

// UpdateIncident validates and applies a user's change.
func (s *Service) UpdateIncident(ctx context.Context, u *auth.User, id int64, up Update) (Incident, error) {
	if up.Priority != nil {
		ok := false
		for _, p := range Priorities {
			ok = ok || p == *up.Priority
		}
		if !ok {
			return Incident{}, apperr.Fieldf(apperr.KindInvalid, "priority", "%q is not one of %s", *up.Priority, strings.Join(Priorities, ", "))
		}
	}
	if up.Status != nil {
		if _, err := ParseStatus(string(*up.Status)); err != nil {
			return Incident{}, apperr.FieldErr(apperr.KindInvalid, "status", err)
		}
	}
	if up.Category != nil {
		if err := oneOf("category", *up.Category, Categories); err != nil {
			return Incident{}, err
		}
	}
	if up.ReporterSex != nil {
		if err := oneOf("reporter_sex", *up.ReporterSex, ReporterSexes); err != nil {
			return Incident{}, err
		}
	}
	if up.Place != nil {
		if err := CheckText("place", *up.Place, MaxFieldBytes, false); err != nil {
			return Incident{}, err
		}
	}
	if (up.Place != nil || up.PrecisionM != nil) && up.Lat == nil {
		return Incident{}, apperr.FieldErr(apperr.KindInvalid, "lat", apperr.Text("a place or precision needs lat and lon"))
	}
	if up.PrecisionM != nil && (*up.PrecisionM <= 0 || *up.PrecisionM > 500000 || *up.PrecisionM != *up.PrecisionM) {
		return Incident{}, apperr.FieldErr(apperr.KindInvalid, "precision_m", apperr.Text("must be more than 0 and at most 500000 metres"))
	}
	up.SetBy = string(u.Role)
	for _, f := range []struct {
		n string
		v *string
		m int
	}{{"assignee", up.Assignee, 100}, {"title", up.Title, 200}, {"summary", up.Summary, 4000}} {
		if f.v != nil {
			if err := CheckChars(f.n, *f.v, f.m, false); err != nil {
				return Incident{}, err
			}
		}
	}
	if err := CheckChars("note", up.Note, 4000, false); err != nil {
		return Incident{}, err
	}
	if err := CheckText("request_id", up.RequestID, MaxRequestIDBytes, false); err != nil {
		return Incident{}, err
	}
	if (up.Lat == nil) != (up.Lon == nil) {
		return Incident{}, apperr.FieldErr(apperr.KindInvalid, "lat", apperr.Text("lat and lon go together"))
	}
	if up.Lat != nil && (*up.Lat < -90 || *up.Lat > 90 || *up.Lon < -180 || *up.Lon > 180 || *up.Lat != *up.Lat || *up.Lon != *up.Lon) {
		return Incident{}, apperr.FieldErr(apperr.KindInvalid, "lat", apperr.Text("coordinates out of range"))
	}
	in, err := s.Store.UpdateIncident(ctx, u.Name, id, up, s.now())
	if err != nil {
		return Incident{}, err
	}
	s.publish(Change{Kind: "incident", Incidents: []int64{id}})
	return s.ViewIncident(in, u.Role), nil
}

// EscalateOverdue marks every overdue, not yet escalated incident, writes
// its escalation webhook notice to the outbox in the same transaction,
// starts their delivery in the background (Drain waits for it) and
// returns how many it escalated. Run it periodically (vigil serve does
// every minute).
func (s *Service) EscalateOverdue(ctx context.Context) (int, error) {
	n, notices, err := s.escalateOverdue(ctx)
	if len(notices) > 0 {
		s.kickNotices()
	}
	return n, err
}

// EscalateOverdueNow is EscalateOverdue that posts the notices it wrote
// itself, now, and only them (vigil alerts escalate): the outbox's other
// notices (a server's, queued for its own webhook) are not posted to this
// one's URL. It answers how many incidents it escalated and how many
// notices the webhook took; one that failed stays in the outbox for vigil
// serve to retry.
func (s *Service) EscalateOverdueNow(ctx context.Context) (escalated, sent int, err error) {
	escalated, notices, err := s.escalateOverdue(ctx)
	var t hookTarget
	if err == nil && len(notices) > 0 {
		t, err = s.webhook(ctx)
	}
	for _, n := range notices {
		if err != nil {
			break
		}
		var ok bool
		if ok, err = s.sendNotice(ctx, t, *n); ok {
			sent++
		}
	}
	return escalated, sent, err
}

// escalateOverdue escalates the overdue incidents and answers how many,
// with the notices it wrote to the outbox (their IDs set).
func (s *Service) escalateOverdue(ctx context.Context) (int, []*Notice, error) {
	ins, err := s.Store.Incidents(ctx, IncidentFilter{OpenOnly: true, Limit: 10000})
	if err != nil {
		return 0, nil, err
	}
	now := s.now()
	n := 0
	var notices []*Notice
	hook := s.hasWebhook(ctx)
	for _, in := range ins {
		if in.EscalatedAt != nil {
			continue
		}
		why := s.overdue(in, now)
		if why == "" {
			continue
		}
		late := now.Sub(in.FirstAt).Round(time.Second)
		var notice *Notice
		if hook {
			notice = newNotice(map[string]any{"type": "vigil.incident.overdue", "incident_id": in.ID, "overdue": why,
				"status": in.Status, "priority": in.Priority, "seconds_since_first_alert": int(late.Seconds()),
				"url": s.base() + fmt.Sprintf("/#/alerts/incident/%d", in.ID)})
		}
		ok, err := s.Store.MarkEscalated(ctx, in.ID, fmt.Sprintf("%s overdue: %s since first alert", why, late), now, notice)
		if err != nil {
			return n, notices, err
		}
		if !ok {
			continue
		}
		n++
		if notice != nil {
			notices = append(notices, notice)
		}
		s.publish(Change{Kind: "incident", Incidents: []int64{in.ID}})
	}
	return n, notices, nil
}

// Escalate queues body for the escalation webhook, the path overdue
// incidents take to leadership, for another capability's alert (the
// withdrawal watch's trigger, a spike flag): written to the outbox and
// posted in the background (outbox.go). It reports whether a webhook is
// configured; a notice the store cannot take and delivery failures are
// logged, as for incidents.
func (s *Service) Escalate(ctx context.Context, body map[string]any) bool {
	if !s.hasWebhook(ctx) {
		return false
	}
	n := newNotice(body)
	if err := s.Store.QueueNotice(ctx, n, s.now()); err != nil {
		s.Log.Error("escalation webhook: notice not queued", "type", body["type"], "err", err)
		return true
	}
	s.kickNotices()
	return true
}

// post posts one notice's body to the escalation webhook in force with its
// key as Idempotency-Key (postTo).
func (s *Service) post(ctx context.Context, t hookTarget, key string, b []byte) error {
	_, err := s.postTo(ctx, t, key, b)
	return err
}

// postTo posts body b to webhook t with key as Idempotency-Key and answers
// the webhook's HTTP status (0: no answer). A failure is logged by host
// (never the URL, whose path or query is often the webhook's secret) and
// answered without the URL.
func (s *Service) postTo(ctx context.Context, t hookTarget, key string, b []byte) (int, error) {
	if t.URL == "" {
		return 0, apperr.Say(apperr.KindConflict, "", "alerts.refusal.no-webhook")
	}
	if err := CheckEscalationURL(t.URL, s.EscalationAllowLinkLocal); err != nil {
		s.Log.Error("escalation webhook: URL refused", "err", err) // the error does not quote the URL
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL, bytes.NewReader(b))
	if err != nil {
		// The parse error quotes the whole URL, whose path or query is often
		// the webhook's secret: log neither.
		s.Log.Error("escalation webhook: the URL does not parse")
		return 0, errors.New("the URL does not parse")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	c := s.HTTP
	if c == nil {
		c = escalationClient(s.EscalationAllowLinkLocal)
	}
	resp, err := c.Do(req)
	if err != nil {
		// A *url.Error prints the full URL (path and query: often the
		// webhook's secret); log the host and the underlying cause only.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		s.Log.Error("escalation webhook failed", "host", req.URL.Host, "err", err)
		return 0, err
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		s.Log.Error("escalation webhook refused", "host", req.URL.Host, "status", resp.StatusCode)
		return resp.StatusCode, fmt.Errorf("status %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}

// Purge removes reporter details (phone, name, reporter hash) from alerts
// received more than days ago. The messages and locations stay.
func (s *Service) Purge(ctx context.Context, actor string, days int) (int, error) {
	if days < 1 {
		return 0, apperr.Invalid("days", "must be at least 1")
	}
	return s.Store.PurgeReporters(ctx, actor, s.now().Add(-time.Duration(days)*24*time.Hour))
}

// ForgetRequests deletes the request ids of incident changes
// (Update.RequestID) older than RequestIDKeep, answering how many: the
// table gains a row per change and is otherwise never trimmed. A change
// sent again with a forgotten id would be made again; the page resends
// within minutes. Run by the server's hourly housekeeping.
func (s *Service) ForgetRequests(ctx context.Context) (int64, error) {
	return s.Store.ForgetIncidentRequests(ctx, s.now().Add(-RequestIDKeep))
}

// Reseal re-encrypts every sealed value of the alert network with the
// active key (after crypt.Keyring.Rotate). Returns the number of values.
func (s *Service) Reseal(ctx context.Context, actor string) (int, error) {
	n1, err := s.Store.ResealChannels(ctx, actor, func(old []byte) ([]byte, error) {
		p, err := s.Keys.Open(old, []byte(aadSecret))
		if err != nil {
			return nil, err
		}
		return s.Keys.Seal(p, []byte(aadSecret))
	})
	if err != nil {
		return 0, err
	}
	n2, err := s.Store.ResealAlerts(ctx, actor, func(old []byte, aad string) ([]byte, error) {
		p, err := s.Keys.Open(old, []byte(aad))
		if err != nil {
			return nil, err
		}
		return s.Keys.Seal(p, []byte(aad))
	})
	return n1 + n2, err
}

// SealStoredText seals the free text (messages, location text and notes)
// that a version before migration 0011 stored in clear, and blanks the clear
// columns, in one transaction. It is idempotent; vigil runs it each time it
// opens the store with the key (vigil serve, vigil alerts, vigil keys).
// Returns how many rows it converted.
func (s *Service) SealStoredText(ctx context.Context, actor string) (int, error) {
	return s.Store.SealClearText(ctx, actor, func(clear, aad string) ([]byte, error) {
		return s.Keys.SealString(clear, aad)
	})
}

// Reply queues a message to the reporter of an alert through a gateway
// that sends queued messages: the alert's own channel when it is enabled
// and can send, an SMSSync channel (its phone polls with task=send), or a
// Twilio channel with its sending settings or a webhook channel with its
// outbound URL (PushSenders: contacts' gateway runner pushes it to
// Twilio's Messages API, a WhatsApp sender on WhatsApp, or to the
// webhook); for a number left on the web form, the mission's first
// enabled Twilio channel with its sending settings (by SMS: the number as
// given), else its first enabled SMSSync channel. Any other reply is
// refused (409, field "gateway", the channel named: replyVia), never
// rerouted through another channel: the reporter would be texted from a
// mission number they never wrote to (a WhatsApp reporter by SMS, which
// may not reach them), which can expose them. ReplyRoute says the same
// before anything is written.
//
// The reply is on the alert's incident's timeline, written with it (kind
// "reply", in u's name): "reply to the reporter of alert N sent by SMS
// through CHANNEL" ("by WhatsApp" for a WhatsApp sender answered through
// its Twilio channel), never the number nor the text; like notes, for
// responders and up.
func (s *Service) Reply(ctx context.Context, u *auth.User, alertID int64, message string) (Outgoing, error) {
	return s.replyAs(ctx, u.Name, alertID, message)
}

// PrepareReply makes ready the reply message to the sender of alert
// alertID, as Reply would queue it (the gateway, the number sealed),
// unless withhold, given the reporter's number (opened in memory, never
// stored or logged in clear), returns a reason not to send: then the
// reason is returned. It writes nothing: its caller queues the message
// with its own record and timeline lines in one transaction (tipline
// answers: integrity's SaveReplies, with AnswerLines).
func (s *Service) PrepareReply(ctx context.Context, alertID int64, message string,
	withhold func(ctx context.Context, phone string) (string, error)) (Outgoing, string, error) {
	r, why, err := s.prepareReply(ctx, alertID, message, withhold)
	return r.m, why, err
}

// replyAs is Reply in actor's name: the message queued with its
// timeline line in one transaction.
func (s *Service) replyAs(ctx context.Context, actor string, alertID int64, message string) (Outgoing, error) {
	r, _, err := s.prepareReply(ctx, alertID, message, nil)
	if err != nil {
		return Outgoing{}, err
	}
	m := r.m
	line := &LogEntry{IncidentID: r.incident, At: m.Created, Actor: actor, Kind: "reply",
		Text: fmt.Sprintf("reply to the reporter of alert %d sent by %s through %s", m.AlertID, r.by, r.gateway)}
	if err := s.Store.QueueOutgoing(ctx, actor, &m, line); err != nil {
		return Outgoing{}, err
	}
	s.publish(Change{Kind: "incident", Incidents: []int64{r.incident}})
	return m, nil
}

// preparedReply is a reply made ready (prepareReply): the message, its
// alert's incident, its gateway's name and how it goes (by: "SMS" or
// "WhatsApp", sentBy).
type preparedReply struct {
	m        Outgoing
	incident int64
	gateway  string
	by       string
}

// sentBy is how a message to the number to goes out: "WhatsApp" for a
// WhatsApp address (whatsapp:+…, kept only when the reply goes through
// the Twilio channel it came from: prepareReply), else "SMS".
func sentBy(to string) string {
	if strings.HasPrefix(to, "whatsapp:") {
		return "WhatsApp"
	}
	return "SMS"
}

// prepareReply is PrepareReply, with the incident and the gateway's name.
func (s *Service) prepareReply(ctx context.Context, alertID int64, message string,
	withhold func(ctx context.Context, phone string) (string, error)) (preparedReply, string, error) {
	if err := CheckChars("message", message, MaxReplyChars, true); err != nil {
		return preparedReply{}, "", err
	}
	a, err := s.Store.Alert(ctx, alertID)
	if err != nil {
		return preparedReply{}, "", err
	}
	if len(a.PhoneSealed) == 0 {
		return preparedReply{}, "", apperr.FieldErr(apperr.KindInvalid, "alert", apperr.Text("this alert has no reporter number (anonymous or purged)"))
	}
	gw, gwName, err := s.replyGateway(ctx, a.ChannelID)
	if err != nil {
		return preparedReply{}, "", err
	}
	p, err := s.Keys.Open(a.PhoneSealed, []byte(aadPhone))
	if err != nil {
		return preparedReply{}, "", err
	}
	if gw != a.ChannelID {
		// A WhatsApp sender of a Twilio channel that cannot send is
		// answered by SMS from another gateway: its number alone.
		p = []byte(strings.TrimPrefix(string(p), "whatsapp:"))
	}
	if withhold != nil {
		why, err := withhold(ctx, string(p))
		if err != nil || why != "" {
			return preparedReply{}, why, err
		}
	}
	to, err := s.Keys.Seal(p, []byte(aadOutTo))
	if err != nil {
		return preparedReply{}, "", err
	}
	m := Outgoing{ChannelID: gw, AlertID: a.ID, UUID: randomKey(), Message: message, ToSealed: to, Created: s.now()}
	if s.RecipientMAC != nil {
		m.ToMAC = s.RecipientMAC(string(p))
	}
	return preparedReply{m: m, incident: a.IncidentID, gateway: gwName, by: sentBy(string(p))}, "", nil
}

// SenderMAC is mac of the number that sent alert alertID, "" when the
// alert has none (anonymous or purged): who sent it, without the number.
func (s *Service) SenderMAC(ctx context.Context, alertID int64, mac func(phone string) string) (string, error) {
	a, err := s.Store.Alert(ctx, alertID)
	if err != nil || len(a.PhoneSealed) == 0 {
		return "", err
	}
	p, err := s.Keys.Open(a.PhoneSealed, []byte(aadPhone))
	if err != nil {
		return "", err
	}
	return mac(string(p)), nil
}

// ChannelLang is the language the channel alert alertID came through
// answers its reporters in (Channel.Lang; "" none).
func (s *Service) ChannelLang(ctx context.Context, alertID int64) (string, error) {
	a, err := s.Store.Alert(ctx, alertID)
	if err != nil {
		return "", err
	}
	cs, err := s.Store.Channels(ctx)
	if err != nil {
		return "", err
	}
	for _, c := range cs {
		if c.ID == a.ChannelID {
			return c.Lang, nil
		}
	}
	return "", nil
}

// replyGateway is the channel a reply to an alert of channel id goes out
// through (see Reply), and its name; a refusal naming field "gateway"
// when there is none (replyVia): 409 when the alert's own channel
// cannot send, 400 for a web form's sender with no gateway at all.
func (s *Service) replyGateway(ctx context.Context, id int64) (int64, string, error) {
	own, via, key, err := s.replyChannels(ctx, id)
	switch {
	case err != nil:
		return 0, "", err
	case key == noGatewayKey:
		return 0, "", apperr.FieldErr(apperr.KindInvalid, "gateway", apperr.Text(noGateway))
	case key != "":
		return 0, "", apperr.FieldErr(apperr.KindConflict, "gateway", apperr.MustMsg(key, own.Name).Err())
	}
	return via.ID, via.Name, nil
}

// replyChannels is the channel of id (zero when gone) and replyVia's
// answer among the store's channels.
func (s *Service) replyChannels(ctx context.Context, id int64) (own, via Channel, key string, err error) {
	cs, err := s.Store.Channels(ctx)
	if err != nil {
		return own, via, "", err
	}
	var push map[int64]bool
	if s.PushSenders != nil {
		if push, err = s.PushSenders(ctx); err != nil {
			return own, via, "", err
		}
	}
	for _, c := range cs {
		if c.ID == id {
			own = c
		}
	}
	via, key = replyVia(cs, own, push)
	return own, via, key, nil
}

// noGateway is the refusal of a reply nothing can send (alerts.refusal.no-gateway).
const (
	noGateway = "no SMS gateway to send the reply through: add an SMSSync channel (a phone running SMSSync) under Administration → Channels, " +
		"or give a Twilio channel its sending settings (Administration → Channels → Broadcast gateways): the alert’s own for an alert that came in through Twilio, " +
		"any one for an alert sent with the web form"
	noGatewayKey = "alerts.refusal.no-gateway"
)

// replyVia is the channel among cs a reply to an alert of channel own goes
// out through, push the channels that send their queued messages
// themselves (PushSenders: Twilio with its sending settings, a webhook
// with its outbound URL, not paused); or, when there is none, the key of
// the refusal (its argument: own's name). A reply goes back the way the
// report came: through own when it is enabled and can send (SMSSync: its
// phone polls; Twilio or webhook: among push). A web form's sender, who
// gave a number, is answered by SMS through otherGateway. Any other
// alert's reply is refused: it is never rerouted through another
// channel, whose number the reporter does not know (a WhatsApp reporter
// would get an SMS from the mission's phone, if anything at all).
func replyVia(cs []Channel, own Channel, push map[int64]bool) (Channel, string) {
	switch {
	case own.ID == 0 || own.Kind == Web:
		gw := otherGateway(cs, push, own.Kind == Web)
		for _, c := range cs {
			if c.ID == gw {
				return c, ""
			}
		}
		return Channel{}, noGatewayKey
	case own.Disabled:
		return Channel{}, "alerts.refusal.reply-disabled"
	case own.Kind == SMSSync || push[own.ID]:
		return own, ""
	case own.Kind == Twilio:
		return Channel{}, "alerts.refusal.reply-twilio"
	}
	return Channel{}, "alerts.refusal.reply-webhook"
}

// ReplyRoute is how a reply to the reporter of an alert goes, as the
// reply form says it before anything is written: the alert's channel
// (name and kind) and the channel the reply goes out through (Via: the
// same one, or for a web form's sender the mission's gateway); when it
// cannot be sent, Refusal is what Reply would answer (without its field),
// in the language asked.
type ReplyRoute struct {
	Channel string `json:"channel"`
	Kind    Kind   `json:"kind"`
	Via     string `json:"via,omitempty"`
	ViaKind Kind   `json:"via_kind,omitempty"`
	// By is how the reply reaches the reporter when Vigil knows it: "SMS"
	// (an SMSSync phone; Twilio to a phone number) or "WhatsApp" (Twilio
	// to a WhatsApp sender, answered on WhatsApp); "" for a webhook (its
	// gateway decides) or a reply that cannot be sent.
	By      string `json:"by,omitempty"`
	Refusal string `json:"refusal,omitempty"`
}

// routeBy is r with By set for a reply to the reporter of a (sentBy of
// the number the reply would go to: a WhatsApp address only back through
// the Twilio channel it came from). The number is opened in memory only.
func (s *Service) routeBy(a Alert, r ReplyRoute) ReplyRoute {
	switch {
	case r.Refusal != "" || r.Via == "" || r.ViaKind == Webhook:
	case r.ViaKind == Twilio && r.Kind == Twilio:
		if p, err := s.Keys.Open(a.PhoneSealed, []byte(aadPhone)); err == nil {
			r.By = sentBy(string(p))
		}
	default:
		r.By = "SMS"
	}
	return r
}

// ReplyRoute says how a reply to the reporter of alert alertID would go
// (Reply's rule), its refusal in lang ("en", "fr").
func (s *Service) ReplyRoute(ctx context.Context, alertID int64, lang string) (ReplyRoute, error) {
	a, err := s.Store.Alert(ctx, alertID)
	if err != nil {
		return ReplyRoute{}, err
	}
	r, err := s.replyRoute(ctx, a.ChannelID, lang)
	if err != nil || len(a.PhoneSealed) == 0 {
		return r, err
	}
	return s.routeBy(a, r), nil
}

// replyRoute is ReplyRoute for an alert of channel id.
func (s *Service) replyRoute(ctx context.Context, id int64, lang string) (ReplyRoute, error) {
	own, via, key, err := s.replyChannels(ctx, id)
	if err != nil {
		return ReplyRoute{}, err
	}
	r := ReplyRoute{Channel: own.Name, Kind: own.Kind, Via: via.Name, ViaKind: via.Kind}
	switch key {
	case "":
	case noGatewayKey:
		r.Refusal = apperr.MustMsg(key).Text(lang)
	default:
		r.Refusal = apperr.MustMsg(key, own.Name).Text(lang)
	}
	return r, nil
}

// otherGateway is the gateway a reply goes through when the alert's own
// channel cannot send it: for a web form's sender (web), the first
// enabled Twilio channel among push (by SMS: the sender gave a phone
// number), else, as for any other, the first enabled SMSSync channel; 0
// when there is none.
func otherGateway(cs []Channel, push map[int64]bool, web bool) int64 {
	sms, tw := int64(0), int64(0)
	for _, c := range cs {
		switch {
		case c.Disabled:
		case c.Kind == SMSSync && (sms == 0 || c.ID < sms):
			sms = c.ID
		case web && c.Kind == Twilio && push[c.ID] && (tw == 0 || c.ID < tw):
			tw = c.ID
		}
	}
	if tw != 0 {
		return tw
	}
	return sms
}

// AnswersBySMS reports whether an answer to a web form's sender can be
// sent by SMS now (Reply has a gateway: an enabled Twilio channel with its
// sending settings, or an enabled SMSSync channel), so that the tipline's
// public form promises one only then.
//
// It is asked at every view of a tipline's public form, so the answer is
// cached for channelTTL (ForgetChannels: at once
// after a change on this server, a channel's or its sending settings':
// contacts.Service.GatewayChanged).
func (s *Service) AnswersBySMS(ctx context.Context) (bool, error) {
	s.chMu.Lock()
	if !s.smsAt.IsZero() && time.Since(s.smsAt) < channelTTL {
		sms := s.sms
		s.chMu.Unlock()
		return sms, nil
	}
	gen := s.chGen
	s.chMu.Unlock()
	cs, err := s.Store.Channels(ctx)
	if err != nil {
		return false, err
	}
	var push map[int64]bool
	if s.PushSenders != nil {
		if push, err = s.PushSenders(ctx); err != nil {
			return false, err
		}
	}
	gw := otherGateway(cs, push, true) // a web form's sender
	s.chMu.Lock()
	if gen == s.chGen { // not cached when channels changed while read
		s.sms, s.smsAt = gw != 0, time.Now()
	}
	s.chMu.Unlock()
	return gw != 0, nil
}

// Outbox returns the channel's unsent messages with recipients opened.
func (s *Service) Outbox(ctx context.Context, channelID int64) ([]Outgoing, error) {
	return s.OutboxN(ctx, channelID, 50)
}

// OutboxN is Outbox of at most n messages.
func (s *Service) OutboxN(ctx context.Context, channelID int64, n int) ([]Outgoing, error) {
	ms, err := s.Store.PendingOutgoing(ctx, channelID, n)
	if err != nil {
		return nil, err
	}
	for i := range ms {
		to, err := s.Keys.Open(ms[i].ToSealed, []byte(aadOutTo))
		if err != nil {
			return nil, err
		}
		ms[i].To = string(to)
	}
	return ms, nil
}

// WeekStats is the SLA dashboard row for one ISO week.
type WeekStats struct {
	Week            string   `json:"week"` // "2026-W48"
	Incidents       int      `json:"incidents"`
	Triaged         int      `json:"triaged"`
	Responded       int      `json:"responded"`
	TriageMedianS   *float64 `json:"triage_median_s"`
	TriageP90S      *float64 `json:"triage_p90_s"`
	ResponseMedianS *float64 `json:"response_median_s"`
	ResponseP90S    *float64 `json:"response_p90_s"`
}

// Stats computes median and 90th percentile time to triage and to response
// by ISO week of the first alert.
func Stats(ins []Incident) []WeekStats {
	type acc struct {
		n      int
		tr, rs []float64
	}
	by := map[string]*acc{}
	for _, in := range ins {
		y, w := in.FirstAt.ISOWeek()
		k := fmt.Sprintf("%04d-W%02d", y, w)
		a := by[k]
		if a == nil {
			a = &acc{}
			by[k] = a
		}
		a.n++
		if in.TriagedAt != nil {
			a.tr = append(a.tr, in.TriagedAt.Sub(in.FirstAt).Seconds())
		}
		if in.RespondedAt != nil {
			a.rs = append(a.rs, in.RespondedAt.Sub(in.FirstAt).Seconds())
		}
	}
	var out []WeekStats
	for k, a := range by {
		out = append(out, WeekStats{Week: k, Incidents: a.n, Triaged: len(a.tr), Responded: len(a.rs),
			TriageMedianS: Quantile(a.tr, 0.5), TriageP90S: Quantile(a.tr, 0.9),
			ResponseMedianS: Quantile(a.rs, 0.5), ResponseP90S: Quantile(a.rs, 0.9)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Week < out[j].Week })
	return out
}

// Quantile is the type-7 (linear interpolation) sample quantile; nil for no
// data.
func Quantile(xs []float64, q float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	h := q * float64(len(s)-1)
	lo := int(h)
	v := s[lo]
	if lo+1 < len(s) {
		v += (h - float64(lo)) * (s[lo+1] - s[lo])
	}
	return &v
}

// IsNotFound reports whether err means "no such record".
func IsNotFound(err error) bool { return errors.Is(err, apperr.ErrNotFound) }

// MoveAlert moves an alert to incident to (0: a new incident).
func (s *Service) MoveAlert(ctx context.Context, u *auth.User, alertID, to int64) (Incident, error) {
	if to < 0 {
		return Incident{}, apperr.FieldErr(apperr.KindInvalid, "incident", apperr.Text("must be an incident id or 0 for a new incident"))
	}
	in, err := s.Store.MoveAlert(ctx, u.Name, alertID, to, s.now())
	if err != nil {
		return Incident{}, err
	}
	s.publish(Change{Kind: "incident", Alerts: []int64{alertID}, Incidents: []int64{in.ID}})
	return s.ViewIncident(in, u.Role), nil
}

// Breakdown counts incidents by category and by reporter sex; incidents not
// categorised (or with no reporter sex recorded) count under "none". Every
// known value is present, with 0 when no incident has it.
type Breakdown struct {
	ByCategory    map[string]int `json:"by_category"`
	ByReporterSex map[string]int `json:"by_reporter_sex"`
}

// Breakdowns counts ins by category and by reporter sex.
func Breakdowns(ins []Incident) Breakdown {
	b := Breakdown{ByCategory: map[string]int{"none": 0}, ByReporterSex: map[string]int{"none": 0}}
	for _, c := range Categories {
		b.ByCategory[c] = 0
	}
	for _, x := range ReporterSexes {
		b.ByReporterSex[x] = 0
	}
	for _, in := range ins {
		c, x := in.Category, in.ReporterSex
		if c == "" {
			c = "none"
		}
		if x == "" {
			x = "none"
		}
		b.ByCategory[c]++
		b.ByReporterSex[x]++
	}
	return b
}
