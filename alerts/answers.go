package alerts

import (
	"context"
	"fmt"
)

// NoteAnswers writes on the timeline of each incident whose tipline
// messages (alertIDs) were just answered with the fact-check of
// narrative, in actor's name, one line per reply channel: "fact-check
// answer for narrative N sent to K tipline senders through CHANNEL" (kind
// "answer"; the Alerts page says it in its language). Who answered, when,
// how many and through which channel: never a number. The channel is the
// one ReplyAs queued the answers on (replyGatewayOf).
func (s *Service) NoteAnswers(ctx context.Context, actor string, narrative int64, alertIDs []int64) error {
	if len(alertIDs) == 0 {
		return nil
	}
	cs, err := s.Store.Channels(ctx)
	if err != nil {
		return err
	}
	names := make(map[int64]string, len(cs))
	for _, c := range cs {
		names[c.ID] = c.Name
	}
	type line struct{ incident, gateway int64 }
	counts := map[line]int{}
	var order []line
	for _, id := range alertIDs {
		a, err := s.Store.Alert(ctx, id)
		if err != nil {
			return err
		}
		gw, err := replyGatewayOf(cs, a.ChannelID)
		if err != nil {
			return err
		}
		k := line{a.IncidentID, gw}
		if counts[k] == 0 {
			order = append(order, k)
		}
		counts[k]++
	}
	now := s.now()
	lines := make([]LogEntry, 0, len(order))
	var incidents []int64
	for _, k := range order {
		who := "senders"
		if counts[k] == 1 {
			who = "sender"
		}
		lines = append(lines, LogEntry{IncidentID: k.incident, At: now, Actor: actor, Kind: "answer",
			Text: fmt.Sprintf("fact-check answer for narrative %d sent to %d tipline %s through %s", narrative, counts[k], who, names[k.gateway])})
		incidents = append(incidents, k.incident)
	}
	if err := s.Store.AddLog(ctx, lines); err != nil {
		return err
	}
	s.publish(Change{Kind: "incident", Incidents: incidents})
	return nil
}
