package alerts

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"time"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/capxml"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/download"
	"github.com/vigil-project/vigil/internal/nonnil"
	"github.com/vigil-project/vigil/internal/textscan"
)

// What the queue, the incident page, the statistics, the CAP feed and the
// channel administration show, computed for one role (the web handlers
// only decode the request and encode these answers).

// ViewFor returns an alert as role may see it: masked reporter and rounded
// location (View), and no message text or gateway id below responder,
// since the words of a message may identify people.
func (s *Service) ViewFor(a Alert, role auth.Role) Alert {
	v := s.View(a, role)
	if !role.AtLeast(auth.Responder) {
		v.Message, v.GatewayID = "", ""
	}
	return v
}

// ListAlerts returns the alerts f selects as role may see them, and the
// highest id among them and f.SinceID (where a poll continues).
func (s *Service) ListAlerts(ctx context.Context, role auth.Role, f AlertFilter) ([]Alert, int64, error) {
	as, err := s.Store.Alerts(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	out := make([]Alert, 0, len(as))
	next := f.SinceID
	for _, a := range as {
		out = append(out, s.ViewFor(a, role))
		next = max(next, a.ID)
	}
	return out, next, nil
}

// PreviewBytes bounds the queue's message preview.
const PreviewBytes = 160

// Queue returns the incidents f selects as role may see them, each with its
// place by name (the located place's name, else g's label of its point in
// lang; g may be nil) and, for roles that may read messages, a preview of
// its first alert's text.
func (s *Service) Queue(ctx context.Context, role auth.Role, f IncidentFilter, g *geotext.Gazetteer, lang string) ([]Incident, error) {
	ins, err := s.Store.Incidents(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]Incident, 0, len(ins))
	for _, in := range ins {
		if l := in.Location; f.In != nil && (l.Lat == nil || l.Lon == nil || !f.In.At(*l.Lat, *l.Lon)) {
			continue
		}
		out = append(out, s.ViewIncident(in, role))
	}
	return out, s.decorate(ctx, role, out, g, lang)
}

func (s *Service) decorate(ctx context.Context, role auth.Role, ins []Incident, g *geotext.Gazetteer, lang string) error {
	if g != nil {
		for i := range ins {
			l := ins[i].Location
			switch {
			case l.Place != "":
				ins[i].PlaceLabel = geotext.CountriesIn(l.Place, lang) // as chosen, maybe in another language
			case l.Lat != nil && l.Lon != nil:
				if pl, ok := g.Label(*l.Lat, *l.Lon); ok {
					ins[i].PlaceLabel = pl.Text(lang)
				}
			}
		}
	}
	if !role.AtLeast(auth.Responder) || len(ins) == 0 {
		return nil
	}
	ids := make([]int64, len(ins))
	for i, in := range ins {
		ids[i] = in.ID
	}
	first, err := s.Store.FirstAlerts(ctx, ids)
	if err != nil {
		return err
	}
	for i := range ins {
		if a, ok := first[ins[i].ID]; ok {
			msg := s.ViewFor(a, role).Message
			ins[i].Preview = Clip(msg, PreviewBytes)
			if full := Clip(msg, MaxMessageBytes); full != ins[i].Preview {
				ins[i].PreviewFull = full
			}
		}
	}
	return nil
}

// Clip shortens s (its spaces squeezed) to at most n bytes, marking a cut
// with "…": after a whole word (a run of non-space characters, so that a
// date such as 2018-12-31 is one; it was cut inside it, « le 2018-12-3… »)
// without the comma, semicolon or colon that ended it; a first word longer
// than n is cut on a character boundary.
func Clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	c := textscan.Clip(s, n)
	if s[len(c)] != ' ' { // inside a word: back to the word before it
		if i := strings.LastIndexByte(c, ' '); i > 0 {
			c = c[:i]
		}
	}
	if w := strings.TrimRight(strings.TrimSpace(c), ",;:"); w != "" {
		c = w
	}
	return strings.TrimSpace(c) + "…"
}

