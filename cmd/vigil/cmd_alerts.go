package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/capxml"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/storage"
)

// gazetteerFile is where the imported gazetteer lives in the data directory.
const gazetteerFile = "gazetteer.csv"

func runAlerts(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	sub, args, fs, d, err := storeSub("alerts", "purge, gazetteer, import-cap or escalate", args, stderr)
	if err != nil {
		return err
	}
	switch sub {
	case "purge":
		days := fs.Int("days", 90, "remove reporters' phone numbers and names from alerts older than this many days")
		svc, db, err := parseAndOpen(ctx, fs, args, d, openAlerts)
		if err != nil {
			return err
		}
		defer db.Close()
		n, err := svc.Purge(ctx, cliActor(), *days)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "reporter details removed from %d alerts older than %d days\n", n, *days)
		return nil
	case "gazetteer":
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			return usageError{"want one CSV file: vigil alerts gazetteer --data DIR FILE.csv"}
		}
		b, err := os.ReadFile(fs.Arg(0))
		if err != nil {
			return err
		}
		g, err := geotext.LoadGazetteer(strings.NewReader(string(b)), fs.Arg(0))
		if err != nil {
			return err
		}
		if err := os.MkdirAll(d.keyDir(), 0o700); err != nil {
			return err
		}
		dst := filepath.Join(d.keyDir(), gazetteerFile)
		tmp := dst + ".tmp"
		if err := os.WriteFile(tmp, b, 0o600); err != nil {
			return err
		}
		if err := os.Rename(tmp, dst); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "gazetteer of %d places installed in %s (restart vigil serve to use it)\n", len(g.Places), dst)
		return nil
	case "import-cap":
		channel := fs.String("channel", "", "key of the channel the imported alerts are filed under (a webhook channel)")
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 || *channel == "" {
			return usageError{"want --channel KEY and CAP files: vigil alerts import-cap --data DIR --channel KEY FILE.xml…"}
		}
		svc, db, err := openAlerts(ctx, d)
		if err != nil {
			return err
		}
		defer db.Close()
		c, err := svc.Channel(ctx, *channel)
		if err != nil {
			return fmt.Errorf("--channel %s: %w", *channel, err)
		}
		stored, dups := 0, 0
		for _, path := range fs.Args() {
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			a, err := capxml.Decode(f)
			f.Close()
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			for _, in := range alerts.FromCAP(a) {
				got, err := svc.Receive(ctx, c, in)
				if err != nil {
					return fmt.Errorf("%s: %w", path, err)
				}
				if got.Duplicate {
					dups++
				} else {
					stored++
				}
			}
		}
		fmt.Fprintf(stdout, "%d alerts stored, %d already known\n", stored, dups)
		return nil
	case "escalate":
		hook := fs.String("alerts-escalation-url", "", "POST a JSON notice here for each incident escalated, as vigil serve does (http or https); without it the incidents are marked escalated and no one is notified")
		hookLL := fs.Bool("alerts-escalation-allow-link-local", false, "let --alerts-escalation-url reach link-local and cloud metadata addresses (refused by default)")
		baseURL := fs.String("base-url", os.Getenv("VIGIL_BASE_URL"), "public URL of the server, which the notices link incidents at (as vigil serve's; env VIGIL_BASE_URL)")
		triage := fs.Duration("alerts-triage-sla", alerts.DefaultSLA.Triage, "time to triage before an incident is overdue (as vigil serve's)")
		response := fs.Duration("alerts-response-sla", alerts.DefaultSLA.Response, "time to response before an incident is overdue (as vigil serve's)")
		svc, db, err := parseAndOpen(ctx, fs, args, d, openAlerts)
		if err != nil {
			return err
		}
		defer db.Close()
		if err := alerts.CheckEscalationURL(*hook, *hookLL); err != nil {
			return usageError{"--alerts-escalation-url: " + err.Error()}
		}
		svc.EscalationURL, svc.EscalationAllowLinkLocal, svc.BaseURL = *hook, *hookLL, *baseURL
		svc.SLA = alerts.SLA{Triage: *triage, Response: *response}
		// The notices it writes are posted now, and only them: the
		// outbox's others (a server's, for its own webhook) are not sent
		// to this URL. One that fails stays in the outbox for vigil serve
		// (with the same webhook) to retry.
		n, sent, err := svc.EscalateOverdueNow(ctx)
		if err != nil {
			return err
		}
		if *hook == "" {
			fmt.Fprintf(stdout, "%d incidents escalated (no --alerts-escalation-url: no one notified)\n", n)
			return nil
		}
		fmt.Fprintf(stdout, "%d incidents escalated; %d of their notices posted to the escalation webhook (any that failed are retried by vigil serve --alerts-escalation-url)\n", n, sent)
		return nil
	}
	return usageError{fmt.Sprintf("unknown subcommand %q (want purge, gazetteer, import-cap or escalate)", sub)}
}

// openAlerts opens the store and the keyring of the data directory.
func openAlerts(ctx context.Context, d *dbFlags) (*alerts.Service, *storage.DB, error) {
	db, err := d.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	k, err := crypt.Load(d.keyDir())
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	svc := alerts.NewService(db, k)
	if _, err := svc.SealStoredText(ctx, cliActor()); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("sealing alert text stored in clear by an older version: %w", err)
	}
	if b, err := os.ReadFile(filepath.Join(d.keyDir(), gazetteerFile)); err == nil {
		g, err := geotext.LoadGazetteer(strings.NewReader(string(b)), gazetteerFile)
		if err != nil {
			db.Close()
			return nil, nil, err
		}
		svc.SetGazetteer(g)
	}
	return svc, db, nil
}

