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
// interval until ctx ends. While no webhook is in force (set on
// Administration → Escalation notices or by the flag, read at each look) it
// sends nothing and marks no flag sent: the flags still show on the
// Integrity page and as the badge of its menu entry.
func watchSpikes(ctx context.Context, svc *integrity.Service, notices integrity.SpikeNotices, al *alerts.Service, baseURL string, first, interval time.Duration, log *slog.Logger) {
	if svc == nil || al == nil {
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
		if !al.HasWebhook(ctx) {
			continue
		}
		if n, err := svc.NotifySpikes(ctx, notices, send); err != nil {
			if ctx.Err() == nil {
				log.Error("integrity spikes", "err", err)
			}
		} else if n > 0 {
			log.Info("integrity spikes sent to the escalation webhook", "flags", n)
		}
	}
}

// feedEvery is how often vigil serve looks for feeds due for a poll (each
// feed has its own interval, at least integrity.MinFeedMinutes).
const feedEvery = time.Minute

// pollFeeds polls the Integrity page's scheduled feeds that are due, every
// interval until ctx ends; each fetch is bounded by integrity.FeedTimeout, so
// a feed that hangs delays the others by that much at most.
func pollFeeds(ctx context.Context, svc *integrity.Service, interval time.Duration, log *slog.Logger) {
	if svc == nil {
		return
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if polled, failed, err := svc.PollDue(ctx); err != nil {
			if ctx.Err() == nil {
				log.Error("integrity feeds", "err", err)
			}
		} else if polled > 0 {
			log.Info("integrity feeds polled", "feeds", polled, "failed", failed)
		}
	}
}

// relocateItems fills at start-up the place and admin-1 area of content
// items stored without one (imported before migration 0044, or before
// their place was in the gazetteer), with the server's gazetteer, when it
// is not the one the last complete re-location used
// (integrity.RelocateIfNeeded). Items it cannot place stay as they are;
// audited as integrity.items.relocate when it changes any.
func relocateItems(ctx context.Context, svc *integrity.Service, log *slog.Logger) {
	if svc == nil {
		return
	}
	res, _, err := svc.RelocateIfNeeded(ctx, "vigil serve")
	switch {
	case err != nil && ctx.Err() == nil:
		log.Error("re-locating integrity items", "err", err)
	case res.Relocated > 0:
		log.Info("integrity items re-located with the gazetteer", "checked", res.Checked, "relocated", res.Relocated)
	}
}
