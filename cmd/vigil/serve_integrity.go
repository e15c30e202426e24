package main

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/integrity"
)

// spikeEvery is how often vigil serve looks for new spike flags to send.
const spikeEvery = 5 * time.Minute

// watchSpikes sends each new spike flag (a narrative, term or place above
// its baseline) to the analysts on duty through the alert network's
// escalation webhook, once per flag, first after a minute and then every
// interval until ctx ends. Without a webhook it does nothing: the flags
// still show on the Integrity page and as the badge of its menu entry.
func watchSpikes(ctx context.Context, svc *integrity.Service, notices integrity.SpikeNotices, al *alerts.Service, baseURL string, first, interval time.Duration, log *slog.Logger) {
	if svc == nil || al == nil || al.EscalationURL == "" {
		return
	}
	send := func(ctx context.Context, f integrity.SpikeFlag, label string) {
		al.Escalate(ctx, integrity.SpikeNotice(f, label, strings.TrimRight(baseURL, "/")))
	}
	wait := first
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = interval
		if n, err := svc.NotifySpikes(ctx, notices, send); err != nil {
			if ctx.Err() == nil {
				log.Error("integrity spikes", "err", err)
			}
		} else if n > 0 {
			log.Info("integrity spikes sent to the escalation webhook", "flags", n)
		}
	}
}
