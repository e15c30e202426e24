package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/internal/apperr"
)

// The alert network's API: viewers read (masked, rounded), responders work
// the queue, analysts turn incidents into events, admins manage channels.
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

func mustUser(r *http.Request) *auth.User {
	u, _ := auth.UserFrom(r.Context())
	return u
}

// alertsList answers the alert list. With since_id (even 0) it is a poll:
// the oldest alerts above since_id first, so a client that falls behind
// walks every alert page by page; without it, the queue's newest-first view.
// Either way the Link header's rel="next" is the poll that continues after
// this answer (since_id = the highest id in it).
func (s *Server) alertsList(w http.ResponseWriter, r *http.Request, svc *alerts.Service) error {
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
	out, next, err := svc.ListAlerts(r.Context(), mustUser(r).Role,
		alerts.AlertFilter{SinceID: since, IncidentID: inc, Limit: int(limit), Ascending: q.Has("since_id")})
	if err != nil {
		return err
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

func (s *Server) alertsCreate(w http.ResponseWriter, r *http.Request, svc *alerts.Service) error {
	var req alertCreate
	if err := decodeJSON(w, r, alerts.MaxBodyBytes, &req); err != nil {
		return err
	}
	c, err := svc.Channel(r.Context(), req.Channel)
	if errors.Is(err, apperr.ErrNotFound) || (err == nil && c.Kind != alerts.Web) {
		return badRequest("channel", "unknown web channel %q", req.Channel)
	}
	if err != nil {
		return err
	}
	a, err := svc.Receive(r.Context(), c, alerts.Inbound{GatewayID: req.ID, Message: req.Message, From: req.From, Name: req.Name,
		Location: req.Location, Lat: req.Lat, Lon: req.Lon})
	if err != nil {
		return alerts.RetryLater(err)
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
		return err
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
	return reply(w, http.StatusCreated)(svc.Reply(r.Context(), mustUser(r), id, req.Message))
}

func (s *Server) incidentsList(w http.ResponseWriter, r *http.Request, svc *alerts.Service) error {
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
	in, err := s.countries(r)
	if err != nil {
		return err
	}
	f.In = in
	g, _ := s.gazetteer(r.Context())
	return reply(w, http.StatusOK)(svc.Queue(r.Context(), mustUser(r).Role, f, g, q.Get("lang")))
}

func (s *Server) incidentGet(w http.ResponseWriter, r *http.Request, svc *alerts.Service, id int64) error {
	g, _ := s.gazetteer(r.Context())
	return reply(w, http.StatusOK)(svc.IncidentPage(r.Context(), mustUser(r).Role, id, g, r.URL.Query().Get("lang")))
}

func (s *Server) incidentPatch(w http.ResponseWriter, r *http.Request, svc *alerts.Service, id int64) error {
	var up alerts.Update
	if err := decodeJSON(w, r, 16384, &up); err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.UpdateIncident(r.Context(), mustUser(r), id, up))
}

func (s *Server) incidentCAP(w http.ResponseWriter, r *http.Request, svc *alerts.Service, id int64) error {
	if err := checkParams(r.URL.Query(), "lang"); err != nil {
		return err
	}
	p, err := svc.PublishCAP(r.Context(), mustUser(r).Name, id, r.URL.Query().Get("lang"))
	if err != nil {
		return err
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
	return reply(w, http.StatusCreated)(map[string]any{"event_id": e.ID, "source": e.Source, "source_id": e.SourceID}, err)
}

func (s *Server) alertsStats(w http.ResponseWriter, r *http.Request, svc *alerts.Service) error {
	weeks, err := queryInt(r, "weeks", 12)
	if err != nil {
		return err
	}
	if weeks < 1 || weeks > 520 {
		return badRequest("weeks", "must be 1..520")
	}
	return reply(w, http.StatusOK)(svc.Dashboard(r.Context(), int(weeks)))
}

func (s *Server) capDoc(w http.ResponseWriter, r *http.Request, svc *alerts.Service) error {
	b, err := svc.CAPDocument(r.Context(), r.PathValue("identifier"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/cap+xml; charset=utf-8")
	_, err = w.Write(b)
	return err
}

func (s *Server) capFeed(w http.ResponseWriter, r *http.Request, svc *alerts.Service) error {
	b, err := svc.CAPFeed(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, err = w.Write(b)
	return err
}

func (s *Server) channelsList(w http.ResponseWriter, r *http.Request, svc *alerts.Service) error {
	return reply(w, http.StatusOK)(svc.ChannelViews(r.Context()))
}

func (s *Server) channelsCreate(w http.ResponseWriter, r *http.Request, svc *alerts.Service) error {
	var req struct {
		Kind       string `json:"kind"`
		Name       string `json:"name"`
		Secret     string `json:"secret"`
		LegalBasis string `json:"legal_basis"`
		Tipline    bool   `json:"tipline"` // its messages also become content items (integrity)
	}
	if err := decodeJSON(w, r, 4096, &req); err != nil {
		return err
	}
	k, err := alerts.ParseKind(req.Kind)
	if err != nil {
		return badRequest("kind", "%v", err)
	}
	var opts []alerts.ChannelOption
	if req.Tipline {
		opts = append(opts, alerts.AsTipline)
	}
	c, err := svc.NewChannel(r.Context(), mustUser(r).Name, k, req.Name, req.Secret, req.LegalBasis, opts...)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, svc.ViewChannel(c))
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
	return reply(w, http.StatusOK)(svc.MoveAlert(r.Context(), mustUser(r), id, *req.Incident))
}
