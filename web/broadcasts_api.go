package web

import (
	"net/http"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
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
