package alerts

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigil-project/vigil/capxml"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/internal/apperr"
)

var capSeverity = map[string]string{"critical": "Extreme", "high": "Severe", "medium": "Moderate", "low": "Minor", "": "Unknown"}

// capWords are the words of a CAP <info> block Vigil writes itself, by
// language ("en", "fr"): the responder's title and summary are in the
// publishing user's language, and the block says so.
var capWords = map[string]struct{ sender, near, area string }{
	"en": {"Vigil community alert network", "near ", "incident area"},
	"fr": {"Réseau d’alerte communautaire Vigil", "près de ", "zone de l’incident"},
}

// CAPAlert builds the CAP 1.2 alert for a verified incident. It carries the
// responder-written title and summary, never the reporters' messages or
// details, and the location rounded as for viewers, as a circle whose radius
// covers the uncertainty. prev lists earlier publications (for msgType
// Update and references). lang is the language the responder wrote in ("en"
// or "fr"; "" is "en"): the <info> block's language and its own words.
func (s *Service) CAPAlert(in Incident, prev []CAPPublication, now time.Time, lang string) (*capxml.Alert, error) {
	if lang == "" {
		lang = "en"
	}
	words, ok := capWords[lang]
	if !ok {
		return nil, apperr.Fieldf(apperr.KindInvalid, "lang", "CAP is written in en or fr, not %q", lang)
	}
	if in.Status != Verified && in.Status != Dispatched && in.Status != Resolved {
		return nil, apperr.Fieldf(apperr.KindInvalid, "status", "only verified incidents are published (this one is %s)", StatusWord(in.Status))
	}
	if strings.TrimSpace(in.Title) == "" {
		return nil, apperr.FieldErr(apperr.KindInvalid, "title", apperr.Text("set a title before publishing (the reporters' messages are never published)"))
	}
	sender := s.Sender
	if sender == "" {
		sender = "vigil@localhost"
	}
	a := &capxml.Alert{
		Identifier: fmt.Sprintf("vigil-incident-%d-%d", in.ID, len(prev)+1),
		Sender:     sender,
		Sent:       capxml.Time{Time: now.UTC().Truncate(time.Second)},
		Status:     "Actual", MsgType: "Alert", Scope: "Restricted",
		Restriction: "UN mission and protection partners only",
		Incidents:   fmt.Sprintf("vigil-incident-%d", in.ID),
	}
	if len(prev) > 0 {
		a.MsgType = "Update"
		var refs []string
		for _, p := range prev {
			refs = append(refs, fmt.Sprintf("%s,%s,%s", sender, p.Identifier, p.Sent.UTC().Format("2006-01-02T15:04:05-07:00")))
		}
		r := strings.Join(refs, " ")
		a.References = &r
	}
	urgency := "Immediate"
	if in.Status == Resolved {
		urgency = "Past"
	}
	info := capxml.Info{
		Language: lang, Categories: []string{"Security"}, Event: in.Title,
		Urgency: urgency, Severity: capSeverity[in.Priority], Certainty: "Observed",
		Headline: in.Title, Description: in.Summary, SenderName: words.sender,
		EventCodes: []capxml.NameValue{{ValueName: "vigil:status", Value: string(in.Status)}},
		Parameters: []capxml.NameValue{{ValueName: "alerts", Value: fmt.Sprint(in.AlertCount)}},
	}
	if info.Severity == "" {
		info.Severity = "Unknown"
	}
	l := in.Location.ForRole("viewer")
	if l.Lat != nil {
		r := math.Max(l.PrecisionM, 1000) / 1000
		desc := words.area
		if in.Location.Place != "" {
			desc = words.near + in.Location.Place
		}
		info.Areas = []capxml.Area{{AreaDesc: desc,
			Circles: []string{capxml.FormatCircle(capxml.Circle{Center: capxml.Point{Lat: *l.Lat, Lon: *l.Lon}, RadiusKM: math.Ceil(r)})}}}
	}
	a.Infos = []capxml.Info{info}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	return a, nil
}

// PublishCAP publishes a verified incident as CAP (written in lang, see
// CAPAlert) and stores the document.
func (s *Service) PublishCAP(ctx context.Context, actor string, id int64, lang string) (CAPPublication, error) {
	in, err := s.Store.Incident(ctx, id)
	if err != nil {
		return CAPPublication{}, err
	}
	prev, err := s.Store.CAPPublications(ctx, id, 1000)
	if err != nil {
		return CAPPublication{}, err
	}
	// oldest first for references
	for i, j := 0, len(prev)-1; i < j; i, j = i+1, j-1 {
		prev[i], prev[j] = prev[j], prev[i]
	}
	a, err := s.CAPAlert(in, prev, s.now(), lang)
	if err != nil {
		return CAPPublication{}, err
	}
	doc, err := capxml.Marshal(a)
	if err != nil {
		return CAPPublication{}, err
	}
	p, err := s.Store.SaveCAP(ctx, actor, CAPPublication{IncidentID: id, Identifier: a.Identifier, Sent: a.Sent.Time, Headline: in.Title, XML: doc})
	if err == nil {
		s.publish(Change{Kind: "incident", Incidents: []int64{id}})
	}
	return p, err
}

