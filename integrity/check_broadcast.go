package integrity

import (
	"context"
	"strconv"
	"time"

	"github.com/vigil-project/vigil/contacts"
)

// A check answered by a broadcast (contacts): a broadcast sent from the
// check, or one sent earlier linked to it (Service.LinkBroadcast), is in
// the check's history (Check.Broadcasts: its channel, when, how many
// recipients and what became of their messages, counted from the
// gateways' delivery results; never a number) and a record of how the
// claim was answered: a planned response moves to responded with a
// broadcast that was queued to at least one recipient, as it does when
// the fact-check's answer reached a tipline sender. A broadcast answers
// one check.

// LogBroadcast is a broadcast linked to the check (Text, its id).
const LogBroadcast = "broadcast"

// CheckBroadcast is a broadcast that answers a check, with its reach.
type CheckBroadcast struct {
	ID        int64  `json:"id"`
	ChannelID int64  `json:"channel_id"`
	Channel   string `json:"channel"` // the gateway channel's name
	Actor     string `json:"actor"`
	// Audience is whom it went to, as the broadcast has it (a group,
	// everyone within a radius of a place, an admin area or grid cells):
	// the Verify page names it as the Contacts page does.
	contacts.Audience
	ScheduledAt time.Time  `json:"scheduled_at"`
	QueuedAt    *time.Time `json:"queued_at,omitempty"` // nil: scheduled, not yet sent
	// Recipients is how many messages were queued (one per contact);
	// the others are what the gateways reported of them.
	Recipients int `json:"recipients"`
	Sent       int `json:"sent"`
	Delivered  int `json:"delivered"`
	Failed     int `json:"failed"`
	Pending    int `json:"pending"`
	Withheld   int `json:"withheld"`
	OptedOut   int `json:"skipped_opted_out"`
	// CellsAround names an audience of grid cells by place, as the
	// Contacts page's list does (contacts.Broadcast.CellsAround).
	CellsAround []string `json:"cells_around,omitempty"`
	// NoOneNow: scheduled to an audience that reaches no one now
	// (contacts.Broadcast.NoOneNow); set in the answer to the send that
	// scheduled it only.
	NoOneNow bool `json:"no_one_now,omitempty"`
}

// BroadcastLink is what CheckStore.LinkBroadcast writes.
type BroadcastLink struct {
	Broadcast int64
	Entry     CheckEntry // the check's log entry (LogBroadcast)
	// Respond, when not nil, is the move to responded, made in the same
	// transaction when the broadcast was queued to at least one
	// recipient (a scheduled one, not yet: the move waits).
	Respond *CheckEntry
}

// LinkBroadcast records that broadcast id (contacts) answers the check
// of narrative, logged and audited, and returns the check. The check
// must be stored and not closed; a broadcast answers one check (linked
// again to the same one: nothing changes). A planned response of a
// published fact-check moves to responded with a broadcast queued to at
// least one recipient (see CheckBroadcast).
func (s *Service) LinkBroadcast(ctx context.Context, actor string, narrative, id int64) (Check, error) {
	if id <= 0 {
		return Check{}, fieldErr("broadcast", "give the broadcast to link (its id), or the one to send")
	}
	cs, c, err := s.BroadcastCheck(ctx, narrative)
	if err != nil {
		return Check{}, err
	}
	log, err := cs.CheckLog(ctx, narrative)
	if err != nil {
		return Check{}, err
	}
	text := strconv.FormatInt(id, 10)
	for _, e := range log {
		if e.Kind == LogBroadcast && e.Text == text { // linked already
			return s.GetCheck(ctx, narrative)
		}
	}
	now := s.now()
	l := BroadcastLink{Broadcast: id, Entry: CheckEntry{At: now, Kind: LogBroadcast, Text: text}}
	if c.State == CheckResponsePlanned && c.PublishedAt != nil {
		l.Respond = &CheckEntry{At: now, Kind: LogState, From: CheckResponsePlanned, To: CheckResponded}
	}
	if err := cs.LinkBroadcast(ctx, actor, narrative, l); err != nil {
		return Check{}, err
	}
	return s.GetCheck(ctx, narrative)
}

// BroadcastCheck returns the check store and the check a broadcast may
// be sent from or linked to: stored (someone worked on it) and not
// closed; else invalid input naming "broadcast".
func (s *Service) BroadcastCheck(ctx context.Context, narrative int64) (CheckStore, Check, error) {
	cs, c, err := s.openCheck(ctx, narrative)
	if err != nil {
		return nil, Check{}, err
	}
	if c.UpdatedBy == "" || c.State == CheckClosed {
		return nil, Check{}, fieldErr("broadcast", "a broadcast answers a check in progress (this one is %s)", StateWord(c.State))
	}
	return cs, c, nil
}

// broadcastReached says whether one of the check's broadcasts was queued
// to at least one recipient.
func broadcastReached(bs []CheckBroadcast) bool {
	for _, b := range bs {
		if b.Recipients > 0 {
			return true
		}
	}
	return false
}