// IncidentPage is one incident with its alerts and timeline (the fields in
// the order the API has always answered them).
type IncidentPage struct {
	Alerts   []Alert    `json:"alerts"`
	Incident Incident   `json:"incident"`
	Timeline []LogEntry `json:"timeline"`
	// CAP lists the incident's CAP 1.2 publications, newest first (each
	// served at /api/v1/alerts/cap/IDENTIFIER).
	CAP []CAPPublication `json:"cap"`
	// Notices are the escalation notices about the incident nobody was
	// told of (given up, waiting long, or no webhook), for analysts and
	// admins; none below analyst.
	Notices []IncidentNotice `json:"undelivered_notices,omitempty"`
	// ReplyRoutes say, by alert id, how a reply to each alert's reporter
	// would go (ReplyRoute, its refusal in the page's language), so that
	// the reply form says it before the responder writes; only alerts
	// with a reporter's number, for responders and up.
	ReplyRoutes map[int64]ReplyRoute `json:"reply_routes,omitempty"`
}

// publicLog are the timeline kinds shown below responder.
var publicLog = map[string]bool{"status": true, "escalate": true, "cap": true, "event": true, "alert": true}

// IncidentPage returns incident id as role may see it, the countries of
// its alerts' location notes and its location lines named in lang.
func (s *Service) IncidentPage(ctx context.Context, role auth.Role, id int64, g *geotext.Gazetteer, lang string) (IncidentPage, error) {
	in, err := s.Store.Incident(ctx, id)
	if err != nil {
		return IncidentPage{}, err
	}
	as, err := s.Store.Alerts(ctx, AlertFilter{IncidentID: id, Limit: 1000})
	if err != nil {
		return IncidentPage{}, err
	}
	p := IncidentPage{Alerts: make([]Alert, 0, len(as))}
	var routes map[int64]ReplyRoute // by channel
	for _, a := range as {
		if role.AtLeast(auth.Responder) && len(a.PhoneSealed) > 0 {
			if p.ReplyRoutes == nil {
				p.ReplyRoutes, routes = map[int64]ReplyRoute{}, map[int64]ReplyRoute{}
			}
			r, ok := routes[a.ChannelID]
			if !ok {
				if r, err = s.replyRoute(ctx, a.ChannelID, lang); err != nil {
					return IncidentPage{}, err
				}
				routes[a.ChannelID] = r
			}
			p.ReplyRoutes[a.ID] = s.routeBy(a, r)
		}
		v := s.ViewFor(a, role)
		v.Location.Note = geotext.CountriesIn(v.Location.Note, lang) // stored in English
		p.Alerts = append(p.Alerts, v)
	}
	tl, err := s.Store.Timeline(ctx, id)
	if err != nil {
		return IncidentPage{}, err
	}
	if !role.AtLeast(auth.Responder) {
		var keep []LogEntry
		for _, l := range tl {
			if l.Kind == "escalate" && strings.HasPrefix(l.Text, HandEscalation+": ") {
				l.Text = HandEscalation // the reason is the officer's words about the incident
			}
			if publicLog[l.Kind] {
				keep = append(keep, l)
			}
		}
		tl = keep
		in.Summary = ""
		in.Location.Note = ""
	}
	if tl == nil {
		tl = []LogEntry{}
	}
	for i := range tl {
		if tl[i].Kind == "location" { // "location set by hand to PLACE (COUNTRY) (…)"
			tl[i].Text = geotext.CountriesIn(tl[i].Text, lang)
		}
	}
	p.Timeline = tl
	if p.CAP, err = s.Store.CAPPublications(ctx, id, 100); err != nil {
		return IncidentPage{}, err
	}
	if p.CAP == nil {
		p.CAP = []CAPPublication{}
	}
	view := []Incident{s.ViewIncident(in, role)}
	if err := s.decorate(ctx, role, view, g, lang); err != nil {
		return IncidentPage{}, err
	}
	p.Incident = view[0]
	if role.AtLeast(auth.Analyst) {
		if p.Notices, err = s.incidentNotices(ctx, id); err != nil {
			return IncidentPage{}, err
		}
	}
	return p, nil
}

// SLASeconds are the SLA targets in seconds.
type SLASeconds struct {
	ResponseS float64 `json:"response_s"`
	TriageS   float64 `json:"triage_s"`
}

// Dashboard is the SLA dashboard: weekly times and the breakdowns.
type Dashboard struct {
	ByCategory map[string]int `json:"by_category"`
	// BySource counts the period's alerts (not incidents) by how they came
	// in: each of Sources, 0 when none.
	BySource      map[string]int `json:"by_source"`
	ByReporterSex map[string]int `json:"by_reporter_sex,omitempty"` // responders and above only
	SLA           SLASeconds     `json:"sla"`
	Weeks         []WeekStats    `json:"weeks"`
}