// ToEvent converts a verified incident into a conflict event ("vigil-alerts"
// source, id "incident-N") and stores it through es; the incident records
// the event id. Running it again updates the same event.
func (s *Service) ToEvent(ctx context.Context, actor string, id int64, es events.Store, v events.ViolenceType, best int) (events.Event, error) {
	in, err := s.Store.Incident(ctx, id)
	if err != nil {
		return events.Event{}, err
	}
	if in.Status != Verified && in.Status != Dispatched && in.Status != Resolved && in.Status != Closed {
		return events.Event{}, apperr.Fieldf(apperr.KindInvalid, "status", "only verified incidents become events (this one is %s)", StatusWord(in.Status))
	}
	if in.VerifiedAt == nil && in.Status == Closed {
		return events.Event{}, apperr.FieldErr(apperr.KindInvalid, "status", apperr.Text("this incident was closed without being verified"))
	}
	if in.Location.Lat == nil {
		return events.Event{}, apperr.FieldErr(apperr.KindInvalid, "location", apperr.Text("the incident has no resolved location: set it first"))
	}
	if best < 0 {
		return events.Event{}, apperr.FieldErr(apperr.KindInvalid, "best", apperr.Text("fatalities cannot be negative"))
	}
	day := time.Date(in.FirstAt.Year(), in.FirstAt.Month(), in.FirstAt.Day(), 0, 0, 0, 0, time.UTC)
	prec := events.Precision(1)
	switch {
	case in.Location.PrecisionM > 25000:
		prec = 4
	case in.Location.PrecisionM > 5000:
		prec = 3
	case in.Location.PrecisionM > 1000:
		prec = 2
	}
	e := events.Event{Source: EventSource, SourceID: fmt.Sprintf("incident-%d", in.ID),
		DateStart: day, DateEnd: day, DatePrecision: 1,
		Lat: *in.Location.Lat, Lon: *in.Location.Lon, WherePrecision: prec, Location: in.Location.Place,
		Violence: v, EventType: "community alert", Best: best, Low: best, High: best, Civilian: -1,
		Notes: in.Title}
	if err := e.Validate(); err != nil {
		return events.Event{}, err
	}
	err = es.Import(ctx, func(u events.Upserter) error {
		_, err := u.Upsert(ctx, &e)
		return err
	})
	if err != nil {
		return events.Event{}, err
	}
	if err := s.Store.SetIncidentEvent(ctx, actor, id, e.ID); err != nil {
		return e, err
	}
	s.publish(Change{Kind: "incident", Incidents: []int64{id}})
	return e, nil
}

// FromCAP turns an imported CAP alert (a partner's early warning) into
// inbound messages, one per <info>: the text is the headline, description
// and instruction; the location is the centre of the first circle or the
// mean of the first polygon's vertices; the gateway id is
// "identifier#info-index" so a re-import is stored once. Cancel and Ack
// messages carry no new warning and give nothing.
func FromCAP(a *capxml.Alert) []Inbound {
	if a.MsgType == "Cancel" || a.MsgType == "Ack" || a.MsgType == "Error" {
		return nil
	}
	var out []Inbound
	for i, in := range a.Infos {
		parts := []string{}
		for _, p := range []string{in.Headline, in.Event, in.Description, in.Instruction} {
			if p = strings.TrimSpace(p); p != "" && !slices.Contains(parts, p) {
				parts = append(parts, p)
			}
		}
		msg := strings.Join(parts, "\n")
		if len(msg) > MaxMessageBytes {
			msg = msg[:MaxMessageBytes]
			for !utf8ValidTail(msg) {
				msg = msg[:len(msg)-1]
			}
		}
		ib := Inbound{GatewayID: fmt.Sprintf("%s#%d", a.Identifier, i), From: "", Name: a.Sender, Message: msg, SentAt: a.Sent.Time.UTC()}
		if len(ib.Name) > MaxFieldBytes {
			ib.Name = ib.Name[:MaxFieldBytes]
		}
		for _, ar := range in.Areas {
			if ib.Lat != nil {
				break
			}
			ib.Location = ar.AreaDesc
			if len(ar.Circles) > 0 {
				if c, err := capxml.ParseCircle(ar.Circles[0]); err == nil {
					la, lo := c.Center.Lat, c.Center.Lon
					ib.Lat, ib.Lon = &la, &lo
				}
			} else if len(ar.Polygons) > 0 {
				if pts, err := capxml.ParsePolygon(ar.Polygons[0]); err == nil {
					var la, lo float64
					for _, p := range pts[:len(pts)-1] {
						la += p.Lat
						lo += p.Lon
					}
					n := float64(len(pts) - 1)
					la, lo = la/n, lo/n
					ib.Lat, ib.Lon = &la, &lo
				}
			}
		}
		if len(ib.Location) > 1000 {
			ib.Location = ib.Location[:1000]
		}
		out = append(out, ib)
	}
	return out
}

func utf8ValidTail(s string) bool { return utf8.ValidString(s) }
