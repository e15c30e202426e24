package alerts

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/internal/apperr"
)

// The alert network's API requests: the queries of the alert list, the
// incident queue and the dashboard, and the bodies that create alerts and
// channels, move alerts and turn incidents into events. Bad values are
// apperr invalid input naming the parameter or field.

// queryInt reads the query parameter name as a non-negative integer, def
// when absent.
func queryInt(q url.Values, name string, def int64) (int64, error) {
	s := q.Get(name)
	if s == "" {
		return def, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		return 0, apperr.Say(apperr.KindInvalid, name, "alerts.refusal.not-count", s)
	}
	return v, nil
}

// DefaultAlertPage is the size of an alert page when the query sets none.
const DefaultAlertPage = 200

// ParseAlertQuery reads the alert list's query: since_id (present, even 0:
// a poll, the oldest alerts above it first), incident and limit (1 to
// MaxAlertPage).
func ParseAlertQuery(q url.Values) (AlertFilter, error) {
	var f AlertFilter
	var err error
	if f.SinceID, err = queryInt(q, "since_id", 0); err != nil {
		return f, err
	}
	if f.IncidentID, err = queryInt(q, "incident", 0); err != nil {
		return f, err
	}
	limit, err := queryInt(q, "limit", DefaultAlertPage)
	if err != nil {
		return f, err
	}
	if limit < 1 || limit > MaxAlertPage {
		return f, apperr.Say(apperr.KindInvalid, "limit", "alerts.refusal.limit", limit, MaxAlertPage)
	}
	f.Limit, f.Ascending = int(limit), q.Has("since_id")
	return f, nil
}

// AlertPage answers the alert list's query q for role: the alerts (see
// ListAlerts) and the query of the poll that continues after them (since_id
// = the highest id in this page), so a client that falls behind walks
// every alert page by page.
func (s *Service) AlertPage(ctx context.Context, role auth.Role, q url.Values) ([]Alert, url.Values, error) {
	f, err := ParseAlertQuery(q)
	if err != nil {
		return nil, nil, err
	}
	out, next, err := s.ListAlerts(ctx, role, f)
	if err != nil {
		return nil, nil, err
	}
	nq := url.Values{"since_id": {strconv.FormatInt(next, 10)}, "limit": {strconv.Itoa(f.Limit)}}
	if f.IncidentID > 0 {
		nq.Set("incident", strconv.FormatInt(f.IncidentID, 10))
	}
	return out, nq, nil
}

// ParseIncidentQuery reads the incident queue's query: open (1 or true),
// status (a comma list) and since/until (RFC 3339). The country filter is
// the caller's.
func ParseIncidentQuery(q url.Values) (IncidentFilter, error) {
	f := IncidentFilter{OpenOnly: q.Get("open") == "1" || q.Get("open") == "true"}
	if st := q.Get("status"); st != "" {
		for _, p := range strings.Split(st, ",") {
			v, err := ParseStatus(p)
			if err != nil {
				return f, apperr.Wrap(apperr.KindInvalid, "status", err)
			}
			f.Status = append(f.Status, v)
		}
	}
	for _, t := range []struct {
		k string
		p *time.Time
	}{{"since", &f.Since}, {"until", &f.Until}} {
		if v := q.Get(t.k); v != "" {
			tt, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return f, apperr.Say(apperr.KindInvalid, t.k, "alerts.refusal.time", v)
			}
			*t.p = tt
		}
	}
	return f, nil
}

// DashboardQuery answers the dashboard for the query's weeks (1 to 520; 12
// when absent), as role r may see it.
func (s *Service) DashboardQuery(ctx context.Context, r auth.Role, q url.Values) (Dashboard, error) {
	weeks, err := queryInt(q, "weeks", 12)
	if err != nil {
		return Dashboard{}, err
	}
	if weeks < 1 || weeks > 520 {
		return Dashboard{}, apperr.Say(apperr.KindInvalid, "weeks", "alerts.refusal.weeks")
	}
	d, err := s.Dashboard(ctx, int(weeks))
	if !r.AtLeast(auth.Responder) {
		// Below responder an incident's reporter sex is hidden
		// (ViewIncident); counts by sex would give it away for an incident
		// that is alone in its group or the only new one between two reads.
		d.ByReporterSex = nil
	}
	return d, err
}

