package main

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/performance"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/surveys"
)

// performanceService is the performance service vigil serve gives the web
// server: indicators computed from the store's events, deployments,
// forecasts, alerts and surveys over the embedded PRIO-GRID cells (as
// vigil indicator does), frameworks kept in the store. Its cached engine is
// rebuilt as soon as events, deployments, alerts, forecasts, survey answers
// or information-integrity items and checks change (PerformanceVersion). A withdrawal-watch trigger
// goes to leadership through the alert network's escalation webhook
// (watchAlert).
func performanceService(db *storage.DB, sv *surveys.Service, al *alerts.Service, baseURL string, log *slog.Logger) (*performance.Service, error) {
	cells, err := loadCells("")
	if err != nil {
		return nil, err
	}
	return &performance.Service{Store: db, Events: db, Deployments: db, Forecasts: db, Alerts: db, Settings: db, Surveys: sv, Integrity: db, Cells: cells,
		Version: db.PerformanceVersion, OnTrigger: watchAlert(al, baseURL, log)}, nil
}

// watchAlert sends a fired withdrawal-watch trigger, with its evidence, to
// the escalation webhook; without one it is logged (and it stays in the
// audit log and on the performance page).
func watchAlert(al *alerts.Service, baseURL string, log *slog.Logger) func(ctx context.Context, w performance.Withdrawal, rep *performance.WatchReport) error {
	return func(ctx context.Context, w performance.Withdrawal, rep *performance.WatchReport) error {
		if al == nil || !al.Escalate(ctx, watchAlertBody(w, rep, baseURL)) {
			log.Warn("withdrawal watch: trigger fired; no escalation webhook to alert leadership (vigil serve --alerts-escalation-url)",
				"mission", w.Mission, "withdrawal_month", w.Month, "cell", w.Cell)
		}
		return nil
	}
}

// watchWithdrawals checks the withdrawal watch after first, then every interval
// until ctx ends (vigil serve).
func watchWithdrawals(ctx context.Context, svc *performance.Service, first, interval time.Duration, log *slog.Logger) {
	select {
	case <-ctx.Done():
		return
	case <-time.After(first):
	}
	for {
		if n, alerted, err := svc.CheckWatch(ctx, "withdrawal watch"); err != nil {
			if ctx.Err() == nil {
				log.Error("withdrawal watch", "err", err)
			}
		} else if n > 0 {
			log.Info("withdrawal watch: triggers recorded", "new", n, "alerted", alerted)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}

// watchAlertBody is the escalation webhook's notice of a fired withdrawal:
// what leadership reads first in plain words, English and French ("text",
// "text_fr": performance.AlertWords, as the Performance page and the brief
// say it), the statistics for analysts apart ("figures", "figures_fr":
// performance.AlertFigures), and the evidence as numbers for machines.
func watchAlertBody(w performance.Withdrawal, rep *performance.WatchReport, baseURL string) map[string]any {
	words, figs := performance.AlertWords(w, rep.Config), performance.AlertFigures(w)
	return map[string]any{"type": "vigil.withdrawal.trigger", "mission": w.Mission, "location": w.Location, "area": w.Area, "cell": w.Cell,
		"text": words.Text("en"), "text_fr": words.Text("fr"), "figures": figs.Text("en"), "figures_fr": figs.Text("fr"),
		"withdrawal_month": w.Month, "measure": rep.Config.Measure, "before": w.Before, "after": w.After, "expected": w.Expected, "did": w.DiD, "p": w.P,
		"place": w.Place, "controls": w.Controls, "trigger": rep.Trigger, "matching": rep.Matching,
		"url": strings.TrimRight(baseURL, "/") + "/#/performance"}
}
