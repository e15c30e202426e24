package contacts

import (
	"context"
	"errors"
	"time"

	"github.com/vigil-project/vigil/alerts"
)

// SMSSync phones' message results (alerts.SMSSyncResults): what became of
// the messages a phone took (task=send) and confirmed (task=sent), as it
// reports them (task=result), recorded per message as Twilio's and the
// webhook's receipts are: a failed send (failed, reason phone:<Android
// code> with the phone's words), a delivery report (delivered or
// undelivered), or sent. A broadcast's reach and failures, and a reply's
// status, then say it.

// ResultWindow is how long after a phone took a message the server still
// asks it for the message's result (GET ?task=result).
const ResultWindow = 48 * time.Hour

// ResultStore is what SMSSync results need from the store (see storage).
type ResultStore interface {
	// AwaitingResults lists the uuids of up to limit of channelID's
	// messages handed to its phone at or after since (sent_at) whose
	// outcome is not final (no status, or "sent": no delivery report
	// yet), newest first.
	AwaitingResults(ctx context.Context, channelID int64, since time.Time, limit int) ([]string, error)
}

var _ alerts.SMSSyncResults = (*Service)(nil)

// AwaitingResults answers GET ?task=result: the uuids of channel c's
// messages its phone took in the last ResultWindow and whose outcome is
// not known yet.
func (s *Service) AwaitingResults(ctx context.Context, c alerts.Channel) ([]string, error) {
	st, ok := s.Store.(ResultStore)
	if !ok {
		return nil, errors.New("contacts: this store cannot record message results")
	}
	return st.AwaitingResults(ctx, c.ID, s.now().Add(-ResultWindow), alerts.MaxMessageResults)
}

// RecordResults records the results an SMSSync phone of channel c
// reported (POST ?task=result) and answers how many named a message of
// c; a result naming another channel's or no message is skipped (a
// phone reports what it kept, perhaps from before a reset).
func (s *Service) RecordResults(ctx context.Context, c alerts.Channel, rs []alerts.MessageResult) (int, error) {
	st, ok := s.Store.(SenderStore)
	if !ok {
		return 0, errors.New("contacts: this store cannot send broadcasts")
	}
	n := 0
	for _, r := range rs {
		status, code := r.Outcome()
		rc := Receipt{UUID: r.UUID, Status: status}
		var f Failure
		switch status {
		case StatusFailed:
			f = failure(FailPhone, code).said(r.SentMessage)
		case StatusUndelivered:
			f = failure(FailUndelivered).said(r.DeliveredMessage)
		}
		found, err := st.RecordReceipt(ctx, c.ID, rc, f, s.now())
		if err != nil {
			return n, err
		}
		if found {
			n++
		}
	}
	return n, nil
}
