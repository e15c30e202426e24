package integrity

import (
	"context"
	"fmt"
	"strconv"
)

// SpikeNotices records which spike flags were sent to the analysts on duty.
type SpikeNotices interface {
	// MarkSpikeNotified records flag f as sent, audited; false when it
	// already was (the flag is then not sent again).
	MarkSpikeNotified(ctx context.Context, f SpikeFlag) (bool, error)
}

// SpikeNotice is what is sent about a spike flag: the flag, a label for
// people (a narrative's name, or "narrative N"; the term; the place) and
// where to look. It holds no item text and no author.
func SpikeNotice(f SpikeFlag, label, baseURL string) map[string]any {
	return map[string]any{"type": "vigil.integrity.spike", "series": f.By, "key": f.Key, "label": label, "day": f.Day,
		"count": f.Count, "expected": f.Expected, "p_value": f.PValue, "url": baseURL + "/#/integrity?tab=narratives"}
}

// NotifySpikes sends every current spike flag not sent before to send
// (vigil serve gives the alert network's escalation webhook), once per
// series and day, and returns how many it sent. A flag is recorded as sent
// before it goes, so a crash between the two loses a notice rather than
// repeating it.
func (s *Service) NotifySpikes(ctx context.Context, notices SpikeNotices, send func(ctx context.Context, f SpikeFlag, label string)) (int, error) {
	flags, err := s.Spikes(ctx)
	if err != nil || len(flags) == 0 {
		return 0, err
	}
	names := map[string]string{}
	if ns, err := s.Store.Narratives(ctx); err == nil {
		for _, n := range ns {
			if n.Name != "" {
				names[strconv.FormatInt(n.ID, 10)] = n.Name
			}
		}
	}
	sent := 0
	for _, f := range flags {
		ok, err := notices.MarkSpikeNotified(ctx, f)
		if err != nil {
			return sent, err
		}
		if !ok {
			continue
		}
		label := f.Key
		if f.By == "narrative" {
			label = names[f.Key]
			if label == "" {
				label = fmt.Sprintf("narrative %s", f.Key)
			}
		}
		send(ctx, f, label)
		sent++
	}
	return sent, nil
}