// AlertRequest is an alert taken by telephone or in person and typed into
// the app by a responder, filed under a web channel (its legal basis): it
// is recorded with Intake IntakePhone, so it is counted apart from the
// channel's public web form.
type AlertRequest struct {
	Channel  string   `json:"channel"` // key of a web channel
	Message  string   `json:"message"`
	From     string   `json:"from"`
	Name     string   `json:"name"`
	Location string   `json:"location"`
	Lat      *float64 `json:"lat"`
	Lon      *float64 `json:"lon"`
	ID       string   `json:"id"` // client id for idempotent retries
	// Category (one of Categories) and Priority (one of Priorities),
	// optional, triage the incident the alert is in (TriageFromIntake).
	Category string `json:"category"`
	Priority string `json:"priority"`
}

// Submit receives an alert typed into the app by u and returns it as u's
// role sees it; created is false for a retry of one already stored (same
// id). A category or priority not in the lists is refused before anything
// is stored.
func (s *Service) Submit(ctx context.Context, u *auth.User, req AlertRequest) (a Alert, created bool, err error) {
	if err := oneOf("category", req.Category, Categories); err != nil {
		return a, false, err
	}
	if err := oneOf("priority", req.Priority, Priorities); err != nil {
		return a, false, err
	}
	// Checked here to name the body's field: Inbound.Validate names the
	// gateways' message_id.
	if err := CheckText("id", req.ID, MaxFieldBytes, false); err != nil {
		return a, false, err
	}
	c, err := s.Channel(ctx, req.Channel)
	if errors.Is(err, apperr.ErrNotFound) || (err == nil && c.Kind != Web) {
		return a, false, apperr.Say(apperr.KindInvalid, "channel", "alerts.refusal.web-channel", req.Channel)
	}
	if err == nil && c.Disabled {
		return a, false, apperr.Say(apperr.KindInvalid, "channel", "alerts.refusal.channel-disabled", c.Name)
	}
	if err != nil {
		return a, false, err
	}
	got, err := s.receiveParsed(ctx, c, Inbound{GatewayID: req.ID, Message: req.Message, From: req.From, Name: req.Name,
		Location: req.Location, Lat: req.Lat, Lon: req.Lon, Intake: IntakePhone, TypedBy: u.Name}, nil)
	if err != nil {
		return a, false, err
	}
	if got.Duplicate {
		// A retry after a lost answer: the first send was stored. If the
		// text was edited meanwhile, the edit is not stored: say so.
		if err := s.sameAsStored(ctx, u, got, req); err != nil {
			return a, false, err
		}
	}
	// A retry too: the alert may have been stored without its triage.
	if err := s.TriageFromIntake(ctx, u, got.IncidentID, req.Category, req.Priority); err != nil {
		return a, false, err
	}
	return s.View(*got, u.Role), !got.Duplicate, nil
}

// sameAsStored checks that a retry (got, a duplicate of a stored alert by
// its client id) is u's and says what the stored alert says: message,
// reporter's number and name, and place; a keyed conflict on field id
// otherwise. A client id is its sender's own: another user's alert under
// it is refused before anything is compared, so that its reporter's sealed
// number and name cannot be confirmed by sending guesses (Reveal reads
// them, audited).
func (s *Service) sameAsStored(ctx context.Context, u *auth.User, got *Alert, req AlertRequest) error {
	conflict := apperr.Say(apperr.KindConflict, "id", "alerts.refusal.id-other-content", got.ID)
	if mine, err := s.typedBy(ctx, got, u.Name); err != nil {
		return err
	} else if !mine {
		return conflict
	}
	st, err := s.Store.Alert(ctx, got.ID)
	if err != nil {
		return err
	}
	open := s.openText // "" for nothing stored
	same := open(st.MessageSealed, AADMessage) == got.Message &&
		open(st.Location.TextSealed, AADLocationText) == got.Location.Text &&
		sameCoord(st.Location.Lat, got.Location.Lat) && sameCoord(st.Location.Lon, got.Location.Lon)
	if same && !st.Anonymised { // reporter details purged since: nothing to compare
		same = open(st.PhoneSealed, aadPhone) == req.From && open(st.NameSealed, aadName) == req.Name
	}
	if same {
		return nil
	}
	return conflict
}

