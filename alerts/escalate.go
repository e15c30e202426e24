package alerts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr"
)

// An incident escalated by hand: a duty officer judges it cannot wait for
// the SLA timers (EscalateOverdue) and sends it up now, saying why. It takes
// the automatic escalation's path: escalated_at set (the first escalation's
// time is kept), a timeline line, an audit entry, the live queue's notice
// and the escalation webhook.

// EscalateRequest is the body of POST /api/v1/alerts/incidents/{id}/escalate.
type EscalateRequest struct {
	Reason string `json:"reason"` // why it is escalated now; required
}

// MaxEscalateReason bounds an escalation's reason, in bytes.
const MaxEscalateReason = 1000

// HandEscalation is the timeline text of an escalation by hand: this
// prefix, then the reason. Viewers see the prefix alone (the reason is the
// officer's words about the incident).
const HandEscalation = "escalated by hand"

// EscalateIncident escalates incident id now, in u's name, for req's
// reason; the incident must be open (not resolved, closed or a false
// alert). It answers the incident as u sees it.
func (s *Service) EscalateIncident(ctx context.Context, u *auth.User, id int64, req EscalateRequest) (Incident, error) {
	if err := CheckText("reason", req.Reason, MaxEscalateReason, true); err != nil {
		return Incident{}, err
	}
	reason := strings.TrimSpace(req.Reason)
	now := s.now()
	// The notice is written with the escalation, in its transaction, and
	// posted in the background (outbox.go): the officer's request does
	// not wait for the webhook (up to its 10 s timeout), and a crash
	// before the post loses nothing.
	var notice func(Incident) *Notice
	if s.hasWebhook(ctx) {
		notice = func(in Incident) *Notice {
			return newNotice(map[string]any{"type": "vigil.incident.escalated", "incident_id": in.ID,
				"by_hand": true, "reason": reason, "status": in.Status, "priority": in.Priority,
				"seconds_since_first_alert": int(now.Sub(in.FirstAt).Round(time.Second).Seconds()),
				"url":                       s.base() + fmt.Sprintf("/#/alerts/incident/%d", in.ID)})
		}
	}
	in, err := s.Store.EscalateIncident(ctx, u.Name, id, HandEscalation+": "+reason, now, notice)
	if errors.Is(err, apperr.ErrNotFound) {
		return Incident{}, apperr.Say(apperr.KindNotFound, "", "alerts.refusal.no-incident", id)
	}
	if err != nil {
		return Incident{}, err
	}
	s.publish(Change{Kind: "incident", Incidents: []int64{id}})
	if notice != nil {
		s.kickNotices()
	}
	return s.ViewIncident(in, u.Role), nil
}
