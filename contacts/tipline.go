package contacts

import (
	"context"
	"strings"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/internal/apperr"
)

// Outcomes of TiplineReplier.PrepareReply (integrity's Reply outcomes).
const (
	ReplySent      = "sent"
	ReplyOptedOut  = "opted_out"
	ReplyNoNumber  = "no_number"
	ReplyNoGateway = "no_gateway"
)

// TiplineReplier answers the sender of a tipline message (an alert) by the
// alerts reply path (the outbox of the alert's channel when it can send:
// SMSSync, or Twilio with its sending settings; else the mission's SMSSync
// gateway), unless the number opted out (as a contact, or by
// a STOP reply from a number that is not a contact). It implements
// integrity.Replier.
type TiplineReplier struct {
	Alerts   *alerts.Service
	Contacts *Service
}

// OptedOut reports whether phone opted out (see Store.OptedOut).
func (s *Service) OptedOut(ctx context.Context, phone string) (bool, error) {
	p, err := NormalizePhone(senderNumber(phone))
	if err != nil {
		return false, nil // not a number a contact or an opt-out can have
	}
	return s.Store.OptedOut(ctx, s.PhoneMAC(p))
}

// RecipientMAC is the phone MAC of a number ("" for one that is not a
// phone number): alerts.Service.RecipientMAC, so that a queued reply to a
// number that opts out before the gateway takes it is withheld.
func (s *Service) RecipientMAC(phone string) string {
	p, err := NormalizePhone(senderNumber(phone))
	if err != nil {
		return ""
	}
	return s.PhoneMAC(p)
}

// senderNumber is the phone number of a sender's address: a Twilio
// WhatsApp sender ("whatsapp:+243…") is its number, so that its STOP and
// a STOP by SMS opt the same number out.
func senderNumber(addr string) string {
	return strings.TrimPrefix(strings.TrimSpace(addr), "whatsapp:")
}

// PrepareReply makes ready message to the sender of alert alertID and
// says what would happen: ReplySent (with the message, its number sealed,
// for the caller to queue), ReplyOptedOut, ReplyNoNumber (anonymous or
// purged) or ReplyNoGateway (no SMS gateway to send it through). It
// writes nothing. It implements integrity.Replier.
func (r TiplineReplier) PrepareReply(ctx context.Context, alertID int64, message string) (*alerts.Outgoing, string, error) {
	m, why, err := r.Alerts.PrepareReply(ctx, alertID, message, func(ctx context.Context, phone string) (string, error) {
		if out, err := r.Contacts.OptedOut(ctx, phone); out || err != nil {
			return ReplyOptedOut, err
		}
		return "", nil
	})
	switch ae := apperr.As(err); {
	case ae != nil && ae.Field == "alert":
		return nil, ReplyNoNumber, nil
	case ae != nil && ae.Field == "gateway":
		return nil, ReplyNoGateway, nil
	case err != nil:
		return nil, "", err
	case why != "":
		return nil, why, nil
	}
	return &m, ReplySent, nil
}

// ChannelLang is the language the channel of tipline message alertID
// answers in ("" none). It implements integrity.ChannelLanger.
func (r TiplineReplier) ChannelLang(ctx context.Context, alertID int64) (string, error) {
	return r.Alerts.ChannelLang(ctx, alertID)
}

// SenderKey names the person who sent tipline message alertID by the
// MAC of their number ("" when unknown), so that a person who forwarded a
// rumour more than once is counted and answered once. It implements
// integrity.SenderKeyer.
func (r TiplineReplier) SenderKey(ctx context.Context, alertID int64) (string, error) {
	return r.Alerts.SenderMAC(ctx, alertID, r.Contacts.RecipientMAC)
}

// AnswerLines are the timeline lines of the tipline answers ms
// (alerts.Service.AnswerLines). It implements integrity.Replier.
func (r TiplineReplier) AnswerLines(ctx context.Context, actor string, narrative int64, ms []alerts.Outgoing) ([]alerts.LogEntry, error) {
	return r.Alerts.AnswerLines(ctx, actor, narrative, ms)
}

// Announce tells the live queue of the answers' timeline lines once
// written. It implements integrity.Announcer.
func (r TiplineReplier) Announce(lines []alerts.LogEntry) { r.Alerts.Announce(lines) }
