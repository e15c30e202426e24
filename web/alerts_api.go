package web

import (
	"net/http"
	"strings"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/internal/lang"
)

// The alert network's API: viewers read (masked, rounded), responders work
// the queue, analysts turn incidents into events, admins manage channels.

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
	out, next, err := svc.AlertPage(r.Context(), mustUser(r).Role, r.URL.Query())
	if err != nil {
		return err
	}
	w.Header().Set("Link", "</api/v1/alerts?"+next.Encode()+`>; rel="next"`)
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) alertsCreate(w http.ResponseWriter, r *http.Request, svc *alerts.Service) error {
	var req alerts.AlertRequest
	if err := decodeJSON(w, r, alerts.MaxBodyBytes, &req); err != nil {
		return err
	}
	a, created, err := svc.Submit(r.Context(), mustUser(r), req)
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return reply(w, status)(a, err)
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
	f, err := alerts.ParseIncidentQuery(r.URL.Query())
	if err != nil {
		return err
	}
	if f.In, err = s.countries(r); err != nil {
		return err
	}
	g, _ := s.gazetteer(r.Context())
	return reply(w, http.StatusOK)(svc.Queue(r.Context(), mustUser(r).Role, f, g, r.URL.Query().Get("lang")))
}

func (s *Server) incidentGet(w http.ResponseWriter, r *http.Request, svc *alerts.Service, id int64) error {
	g, _ := s.gazetteer(r.Context())
	p, err := svc.IncidentPage(r.Context(), mustUser(r).Role, id, g, r.URL.Query().Get("lang"))
	if err == nil {
		err = sayDeliveries(p.Timeline, lang.Pick(r.URL.Query().Get("lang"), ""))
	}
	return reply(w, http.StatusOK)(p, err)
}

// sayDeliveries says why each failed reply of a timeline failed (or why
// its last try did, when it is queued to be tried again), as the
// broadcast failures say it (contacts.Explain): its reason code, the
// dictionary key and args the page says it with, and its words in
// language l.
func sayDeliveries(tl []alerts.LogEntry, l string) error {
	for _, e := range tl {
		d := e.Delivery
		if d != nil && d.State == alerts.DeliveryWithheld {
			if err := sayWithheld(d, l); err != nil {
				return err
			}
			continue
		}
		if d == nil || d.State != alerts.DeliveryFailed && !d.Failed() {
			continue
		}
		rs := []contacts.Reason{contacts.Explain(d.Code, d.Error, d.Kind)}
		if err := sayReasons(rs, l); err != nil {
			return err
		}
		d.Code, d.Key, d.Args, d.Reason = rs[0].Code, rs[0].Key, rs[0].Args, rs[0].Reason
	}
	return nil
}

func (s *Server) incidentPatch(w http.ResponseWriter, r *http.Request, svc *alerts.Service, id int64) error {
	var up alerts.Update
	if err := decodeJSON(w, r, 16384, &up); err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.UpdateIncident(r.Context(), mustUser(r), id, up))
}

// incidentEscalate escalates an open incident now, by hand, with a reason
// (alerts.Service.EscalateIncident: audited, timeline, webhook).
func (s *Server) incidentEscalate(w http.ResponseWriter, r *http.Request, svc *alerts.Service, id int64) error {
	var req alerts.EscalateRequest
	if err := decodeJSON(w, r, 8192, &req); err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.EscalateIncident(r.Context(), mustUser(r), id, req))
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
		return sayError(http.StatusServiceUnavailable, "alerts.refusal.no-events")
	}
	var req alerts.EventRequest
	if err := decodeJSON(w, r, 4096, &req); err != nil {
		return err
	}
	return reply(w, http.StatusCreated)(svc.Event(r.Context(), mustUser(r).Name, id, s.Events, req))
}

func (s *Server) alertsStats(w http.ResponseWriter, r *http.Request, svc *alerts.Service) error {
	return reply(w, http.StatusOK)(svc.DashboardQuery(r.Context(), mustUser(r).Role, r.URL.Query()))
}

func (s *Server) channelsList(w http.ResponseWriter, r *http.Request, svc *alerts.Service) error {
	return reply(w, http.StatusOK)(svc.ChannelViews(r.Context()))
}

// webChannelsList names the enabled web channels (key and name only) for
// responders: the Alerts page's form for alerts taken by telephone or in
// person posts to POST /api/v1/alerts with one of these keys. A web channel's
// key is the public id in its intake form's address; no secret is shown.
func (s *Server) webChannelsList(w http.ResponseWriter, r *http.Request, svc *alerts.Service) error {
	cs, err := svc.ChannelViews(r.Context())
	if err != nil {
		return err
	}
	type webChannel struct {
		Key  string `json:"key"`
		Name string `json:"name"`
	}
	out := []webChannel{}
	for _, c := range cs {
		if c.Kind == alerts.Web && !c.Disabled {
			out = append(out, webChannel{c.Key, c.Name})
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) channelsCreate(w http.ResponseWriter, r *http.Request, svc *alerts.Service) error {
	var req alerts.ChannelRequest
	if err := decodeJSON(w, r, 4096, &req); err != nil {
		return err
	}
	return reply(w, http.StatusCreated)(svc.AddChannel(r.Context(), mustUser(r).Name, req))
}

// channelsSecret gives channel id a new secret; the answer, which holds
// it this once, is not stored by any cache.
func (s *Server) channelsSecret(w http.ResponseWriter, r *http.Request, svc *alerts.Service, id int64) error {
	var req alerts.SecretRequest
	if err := decodeJSON(w, r, 4096, &req); err != nil {
		return err
	}
	out, err := svc.RotateSecret(r.Context(), mustUser(r).Name, id, req)
	if err == nil {
		w.Header().Set("Cache-Control", "no-store")
	}
	return reply(w, http.StatusOK)(out, err)
}

func (s *Server) channelsPatch(w http.ResponseWriter, r *http.Request, svc *alerts.Service, id int64) error {
	var req alerts.ChannelPatch
	if err := decodeJSON(w, r, 1024, &req); err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.PatchChannel(r.Context(), mustUser(r).Name, id, req))
}

func (s *Server) alertsMove(w http.ResponseWriter, r *http.Request, svc *alerts.Service, id int64) error {
	var req alerts.MoveRequest
	if err := decodeJSON(w, r, 1024, &req); err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.Move(r.Context(), mustUser(r), id, req))
}

// sayWithheld says why a reply was withheld (its recipient opted out):
// the dictionary key the page says it with (alerts.delivery.optedOut,
// {when} the opt-out's time, OptedOutAt) and its words in language l,
// the time written in UTC.
func sayWithheld(d *alerts.Delivery, l string) error {
	dicts, err := uiDicts()
	if err != nil {
		return err
	}
	d.Key = "alerts.delivery.optedOut"
	when := "?"
	if d.OptedOutAt != nil {
		when = d.OptedOutAt.UTC().Format("2006-01-02 15:04") + " UTC"
	}
	text, ok := dicts[l][d.Key]
	if !ok {
		text = dicts["en"][d.Key]
	}
	d.Reason = strings.ReplaceAll(text, "{when}", when)
	return nil
}