// typedBy reports whether alert a was received in user's name (typed in
// by them: the timeline of the incident it came into says "alert N
// received" with them as its actor, as the store writes it for
// Inbound.TypedBy). An alert moved since (MoveAlert) is followed back to
// the incident it came into, where that line stayed, by the first "alert
// N moved here from incident M" line of each incident: M had it before it
// first came here, so each step goes back in time and the walk ends.
func (s *Service) typedBy(ctx context.Context, a *Alert, user string) (bool, error) {
	received := fmt.Sprintf("alert %d received ", a.ID)
	movedHere := fmt.Sprintf("alert %d moved here from incident ", a.ID)
	inc := a.IncidentID
	for range 1000 { // a bound for a timeline written by hand
		log, err := s.Store.Timeline(ctx, inc)
		if err != nil {
			return false, err
		}
		from := int64(0)
		for _, e := range log {
			if e.Kind == "alert" && strings.HasPrefix(e.Text, received) {
				return e.Actor == user, nil
			}
			if from == 0 && e.Kind == "merge" && strings.HasPrefix(e.Text, movedHere) {
				from, _ = strconv.ParseInt(strings.TrimPrefix(e.Text, movedHere), 10, 64)
			}
		}
		if from == 0 || from == inc {
			return false, nil
		}
		inc = from
	}
	return false, nil
}

