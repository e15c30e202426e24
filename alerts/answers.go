package alerts

import (
	"context"
	"fmt"
)

// AnswerLines are the timeline lines of the tipline answers ms (made
// ready by PrepareReply) with the fact-check of narrative, in actor's
// name, one per message, in their order (LogEntry.OutgoingUUID names it,
// so that the line says what became of it: LogEntry.Delivery):
// "fact-check answer for narrative N sent by SMS to 1 tipline sender
// through CHANNEL" (lines written before counted K senders per incident,
// channel and way; "by
// WhatsApp" for WhatsApp senders answered through their Twilio channel;
// lines written before said no way: by SMS) (kind "answer"; the Alerts
// page says it in its language). Who answered, when, how many, how and
// through which channel (the one each message is queued on): never a
// number nor the text. It writes nothing: the caller writes the lines
// with the messages in one transaction, then tells the live queue
// (Announce).
func (s *Service) AnswerLines(ctx context.Context, actor string, narrative int64, ms []Outgoing) ([]LogEntry, error) {
	lines, err := s.answerLines(ctx, actor, narrative, len(ms), func(i int, cs []Channel) (int64, int64, string, error) {
		a, err := s.Store.Alert(ctx, ms[i].AlertID)
		if err != nil {
			return 0, 0, "", err
		}
		// The number as queued: a WhatsApp address only when the
		// message goes by WhatsApp (prepareReply).
		to, err := s.Keys.Open(ms[i].ToSealed, []byte(aadOutTo))
		return a.IncidentID, ms[i].ChannelID, sentBy(string(to)), err
	})
	for i := range lines {
		lines[i].OutgoingUUID = ms[i].UUID
	}
	return lines, err
}

// Announce tells the live queue of timeline lines just written.
func (s *Service) Announce(lines []LogEntry) {
	if len(lines) == 0 {
		return
	}
	incidents := make([]int64, 0, len(lines))
	for _, l := range lines {
		incidents = append(incidents, l.IncidentID)
	}
	s.publish(Change{Kind: "incident", Incidents: incidents})
}

// answerLines makes the lines of n answers, the i-th on the incident,
// through the gateway and by the way (sentBy) where(i) says: one line
// each, in their order.
func (s *Service) answerLines(ctx context.Context, actor string, narrative int64, n int,
	where func(i int, cs []Channel) (incident, gateway int64, by string, err error)) ([]LogEntry, error) {
	if n == 0 {
		return nil, nil
	}
	cs, err := s.Store.Channels(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(cs))
	for _, c := range cs {
		names[c.ID] = c.Name
	}
	now := s.now()
	lines := make([]LogEntry, 0, n)
	for i := 0; i < n; i++ {
		inc, gw, by, err := where(i, cs)
		if err != nil {
			return nil, err
		}
		lines = append(lines, LogEntry{IncidentID: inc, At: now, Actor: actor, Kind: "answer",
			Text: fmt.Sprintf("fact-check answer for narrative %d sent by %s to 1 tipline sender through %s", narrative, by, names[gw])})
	}
	return lines, nil
}
