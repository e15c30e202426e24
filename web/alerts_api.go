package web

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/capxml"
	"github.com/vigil-project/vigil/events"
)

// The alert network's API: viewers read (masked, rounded), responders work
// the queue, analysts turn incidents into events, admins manage channels.
func pathInt(r *http.Request, name string) (int64, error) {
	v, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || v <= 0 {
		return 0, badRequest(name, "%q is not a positive integer", r.PathValue(name))
	}
	return v, nil
}

func queryInt(r *http.Request, name string, def int64) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		return 0, badRequest(name, "%q is not a non-negative integer", s)
	}
	return v, nil
}

// alertsRecord wraps an action on one alert or incident: it resolves the
// alert service and the {id} path value before calling fn.
func (s *Server) alertsRecord(fn func(w http.ResponseWriter, r *http.Request, svc *alerts.Service, id int64) error) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		svc, err := s.alertsSvc()
		if err != nil {
			return err
		}
		id, err := pathInt(r, "id")
		if err != nil {
			return err
		}
		return fn(w, r, svc, id)
	}
}

// alertFor returns an alert as role may see it: masked reporter and rounded
// location (svc.View), and no message text or gateway id below responder,
// since the words of a message may identify people.
func alertFor(svc *alerts.Service, a alerts.Alert, role auth.Role) alerts.Alert {
	v := svc.View(a, role)
	if !role.AtLeast(auth.Responder) {
		v.Message, v.GatewayID = "", ""
	}
	return v
}

func mustUser(r *http.Request) *auth.User {
	u, _ := auth.UserFrom(r.Context())
	return u
}

// alertsList answers the alert list. With since_id (even 0) it is a poll:
// the oldest alerts above since_id first, so a client that falls behind
// walks every alert page by page; without it, the queue's newest-first view.
// Either way the Link header's rel="next" is the poll that continues after
// this answer (since_id = the highest id in it).
func (s *Server) alertsList(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.alertsSvc()
	if err != nil {
		return err
	}
	q := r.URL.Query()
	since, err := queryInt(r, "since_id", 0)
	if err != nil {
		return err
	}
	inc, err := queryInt(r, "incident", 0)
	if err != nil {
		return err
	}
	limit, err := queryInt(r, "limit", 200)
	if err != nil {
		return err
	}
	if limit < 1 || limit > alerts.MaxAlertPage {
		return badRequest("limit", "%d is outside 1..%d", limit, alerts.MaxAlertPage)
	}
	polling := q.Has("since_id")
	as, err := svc.Store.Alerts(r.Context(), alerts.AlertFilter{SinceID: since, IncidentID: inc, Limit: int(limit), Ascending: polling})
	if err != nil {
		return err
	}
	u := mustUser(r)
	out := make([]alerts.Alert, 0, len(as))
	next := since
	for _, a := range as {
		out = append(out, alertFor(svc, a, u.Role))
		next = max(next, a.ID)
	}
	nq := url.Values{"since_id": {strconv.FormatInt(next, 10)}, "limit": {strconv.FormatInt(limit, 10)}}
	if inc > 0 {
		nq.Set("incident", strconv.FormatInt(inc, 10))
	}
	w.Header().Set("Link", "</api/v1/alerts?"+nq.Encode()+`>; rel="next"`)
	writeJSON(w, http.StatusOK, out)
	return nil
}

type alertCreate struct {
	Channel  string   `json:"channel"` // key of a web channel
	Message  string   `json:"message"`
	From     string   `json:"from"`
	Name     string   `json:"name"`
	Location string   `json:"location"`
	Lat      *float64 `json:"lat"`
	Lon      *float64 `json:"lon"`
	ID       string   `json:"id"` // client id for idempotent retries
}

