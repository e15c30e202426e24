package contacts

import (
	"context"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/internal/apperr"
)

// Outcomes of TiplineReplier.ReplyToSender (integrity's Reply outcomes).
const (
	ReplySent      = "sent"
	ReplyOptedOut  = "opted_out"
	ReplyNoNumber  = "no_number"
	ReplyNoGateway = "no_gateway"
)

// TiplineReplier answers the sender of a tipline message (an alert) by the
// alerts reply path (the SMSSync outbox: the alert's channel, or the
// mission's SMS gateway), unless the number opted out (as a contact, or by
// a STOP reply from a number that is not a contact). It implements
// integrity.Replier.
type TiplineReplier struct {
	Alerts   *alerts.Service
	Contacts *Service
}

// OptedOut reports whether phone opted out (see Store.OptedOut).
func (s *Service) OptedOut(ctx context.Context, phone string) (bool, error) {
	p, err := NormalizePhone(phone)
	if err != nil {
		return false, nil // not a number a contact or an opt-out can have
	}
	return s.Store.OptedOut(ctx, s.PhoneMAC(p))
}

// RecipientMAC is the phone MAC of a number ("" for one that is not a
// phone number): alerts.Service.RecipientMAC, so that a queued reply to a
// number that opts out before the gateway takes it is withheld.
func (s *Service) RecipientMAC(phone string) string {
	p, err := NormalizePhone(phone)
	if err != nil {
		return ""
	}
	return s.PhoneMAC(p)
}

// ReplyToSender queues message to the sender of alert alertID and says
// what happened: ReplySent, ReplyOptedOut, ReplyNoNumber (anonymous or
// purged) or ReplyNoGateway (no SMS gateway to send it through).
func (r TiplineReplier) ReplyToSender(ctx context.Context, actor string, alertID int64, message string) (string, error) {
	_, why, err := r.Alerts.ReplyAs(ctx, actor, alertID, message, func(ctx context.Context, phone string) (string, error) {
		if out, err := r.Contacts.OptedOut(ctx, phone); out || err != nil {
			return ReplyOptedOut, err
		}
		return "", nil
	})
	switch ae := apperr.As(err); {
	case ae != nil && ae.Field == "alert":
		return ReplyNoNumber, nil
	case ae != nil && ae.Field == "gateway":
		return ReplyNoGateway, nil
	case err != nil:
		return "", err
	case why != "":
		return why, nil
	}
	return ReplySent, nil
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

// NoteAnswers writes the answers sent to tipline senders on their
// incidents' timelines (alerts.Service.NoteAnswers). It implements
// integrity.AnswerNoter.
func (r TiplineReplier) NoteAnswers(ctx context.Context, actor string, narrative int64, alertIDs []int64) error {
	return r.Alerts.NoteAnswers(ctx, actor, narrative, alertIDs)
}
