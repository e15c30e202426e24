package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/geotext"
)

// auditSubject is what an audit record's object ("kind:id") names, for the
// Administration page to say in words: a channel by its name, a cell by
// the notable place nearest it (in English and French), and the kinds the
// store names (audit.Namer: an incident by its place and first day, a
// narrative, form, lexicon term … by name). The object itself stays as
// stored (the CSV export and investigators keep it).
type auditSubject struct {
	audit.Name
	Place *geotext.PointLabel `json:"place,omitempty"`
}

// auditRecord is an audit record as GET /api/v1/audit answers it: the
// record and, when this server can name its object, its subject.
type auditRecord struct {
	audit.Record
	Subject *auditSubject `json:"subject,omitempty"`
}

// auditLog answers audit records, newest first (audit.Query), each with
// the subject its object names where this server knows it (auditSubjects).
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := onlyParams(q, audit.QueryParams...); err != nil {
		return err
	}
	out, err := audit.Query(r.Context(), s.Audit, q)
	if err != nil {
		return err
	}
	recs, _ := out["records"].([]audit.Record)
	out["records"] = s.auditSubjects(r.Context(), recs)
	return reply(w, http.StatusOK)(out, nil)
}

// auditSubjects gives recs the subjects of their objects: channels
// ("channel:ID") by name, cells ("cell:GID:YYYY-MM") by their nearest
// place, the other kinds the store knows by its names (audit.Namer, one
// read for all the records). Each list is read once, and only when a
// record needs it; an object gone, or a server without alerts or a
// gazetteer, leaves the subject out (the page then shows the object's id).
func (s *Server) auditSubjects(ctx context.Context, recs []audit.Record) []auditRecord {
	out := make([]auditRecord, len(recs))
	var named map[string]audit.Name
	if n, ok := s.DB.(audit.Namer); ok && len(recs) > 0 {
		objects := make([]string, len(recs))
		for i, rec := range recs {
			objects[i] = rec.Object
		}
		if m, err := n.AuditNames(ctx, objects); err == nil {
			named = m
		} else {
			s.Log.Warn("audit log: naming objects", "err", err)
		}
	}
	var channels map[string]string
	var cellPlace func(int) *geotext.PointLabel
	for i, rec := range recs {
		out[i].Record = rec
		kind, id, _ := strings.Cut(rec.Object, ":")
		switch kind {
		case "channel":
			if channels == nil {
				channels = map[string]string{}
				if s.Alerts != nil {
					if cs, err := s.Alerts.ChannelViews(ctx); err == nil {
						for _, c := range cs {
							channels[strconv.FormatInt(c.ID, 10)] = c.Name
						}
					}
				}
			}
			if name, ok := channels[id]; ok && name != "" {
				out[i].Subject = &auditSubject{Name: audit.Name{Name: name}}
			}
		case "cell":
			gid, _, _ := strings.Cut(id, ":")
			n, err := strconv.Atoi(gid)
			if err != nil {
				continue
			}
			if cellPlace == nil {
				cellPlace = func(int) *geotext.PointLabel { return nil }
				if x, err := s.placesIndex(); err == nil {
					cellPlace = coverage.CellNamer(ctx, x)
				}
			}
			if p := cellPlace(n); p != nil {
				out[i].Subject = &auditSubject{Place: p}
			}
		default:
			if n, ok := named[rec.Object]; ok {
				out[i].Subject = &auditSubject{Name: n}
			}
		}
	}
	return out
}
