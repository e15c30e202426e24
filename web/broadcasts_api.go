package web

import (
	"mime"
	"net/http"
	"strconv"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/radio"
)

// Broadcast gateways' delivery receipts at /intake/KIND/KEY/status: from
// Twilio (its StatusCallback, signed like its intake) and from webhook
// gateways (the channel's secret). The alerts service checks the channel's
// signature or secret; the contacts service records the receipt.
func receipt(kind alerts.Kind) serviceMethod[*contacts.Service] {
	return func(s *Server, w http.ResponseWriter, r *http.Request, svc *contacts.Service) error {
		as, err := s.alertsSvc()
		if err != nil {
			return err
		}
		return noContent(w, svc.Receipt(r.Context(), as, kind, s.gateway(w, r)))
	}
}

// Radio scripts (plain text, EN/FR by ?lang=) of a broadcast and of a
// published fact-check, as a download.
func radioScript(get func(s *radio.Service, r *http.Request) (radio.Script, error)) serverMethod {
	return func(s *Server, w http.ResponseWriter, r *http.Request) error {
		if s.Radio == nil {
			return sayError(http.StatusServiceUnavailable, "refusal.http.no-radio")
		}
		sc, err := get(s.Radio, r)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": sc.Name}))
		_, err = w.Write([]byte(sc.Text))
		return err
	}
}

// broadcastID reads the path's broadcast id, or answers 400 naming it.
func broadcastID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, sayFieldError(http.StatusBadRequest, "id", "refusal.http.not-broadcast")
	}
	return id, nil
}

func broadcastScript(rs *radio.Service, r *http.Request) (radio.Script, error) {
	id, err := broadcastID(r)
	if err != nil {
		return radio.Script{}, err
	}
	return rs.Broadcast(r.Context(), id, r.URL.Query().Get("lang"))
}

func factCheckScript(rs *radio.Service, r *http.Request) (radio.Script, error) {
	return rs.FactCheck(r.Context(), r.PathValue("slug"), r.URL.Query().Get("lang"))
}