// alertsServeFlags are vigil serve's alert-network flags.
type alertsServeFlags struct {
	retentionDays int
	escalationURL string
	escalationLL  bool // allow link-local and metadata escalation targets
	baseURL       string
	sender        string
	triage        time.Duration
	response      time.Duration
	radius        float64
	window        time.Duration
	lang          string // the mission's language (alerts.Service.Lang)
}

func addAlertsServeFlags(fs *flag.FlagSet) *alertsServeFlags {
	f := &alertsServeFlags{}
	fs.IntVar(&f.retentionDays, "alerts-retention-days", 90, "purge reporters' numbers and names from alerts older than this (0: keep)")
	fs.StringVar(&f.escalationURL, "alerts-escalation-url", "", "POST a JSON notice here when an incident is overdue (http or https)")
	fs.BoolVar(&f.escalationLL, "alerts-escalation-allow-link-local", false, "let --alerts-escalation-url reach link-local and cloud metadata addresses (refused by default)")
	fs.StringVar(&f.baseURL, "base-url", os.Getenv("VIGIL_BASE_URL"), "public URL of this server (Twilio signatures, CAP links, intake URLs; env VIGIL_BASE_URL)")
	fs.StringVar(&f.sender, "cap-sender", "vigil@localhost", "CAP <sender> of published alerts")
	fs.DurationVar(&f.triage, "alerts-triage-sla", alerts.DefaultSLA.Triage, "time to triage before an incident is overdue")
	fs.DurationVar(&f.response, "alerts-response-sla", alerts.DefaultSLA.Response, "time to response before an incident is overdue")
	fs.Float64Var(&f.radius, "alerts-group-radius", alerts.DefaultGrouping.RadiusM, "metres within which alerts join an open incident")
	fs.DurationVar(&f.window, "alerts-group-window", alerts.DefaultGrouping.Window, "how recent an incident's last alert must be to join it")
	fs.StringVar(&f.lang, "mission-lang", os.Getenv("VIGIL_MISSION_LANG"), "the mission's language, en or fr: SMS answers to reporters are in it when a message is in neither (env VIGIL_MISSION_LANG; default en)")
	return f
}

// check validates the flags before the server starts.
func (f *alertsServeFlags) check() error {
	if err := alerts.CheckEscalationURL(f.escalationURL, f.escalationLL); err != nil {
		return usageError{"--alerts-escalation-url: " + err.Error()}
	}
	if f.lang != "" && !slices.Contains(alerts.ReplyLangs, f.lang) {
		return usageError{fmt.Sprintf("--mission-lang: %q: want en or fr", f.lang)}
	}
	return nil
}

// start builds the alert service for vigil serve over the server's one
// keyring k (a key rotated by the alert service is then the contacts',
// integrity's and surveys' too) and runs its periodic jobs (escalation
// every minute, the escalation webhook's outbox every alerts.NoticePoll,
// retention every hour) until ctx ends.
func (f *alertsServeFlags) start(ctx context.Context, d *dbFlags, k *crypt.Keyring, db *storage.DB, log *slog.Logger) (*alerts.Service, error) {
	svc := alerts.NewService(db, k)
	svc.Log, svc.EscalationURL, svc.BaseURL, svc.Sender = log, f.escalationURL, f.baseURL, f.sender
	svc.EscalationAllowLinkLocal = f.escalationLL
	svc.Lang = f.lang
	svc.SLA = alerts.SLA{Triage: f.triage, Response: f.response}
	svc.Grouping = alerts.Grouping{RadiusM: f.radius, Window: f.window}
	// Alert text written in clear by a version before migration 0011 is
	// sealed now, before the server answers anything (idempotent).
	if n, err := svc.SealStoredText(ctx, "system:upgrade"); err != nil {
		return nil, fmt.Errorf("sealing alert text stored in clear by an older version: %w", err)
	} else if n > 0 {
		log.Info("alerts: free text written in clear by an older version is now sealed", "rows", n)
	}
	// Live queue: changes by other processes on the same database reach
	// this server's streams through the change counter, polled every 2 s.
	go svc.WatchStore(ctx, 2*time.Second)
	if b, err := os.ReadFile(filepath.Join(d.keyDir(), gazetteerFile)); err == nil {
		g, err := geotext.LoadGazetteer(strings.NewReader(string(b)), gazetteerFile)
		if err != nil {
			return nil, err
		}
		svc.SetGazetteer(g)
	}
	// The escalation webhook's outbox: retries, and notices a stopped or
	// killed process left, every alerts.NoticePoll.
	go svc.RunNotices(ctx)
	go func() {
		tick := time.NewTicker(time.Minute)
		defer tick.Stop()
		lastPurge, lastForget := time.Time{}, time.Time{}
		for {
			if n, err := svc.EscalateOverdue(ctx); err != nil {
				log.Error("alerts escalation", "err", err)
			} else if n > 0 {
				log.Info("alerts escalated", "incidents", n)
			}
			if f.retentionDays > 0 && time.Since(lastPurge) > time.Hour {
				if n, err := svc.Purge(ctx, "system:retention", f.retentionDays); err != nil {
					log.Error("alerts retention", "err", err)
				} else {
					lastPurge = time.Now()
					if n > 0 {
						log.Info("alerts retention: reporter details purged", "alerts", n)
					}
				}
			}
			// Incident changes' request ids (a row per change) past
			// alerts.RequestIDKeep, hourly.
			if time.Since(lastForget) > time.Hour {
				if _, err := svc.ForgetRequests(ctx); err != nil {
					log.Error("alerts: forgetting old request ids", "err", err)
				} else if _, err := svc.ForgetNotices(ctx); err != nil {
					// Webhook notices sent or given up past alerts.NoticeKeep.
					log.Error("alerts: forgetting old webhook notices", "err", err)
				} else {
					lastForget = time.Now()
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return svc, nil
}