func (s *Server) alertsCreate(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.alertsSvc()
	if err != nil {
		return err
	}
	var req alertCreate
	if err := decodeJSON(w, r, alerts.MaxBodyBytes, &req); err != nil {
		return err
	}
	c, err := svc.Channel(r.Context(), req.Channel)
	if errors.Is(err, alerts.ErrNotFound) || (err == nil && c.Kind != alerts.Web) {
		return badRequest("channel", "unknown web channel %q", req.Channel)
	}
	if err != nil {
		return err
	}
	a, err := svc.Receive(r.Context(), c, alerts.Inbound{GatewayID: req.ID, Message: req.Message, From: req.From, Name: req.Name,
		Location: req.Location, Lat: req.Lat, Lon: req.Lon})
	if err != nil {
		return retryLater(w, err)
	}
	status := http.StatusCreated
	if a.Duplicate {
		status = http.StatusOK
	}
	writeJSON(w, status, svc.View(*a, mustUser(r).Role))
	return nil
}

func (s *Server) alertsReveal(w http.ResponseWriter, r *http.Request, svc *alerts.Service, id int64) error {
	var req struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(w, r, 4096, &req); err != nil {
		return err
	}
	a, err := svc.Reveal(r.Context(), mustUser(r), id, req.Reason)
	if err != nil {
		return intakeErr(err)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) alertsReply(w http.ResponseWriter, r *http.Request, svc *alerts.Service, id int64) error {
	var req struct {
		Message string `json:"message"`
	}
	if err := decodeJSON(w, r, 8192, &req); err != nil {
		return err
	}
	m, err := svc.Reply(r.Context(), mustUser(r), id, req.Message)
	if err != nil {
		return intakeErr(err)
	}
	writeJSON(w, http.StatusCreated, m)
	return nil
}

func (s *Server) incidentsList(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.alertsSvc()
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := alerts.IncidentFilter{OpenOnly: q.Get("open") == "1" || q.Get("open") == "true"}
	if st := q.Get("status"); st != "" {
		for _, p := range strings.Split(st, ",") {
			v, err := alerts.ParseStatus(p)
			if err != nil {
				return badRequest("status", "%v", err)
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
				return badRequest(t.k, "%q is not an RFC 3339 time", v)
			}
			*t.p = tt
		}
	}
	ins, err := svc.Store.Incidents(r.Context(), f)
	if err != nil {
		return intakeErr(err)
	}
	role := mustUser(r).Role
	out := make([]alerts.Incident, 0, len(ins))
	for _, in := range ins {
		out = append(out, svc.ViewIncident(in, role))
	}
	if err := s.decorateIncidents(r, svc, role, out); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// previewBytes bounds the queue's message preview.
const previewBytes = 160

// decorateIncidents fills what the queue shows of each incident: the place
// by name (the located place's name, else the gazetteer's label of its
// point, in the lang query parameter's language) and, for roles that may
// read messages, a preview of its first alert's text.
func (s *Server) decorateIncidents(r *http.Request, svc *alerts.Service, role auth.Role, ins []alerts.Incident) error {
	lang := r.URL.Query().Get("lang")
	if g, err := s.gazetteer(r.Context()); err == nil {
		for i := range ins {
			l := ins[i].Location
			switch {
			case l.Place != "":
				ins[i].PlaceLabel = l.Place
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
	first, err := svc.Store.FirstAlerts(r.Context(), ids)
	if err != nil {
		return err
	}
	for i := range ins {
		if a, ok := first[ins[i].ID]; ok {
			ins[i].Preview = clip(alertFor(svc, a, role).Message, previewBytes)
		}
	}
	return nil
}

// clip shortens s to at most n bytes on a rune boundary, marking a cut with "…".
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return strings.TrimSpace(s[:i]) + "…"
}

func (s *Server) incidentGet(w http.ResponseWriter, r *http.Request, svc *alerts.Service, id int64) error {
	in, err := svc.Store.Incident(r.Context(), id)
	if err != nil {
		return intakeErr(err)
	}
	u := mustUser(r)
	as, err := svc.Store.Alerts(r.Context(), alerts.AlertFilter{IncidentID: id, Limit: 1000})
	if err != nil {
		return err
	}
	views := make([]alerts.Alert, 0, len(as))
	for _, a := range as {
		views = append(views, alertFor(svc, a, u.Role))
	}
	tl, err := svc.Store.Timeline(r.Context(), id)
	if err != nil {
		return err
	}
	if !u.Role.AtLeast(auth.Responder) {
		var keep []alerts.LogEntry
		for _, l := range tl {
			if l.Kind == "status" || l.Kind == "escalate" || l.Kind == "cap" || l.Kind == "event" || l.Kind == "alert" {
				keep = append(keep, l)
			}
		}
		tl = keep
	}
	if tl == nil {
		tl = []alerts.LogEntry{}
	}
	if !u.Role.AtLeast(auth.Responder) {
		in.Summary = ""
		in.Location.Note = ""
		in.ReporterSex = "" // about a person: counted in the stats, not shown per incident
	}
	view := []alerts.Incident{svc.ViewIncident(in, u.Role)}
	if err := s.decorateIncidents(r, svc, u.Role, view); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"incident": view[0], "alerts": views, "timeline": tl})
	return nil
}

func (s *Server) incidentPatch(w http.ResponseWriter, r *http.Request, svc *alerts.Service, id int64) error {
	var up alerts.Update
	if err := decodeJSON(w, r, 16384, &up); err != nil {
		return err
	}
	in, err := svc.UpdateIncident(r.Context(), mustUser(r), id, up)
	if err != nil {
		var fe *alerts.FieldError
		if errors.As(err, &fe) && fe.Field == "status" && strings.HasPrefix(fe.Msg, "cannot move") {
			return &Error{Status: http.StatusConflict, Field: "status", Msg: fe.Error()}
		}
		return intakeErr(err)
	}
	writeJSON(w, http.StatusOK, in)
	return nil
}

func (s *Server) incidentCAP(w http.ResponseWriter, r *http.Request, svc *alerts.Service, id int64) error {
	p, err := svc.PublishCAP(r.Context(), mustUser(r).Name, id)
	if err != nil {
		var fe *capxml.FieldError
		if errors.As(err, &fe) {
			return badRequest(fe.Field, "%s", fe.Error())
		}
		return intakeErr(err)
	}
	writeJSON(w, http.StatusCreated, map[string]any{"identifier": p.Identifier, "sent": p.Sent,
		"url": "/api/v1/alerts/cap/" + p.Identifier})
	return nil
}

func (s *Server) incidentEvent(w http.ResponseWriter, r *http.Request, svc *alerts.Service, id int64) error {
	if s.Events == nil {
		return errorf(http.StatusServiceUnavailable, "no events store")
	}
	var err error
	var req struct {
		Violence string `json:"type_of_violence"`
		Best     int    `json:"best"`
	}
	if err := decodeJSON(w, r, 4096, &req); err != nil {
		return err
	}
	v := events.OneSided
	if req.Violence != "" {
		if v, err = events.ParseViolenceType(req.Violence); err != nil {
			return badRequest("type_of_violence", "%v", err)
		}
	}
	e, err := svc.ToEvent(r.Context(), mustUser(r).Name, id, s.Events, v, req.Best)
	if err != nil {
		var fe *events.FieldError
		if errors.As(err, &fe) {
			return badRequest(fe.Field, "%s", fe.Error())
		}
		return intakeErr(err)
	}
	writeJSON(w, http.StatusCreated, map[string]any{"event_id": e.ID, "source": e.Source, "source_id": e.SourceID})
	return nil
}

func (s *Server) alertsStats(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.alertsSvc()
	if err != nil {
		return err
	}
	weeks, err := queryInt(r, "weeks", 12)
	if err != nil {
		return err
	}
	if weeks < 1 || weeks > 520 {
		return badRequest("weeks", "must be 1..520")
	}
	ins, err := svc.Store.Incidents(r.Context(), alerts.IncidentFilter{Since: svc.Now().AddDate(0, 0, -7*int(weeks)), Limit: 10000})
	if err != nil {
		return err
	}
	st := alerts.Stats(ins)
	if st == nil {
		st = []alerts.WeekStats{}
	}
	b := alerts.Breakdowns(ins)
	writeJSON(w, http.StatusOK, map[string]any{"sla": map[string]float64{"triage_s": svc.SLA.Triage.Seconds(), "response_s": svc.SLA.Response.Seconds()}, "weeks": st,
		"by_category": b.ByCategory, "by_reporter_sex": b.ByReporterSex})
	return nil
}

func (s *Server) capDoc(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.alertsSvc()
	if err != nil {
		return err
	}
	id := strings.TrimSuffix(r.PathValue("identifier"), ".xml")
	p, err := svc.Store.CAPPublication(r.Context(), id)
	if err != nil {
		return intakeErr(err)
	}
	w.Header().Set("Content-Type", "application/cap+xml; charset=utf-8")
	_, err = w.Write(p.XML)
	return err
}

func (s *Server) capFeed(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.alertsSvc()
	if err != nil {
		return err
	}
	ps, err := svc.Store.CAPPublications(r.Context(), 0, 100)
	if err != nil {
		return err
	}
	base := strings.TrimRight(svc.BaseURL, "/")
	var es []capxml.FeedEntry
	for _, p := range ps {
		es = append(es, capxml.FeedEntry{ID: "urn:vigil:cap:" + p.Identifier, Title: p.Headline, Updated: p.Sent,
			Link: base + "/api/v1/alerts/cap/" + p.Identifier})
	}
	var b bytes.Buffer
	if err := capxml.WriteFeed(&b, "urn:vigil:cap:feed", "Vigil verified incidents", "Vigil", base+"/api/v1/alerts/cap/feed.atom", es); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, err = w.Write(b.Bytes())
	return err
}

type channelView struct {
	alerts.Channel
	URL string `json:"intake_url"`
}

func (s *Server) channelsList(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.alertsSvc()
	if err != nil {
		return err
	}
	cs, err := svc.Store.Channels(r.Context())
	if err != nil {
		return err
	}
	out := make([]channelView, 0, len(cs))
	for _, c := range cs {
		out = append(out, channelView{c, strings.TrimRight(svc.BaseURL, "/") + alerts.IntakePath(c)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) channelsCreate(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.alertsSvc()
	if err != nil {
		return err
	}
	var req struct {
		Kind       string `json:"kind"`
		Name       string `json:"name"`
		Secret     string `json:"secret"`
		LegalBasis string `json:"legal_basis"`
	}
	if err := decodeJSON(w, r, 4096, &req); err != nil {
		return err
	}
	k, err := alerts.ParseKind(req.Kind)
	if err != nil {
		return badRequest("kind", "%v", err)
	}
	c, err := svc.NewChannel(r.Context(), mustUser(r).Name, k, req.Name, req.Secret, req.LegalBasis)
	if err != nil {
		return intakeErr(err)
	}
	writeJSON(w, http.StatusCreated, channelView{c, strings.TrimRight(svc.BaseURL, "/") + alerts.IntakePath(c)})
	return nil
}

func (s *Server) alertsMove(w http.ResponseWriter, r *http.Request, svc *alerts.Service, id int64) error {
	var req struct {
		Incident *int64 `json:"incident"`
	}
	if err := decodeJSON(w, r, 1024, &req); err != nil {
		return err
	}
	if req.Incident == nil { // a body of null or {} must not move the alert to a new incident
		return badRequest("incident", "incident: required (an open incident's id, or 0 for a new incident)")
	}
	in, err := svc.MoveAlert(r.Context(), mustUser(r), id, *req.Incident)
	if err != nil {
		return intakeErr(err)
	}
	writeJSON(w, http.StatusOK, in)
	return nil
}