// Dashboard computes the statistics of the incidents of the last weeks.
func (s *Service) Dashboard(ctx context.Context, weeks int) (Dashboard, error) {
	since := s.Now().AddDate(0, 0, -7*weeks)
	ins, err := s.Store.Incidents(ctx, IncidentFilter{Since: since, Limit: 10000})
	if err != nil {
		return Dashboard{}, err
	}
	st := Stats(ins)
	if st == nil {
		st = []WeekStats{}
	}
	b := Breakdowns(ins)
	bySource, err := s.bySource(ctx, since)
	if err != nil {
		return Dashboard{}, err
	}
	return Dashboard{ByCategory: b.ByCategory, BySource: bySource, ByReporterSex: b.ByReporterSex,
		SLA: SLASeconds{TriageS: s.SLA.Triage.Seconds(), ResponseS: s.SLA.Response.Seconds()}, Weeks: st}, nil
}

// bySource counts the alerts received at or after since by Source: the
// channel's kind, or the alert's intake when it has one.
func (s *Service) bySource(ctx context.Context, since time.Time) (map[string]int, error) {
	out := map[string]int{}
	for _, k := range Sources {
		out[k] = 0
	}
	counts, err := s.Store.AlertCounts(ctx, since)
	if err != nil || len(counts) == 0 {
		return out, err
	}
	cs, err := s.Store.Channels(ctx)
	if err != nil {
		return nil, err
	}
	kind := map[int64]Kind{}
	for _, c := range cs {
		kind[c.ID] = c.Kind
	}
	for _, n := range counts {
		out[Source(kind[n.ChannelID], n.Intake)] += n.N
	}
	return out, nil
}

// CAPDocument returns a published CAP document (application/cap+xml) by its identifier (with or
// without ".xml").
func (s *Service) CAPDocument(ctx context.Context, identifier string) (*download.File, error) {
	p, err := s.Store.CAPPublication(ctx, strings.TrimSuffix(identifier, ".xml"))
	if err != nil {
		return nil, err
	}
	return &download.File{Type: "application/cap+xml; charset=utf-8", Body: p.XML}, nil
}

func (s *Service) base() string { return strings.TrimRight(s.BaseURL, "/") }

// CAPFeed is the Atom feed (application/atom+xml) of the last 100 published CAP documents.
func (s *Service) CAPFeed(ctx context.Context) (*download.File, error) {
	ps, err := s.Store.CAPPublications(ctx, 0, 100)
	if err != nil {
		return nil, err
	}
	var es []capxml.FeedEntry
	for _, p := range ps {
		es = append(es, capxml.FeedEntry{ID: "urn:vigil:cap:" + p.Identifier, Title: p.Headline, Updated: p.Sent,
			Link: s.base() + "/api/v1/alerts/cap/" + p.Identifier})
	}
	var b bytes.Buffer
	if err := capxml.WriteFeed(&b, "urn:vigil:cap:feed", "Vigil verified incidents", "Vigil", s.base()+"/api/v1/alerts/cap/feed.atom", es); err != nil {
		return nil, err
	}
	return &download.File{Type: "application/atom+xml; charset=utf-8", Body: b.Bytes()}, nil
}

// ChannelView is a channel with the URL its gateway posts to.
type ChannelView struct {
	Channel
	URL string `json:"intake_url"`
}

// ViewChannel adds c's intake URL.
func (s *Service) ViewChannel(c Channel) ChannelView { return ChannelView{c, s.base() + IntakePath(c)} }

// ChannelViews lists the channels with their intake URLs.
func (s *Service) ChannelViews(ctx context.Context) ([]ChannelView, error) {
	cs, err := s.Store.Channels(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ChannelView, 0, len(cs))
	for _, c := range cs {
		out = append(out, s.ViewChannel(c))
	}
	return out, nil
}