func sameCoord(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// TriageFromIntake gives incident id the category and priority the
// responder chose when typing an alert in (each optional), in u's name: the
// category when the incident has none yet, the priority when it has none
// or a less urgent one (an alert joining an incident never lowers what was
// decided on it). Running it again changes nothing.
func (s *Service) TriageFromIntake(ctx context.Context, u *auth.User, id int64, category, priority string) error {
	if category == "" && priority == "" {
		return nil
	}
	in, err := s.Store.Incident(ctx, id)
	if err != nil {
		return err
	}
	var up Update
	if category != "" && in.Category == "" {
		up.Category = &category
	}
	if priority != "" && (in.Priority == "" || slices.Index(Priorities, priority) < slices.Index(Priorities, in.Priority)) {
		up.Priority = &priority
	}
	if up.Category == nil && up.Priority == nil {
		return nil
	}
	if _, err := s.Store.UpdateIncident(ctx, u.Name, id, up, s.now()); err != nil {
		return err
	}
	s.publish(Change{Kind: "incident", Incidents: []int64{id}})
	return nil
}

// ChannelRequest asks for a new intake channel.
type ChannelRequest struct {
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	Secret     string `json:"secret"`
	LegalBasis string `json:"legal_basis"`
	Tipline    bool   `json:"tipline"` // its messages also become content items (integrity)
	Lang       string `json:"lang"`    // the answers to its reporters: "en", "fr" or "" (each message's)
}

// AddChannel creates the channel req asks for, in actor's name, and
// returns it with its intake URL.
func (s *Service) AddChannel(ctx context.Context, actor string, req ChannelRequest) (ChannelView, error) {
	k, err := ParseKind(req.Kind)
	if err != nil {
		return ChannelView{}, apperr.Say(apperr.KindInvalid, "kind", "alerts.refusal.kind", req.Kind)
	}
	var opts []ChannelOption
	if req.Tipline {
		opts = append(opts, AsTipline)
	}
	if req.Lang != "" {
		opts = append(opts, InLang(req.Lang))
	}
	c, err := s.NewChannel(ctx, actor, k, req.Name, req.Secret, req.LegalBasis, opts...)
	if err != nil {
		return ChannelView{}, err
	}
	return s.ViewChannel(c), nil
}

// ChannelPatch changes an existing channel: Tipline marks it as a tipline
// (true) or an ordinary alert channel (false); Lang sets the language of
// the answers to its reporters ("en", "fr"; "" none); Disabled stops it
// taking messages (true: its gateway is refused, nothing is stored, its
// alerts stay) or lets it take them again (false). At least one is
// required.
type ChannelPatch struct {
	Tipline  *bool   `json:"tipline"`
	Lang     *string `json:"lang"`
	Disabled *bool   `json:"disabled"`
}

// PatchChannel applies req to channel id in actor's name (audited), as one
// change: checked before anything is written, then stored whole or not at
// all. It returns the channel with its intake URL; 404 for an unknown
// channel. The change applies to the next message: the intake cache is
// emptied.
func (s *Service) PatchChannel(ctx context.Context, actor string, id int64, req ChannelPatch) (ChannelView, error) {
	if req.Tipline == nil && req.Lang == nil && req.Disabled == nil {
		return ChannelView{}, apperr.Say(apperr.KindInvalid, "", "alerts.refusal.patch-empty")
	}
	if req.Lang != nil {
		if err := checkChannelLang(*req.Lang); err != nil {
			return ChannelView{}, err
		}
	}
	if err := s.Store.PatchChannel(ctx, actor, id, req); err != nil {
		return ChannelView{}, noChannel(id)(err)
	}
	s.ForgetChannels()
	c, err := s.channelByID(ctx, id)
	return s.ViewChannel(c), err
}

// noChannel says a store's apperr.ErrNotFound as "no channel id".
func noChannel(id int64) func(error) error {
	return func(err error) error {
		if errors.Is(err, apperr.ErrNotFound) {
			return apperr.Say(apperr.KindNotFound, "", "alerts.refusal.no-channel", id)
		}
		return err
	}
}

// channelByID is channel id as stored (its secret sealed); "no channel id"
// when there is none.
func (s *Service) channelByID(ctx context.Context, id int64) (Channel, error) {
	cs, err := s.Store.Channels(ctx)
	if err != nil {
		return Channel{}, err
	}
	for _, c := range cs {
		if c.ID == id {
			return c, nil
		}
	}
	return Channel{}, noChannel(id)(apperr.ErrNotFound)
}

// ForgetChannels empties what the service keeps of the channels (their
// opened secrets, AnswersBySMS's answer), so that a change to a channel
// or its broadcast settings (contacts.Service.GatewayChanged) applies to
// the next answer of the tipline's public form on this server; another
// server gives it within channelTTL. Intake's channels are the store's,
// which every server's store keeps fresh itself (Channel).
func (s *Service) ForgetChannels() {
	s.chMu.Lock()
	s.chCache = nil
	s.smsAt = time.Time{}
	s.chGen++
	s.chMu.Unlock()
}

// SecretRequest asks for a channel's new secret: for Twilio, the new auth
// token (Twilio makes it: rotate it in Twilio's console first); for
// SMSSync or a webhook, the new shared secret, or "" for one the server
// makes.
type SecretRequest struct {
	Secret string `json:"secret"`
}

// ChannelSecret answers a new secret: the channel, and the secret itself
// (shown this once, never stored in clear or said again; empty for a
// Twilio token, which the administrator typed).
type ChannelSecret struct {
	Channel ChannelView `json:"channel"`
	Secret  string      `json:"secret,omitempty"`
}

// maxSecretChars is the longest new secret RotateSecret takes, in
// characters (alerts.refusal.secret-length).
const maxSecretChars = 200

// RotateSecret replaces channel id's secret with the one req gives (8 to
// 200 characters), or one it makes, in actor's name (audited without it). The old secret stops
// working at once on this server (the intake cache is emptied). A web
// form channel has no secret; a Twilio channel's is the auth token Twilio
// made, which must be given.
func (s *Service) RotateSecret(ctx context.Context, actor string, id int64, req SecretRequest) (ChannelSecret, error) {
	c, err := s.channelByID(ctx, id)
	if err != nil {
		return ChannelSecret{}, err
	}
	secret := strings.TrimSpace(req.Secret)
	switch {
	case c.Kind == Web:
		return ChannelSecret{}, apperr.Say(apperr.KindInvalid, "", "alerts.refusal.secret-web", c.Name)
	case c.Kind == Twilio && secret == "":
		return ChannelSecret{}, apperr.Say(apperr.KindInvalid, "secret", "alerts.refusal.secret-twilio")
	case secret == "":
		secret = rand.Text() // 26 characters, 130 random bits
	case utf8.RuneCountInString(secret) < 8 || utf8.RuneCountInString(secret) > maxSecretChars:
		// Characters, as the refusal says: a French passphrase's
		// accents take two bytes each.
		return ChannelSecret{}, apperr.Say(apperr.KindInvalid, "secret", "alerts.refusal.secret-length")
	}
	if err := CheckText("secret", secret, utf8.UTFMax*maxSecretChars, true); err != nil {
		return ChannelSecret{}, err
	}
	sealed, err := s.Keys.Seal([]byte(secret), []byte(aadSecret))
	if err != nil {
		return ChannelSecret{}, err
	}
	if err := s.Store.SetChannelSecret(ctx, actor, id, sealed); err != nil {
		return ChannelSecret{}, noChannel(id)(err)
	}
	s.ForgetChannels()
	out := ChannelSecret{Channel: s.ViewChannel(c), Secret: secret}
	if c.Kind == Twilio {
		out.Secret = ""
	}
	return out, nil
}

// RemoveChannel removes channel id in actor's name (audited), when nothing
// names it; a channel that has taken alerts, sent replies or carried
// broadcasts is refused
// (a conflict saying how many): removing it would lose where they came
// from, and disabling it (ChannelPatch.Disabled) stops it while keeping
// its history.
func (s *Service) RemoveChannel(ctx context.Context, actor string, id int64) error {
	use, err := s.Store.RemoveChannel(ctx, actor, id)
	if err != nil {
		return noChannel(id)(err)
	}
	if use.Used() {
		return apperr.Say(apperr.KindConflict, "", "alerts.refusal.channel-used", use.Name, use.Alerts, use.Replies, use.Broadcasts)
	}
	s.ForgetChannels()
	return nil
}

// MoveRequest moves an alert to another open incident (0: a new one).
type MoveRequest struct {
	Incident *int64 `json:"incident"`
}

// Move applies req to alert id for u; a body without incident (null or
// {}) is refused rather than taken as "a new incident".
func (s *Service) Move(ctx context.Context, u *auth.User, id int64, req MoveRequest) (Incident, error) {
	if req.Incident == nil {
		return Incident{}, apperr.FieldErr(apperr.KindInvalid, "incident", apperr.Text("required (an open incident's id, or 0 for a new incident)"))
	}
	return s.MoveAlert(ctx, u, id, *req.Incident)
}

// EventRequest turns an incident into a conflict event.
type EventRequest struct {
	Violence string `json:"type_of_violence"` // default one-sided
	Best     int    `json:"best"`             // best estimate of deaths
}

// Event records incident id as an event in es, in actor's name, and
// answers the event's id and source.
func (s *Service) Event(ctx context.Context, actor string, id int64, es events.Store, req EventRequest) (map[string]any, error) {
	v := events.OneSided
	if req.Violence != "" {
		var err error
		if v, err = events.ParseViolenceType(req.Violence); err != nil {
			return nil, wholeRefusal(apperr.KindInvalid, "type_of_violence", err, "refusal.events.type", req.Violence) // the events package's words for the same check
		}
	}
	e, err := s.ToEvent(ctx, actor, id, es, v, req.Best)
	if err != nil {
		return nil, err
	}
	return map[string]any{"event_id": e.ID, "source": e.Source, "source_id": e.SourceID}, nil
}
