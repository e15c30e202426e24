package web

import (
	"net/http"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
)

// Broadcast gateways: delivery receipts from Twilio (its StatusCallback,
// signed like its intake) and from webhook gateways (the channel's token),
// at /intake/KIND/KEY/status. Each handler checks the channel's signature
// or secret, then calls one contacts.Service method.

func (s *Server) receiptTwilio(w http.ResponseWriter, r *http.Request, svc *contacts.Service) error {
	_, c, err := s.intakeChannel(r, alerts.Twilio)
	if err != nil {
		return err
	}
	form, _, err := readForm(w, r)
	if err != nil {
		return err
	}
	if !alerts.TwilioValid(c.Secret, r.Header.Get("X-Twilio-Signature"), s.requestURL(r), form) {
		return errorf(http.StatusForbidden, "invalid X-Twilio-Signature")
	}
	rc, err := contacts.ParseTwilioReceipt(r.URL.Query().Get("m"), form)
	if err != nil {
		return err
	}
	return noContent(w, svc.RecordReceipt(r.Context(), c, rc))
}

func (s *Server) receiptWebhook(w http.ResponseWriter, r *http.Request, svc *contacts.Service) error {
	_, c, err := s.intakeChannel(r, alerts.Webhook)
	if err != nil {
		return err
	}
	if !alerts.SecretMatches(c, alerts.WebhookToken(r.Header)) {
		return errorf(http.StatusForbidden, "wrong or missing secret (Authorization: Token … or X-Vigil-Secret)")
	}
	_, body, err := readForm(w, r)
	if err != nil {
		return err
	}
	rc, err := contacts.ParseWebhookReceipt(body)
	if err != nil {
		return err
	}
	return noContent(w, svc.RecordReceipt(r.Context(), c, rc))
}