// ChannelStats is one channel's traffic for the admin page.
type ChannelStats struct {
	Channel int64 `json:"channel"`
	// Messages counts the alerts the channel's own route delivered (its
	// gateway, its public web form); Phone those taken by telephone or in
	// person and typed in under it (Intake IntakePhone), counted apart.
	Messages int `json:"messages"`
	Phone    int `json:"phone"`
	// Replies counts the replies sent through it (answers to alerts'
	// senders), Broadcasts the broadcasts it carried (one each, however
	// many messages; scheduled ones too), as RemoveChannel's refusal
	// counts and says them: a channel with any is not removed.
	Replies    int        `json:"replies"`
	Broadcasts int        `json:"broadcasts"`
	LastSeen   *time.Time `json:"last_seen,omitempty"`
	// Throttled counts web-form posts refused by the intake budget
	// (throttle.go), on every server.
	Throttled int64 `json:"throttled,omitempty"`
}

// ChannelStats counts the alerts each channel received (through its own
// route, and taken by telephone or in person) and when the last arrived
// (Store.AlertCounts: no message is opened), the replies and broadcasts
// it sent (Store.SentCounts) and the web-form posts refused by the intake
// budget.
func (s *Service) ChannelStats(ctx context.Context) ([]*ChannelStats, error) {
	cs, err := s.Store.Channels(ctx)
	if err != nil {
		return nil, err
	}
	by := map[int64]*ChannelStats{}
	out := make([]*ChannelStats, 0, len(cs))
	for _, c := range cs {
		st := &ChannelStats{Channel: c.ID}
		by[c.ID] = st
		out = append(out, st)
	}
	counts, err := s.Store.AlertCounts(ctx, time.Time{})
	if err != nil {
		return nil, err
	}
	for _, n := range counts {
		st := by[n.ChannelID]
		if st == nil {
			continue
		}
		if n.Intake == IntakePhone {
			st.Phone += n.N
		} else {
			st.Messages += n.N
		}
		if st.LastSeen == nil || n.Last.After(*st.LastSeen) {
			t := n.Last
			st.LastSeen = &t
		}
	}
	sent, err := s.Store.SentCounts(ctx)
	if err != nil {
		return nil, err
	}
	for _, st := range out {
		st.Replies, st.Broadcasts = sent[st.Channel].Replies, sent[st.Channel].Broadcasts
	}
	if ts, ok := s.Store.(ThrottleStore); ok {
		th, err := ts.ChannelsThrottled(ctx)
		if err != nil {
			return nil, err
		}
		for _, st := range out {
			st.Throttled = th[st.Channel]
			if s.Throttle != nil {
				st.Throttled += s.Throttle.unflushed(st.Channel)
			}
		}
	}
	return out, nil
}

// MarkSent records that a gateway sent the queued messages uuids of
// channel c; it returns those it knew (never nil).
func (s *Service) MarkSent(ctx context.Context, c Channel, uuids []string) ([]string, error) {
	return nonnil.List(s.Store.MarkOutgoingSent(ctx, c.ID, uuids, s.now()))
}

// DefaultMaxStreams bounds the open live-queue streams of a Service.
const DefaultMaxStreams = 1000

// OpenStream counts a live-queue stream; it reports false when MaxStreams
// (DefaultMaxStreams when 0) are already open. Call release when the
// stream ends.
func (s *Service) OpenStream() (release func(), ok bool) {
	limit := int64(s.MaxStreams)
	if limit == 0 {
		limit = DefaultMaxStreams
	}
	if s.streams.Add(1) > limit {
		s.streams.Add(-1)
		return nil, false
	}
	var once atomic.Bool
	return func() {
		if once.CompareAndSwap(false, true) {
			s.streams.Add(-1)
		}
	}, true
}

// QueueVersion is the store's change counter (the live stream's hello).
func (s *Service) QueueVersion(ctx context.Context) (int64, error) { return s.Store.QueueVersion(ctx) }

// ErrUnknownChannel is a channel key that names no channel of the kind
// asked (or a disabled one).
var ErrUnknownChannel = apperr.NotFound("unknown channel")

// IntakeChannel returns the enabled channel of kind with key.
func (s *Service) IntakeChannel(ctx context.Context, kind Kind, key string) (Channel, error) {
	if len(key) > 64 {
		return Channel{}, ErrUnknownChannel
	}
	c, err := s.Channel(ctx, key)
	if errors.Is(err, apperr.ErrNotFound) || (err == nil && (c.Kind != kind || c.Disabled)) {
		return Channel{}, ErrUnknownChannel
	}
	return c, err
}
