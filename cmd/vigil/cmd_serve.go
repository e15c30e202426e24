package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/integrity/classify"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/web"
)

// demoUser is the login `serve --demo` creates (or resets) and prints.
const demoUser = "demo"

func runServe(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, d := storeFlags("serve", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "HOST:PORT to listen on (port 0 picks a free one)")
	withDemo := fs.Bool("demo", false, "load the built-in demo data if the store has no events, and create (or reset) the demo login")
	secure := fs.Bool("secure-cookies", false, "mark cookies Secure (when a TLS proxy sits in front)")
	tlsCert := fs.String("tls-cert", "", "serve HTTPS with this PEM certificate (chain) FILE; needs --tls-key (browsers open the UI offline only over HTTPS or on localhost)")
	tlsKey := fs.String("tls-key", "", "the PEM private key FILE of --tls-cert")
	behindProxy := fs.Bool("behind-tls-proxy", false, "a proxy in front terminates TLS: trust its X-Forwarded-Proto: https (OpenRosa Basic is refused otherwise over plain HTTP); implies --secure-cookies")
	alertsFlags := addAlertsServeFlags(fs)
	fcEvery := fs.Duration("forecast-every", 24*time.Hour, "recompute the risk forecasts on this interval, e.g. 6h, and after each import of events (0: only when an analyst asks in the UI)")
	fcCells := fs.String("forecast-cells", "", "PRIO-GRID cell list FILE (priogrid_gid, gwno) for the per-country forecast of a refresh (--demo: the demo's)")
	mission := fs.String("mission", os.Getenv("VIGIL_MISSION"), "the mission's name, the author of published fact-checks (env VIGIL_MISSION; default \""+integrity.DefaultMission+"\")")
	bcast := contactsFlags(fs) // serve_contacts.go
	mdmhData := fs.String("mdmh-data", "", "DIR holding the built-in harmful-speech model's training files (the four labelled CSVs of ../shared/data/mdmh): lets analysts retrain the classifier with their labels (default: none, retraining unavailable)")
	covCells := fs.String("coverage-cells", "", "PRIO-GRID cell list FILE (priogrid_gid, country) that fixes the coverage analysis grid: sites and population cells outside it are refused (default: derived from the deployments and events, around the embedded reference cells)")
	if err := parseNoArgs(fs, args, ""); err != nil {
		return err
	}
	if err := alertsFlags.check(); err != nil {
		return err
	}
	var covGrid *coverage.Cells // nil: derived from the data
	if *covCells != "" {
		var err error
		if covGrid, err = loadCells(*covCells); err != nil {
			return fmt.Errorf("--coverage-cells: %w", err)
		}
	}
	tlsConfig, err := loadTLS(*tlsCert, *tlsKey)
	if err != nil {
		return err
	}
	if tlsConfig != nil || *behindProxy {
		*secure = true // Secure cookies and HSTS
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	d.warnShared(log)
	// Open read the database's locale (postgres.Open): its warning, if any.
	if warn := db.CaseFoldingWarning(); warn != "" {
		log.Warn(warn)
	}
	// Every server on one database needs the same keys: refuse to start
	// with a keyring that cannot open what the database holds.
	keys, err := crypt.Load(d.keyDir())
	if err != nil {
		return err
	}
	if err := db.CheckKeyring(ctx, keys); err != nil {
		return err
	}

	var demoPassword, demoAdminPassword string
	if *withDemo {
		if demoPassword, demoAdminPassword, err = setUpDemo(ctx, db, keys, demoBaseURL(alertsFlags.baseURL, *addr, *secure), stdout); err != nil {
			return err
		}
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("--addr %s: %w", *addr, err)
	}
	s := &web.Server{DB: db, Log: log, Secure: *secure, BehindTLSProxy: *behindProxy}
	// One keyring for every service: the Administration page's key rotation
	// (the alert service's) re-encrypts contacts too, which the contacts
	// service must then open with the new key.
	s.Surveys = surveysService(db, keys) // OpenRosa forms and submissions
	if *withDemo {
		// A refused weighting of the demo's answers is tried again as
		// soon as the demo margins are uploaded, not only at the next start.
		s.Surveys.MarginsSaved = demo.RetryWeights(db, keys)
	}
	if s.Alerts, err = alertsFlags.start(ctx, d, keys, db, log); err != nil {
		return err
	}
	if s.Performance, err = performanceService(db, s.Surveys, s.Alerts, alertsFlags.baseURL, log); err != nil {
		return err
	}
	// Place names: the shipped gazetteer with the mission's imported one,
	// to locate alert texts and name cells.
	var area *geotext.Area
	if *withDemo {
		area = demo.DemoArea // the six demo countries' names rank first
	}
	if err := useMapServices(s, db, area, covGrid, log); err != nil { // serve_services.go
		return err
	}
	if err := s.LoadPlaces(ctx); err != nil {
		return fmt.Errorf("gazetteer: %w", err)
	}
	fr, cleanup, err := forecastRefresher(ctx, db, *fcCells, *withDemo)
	if err != nil {
		return err
	}
	defer cleanup()
	s.Forecasts = fr
	go fr.Schedule(ctx, *fcEvery)
	if *fcEvery > 0 { // and after each import of events (vigil import, an incident made an event)
		go fr.WatchImports(ctx, func(ctx context.Context) (int64, error) {
			ev, _, err := db.CoverageVersions(ctx)
			return ev, err
		}, importCheck)
	}
	s.Integrity = integrity.NewService(db, keys) // information integrity (cmd_items.go)
	s.Integrity.Places, s.Integrity.Log, s.Integrity.Mission = s.Places, log, *mission
	if *mdmhData != "" {
		for _, f := range classify.TrainingFiles {
			if _, err := os.Stat(filepath.Join(*mdmhData, f)); err != nil {
				return fmt.Errorf("--mdmh-data: %w", err)
			}
		}
		s.Integrity.TrainingDir = *mdmhData
	}
	if s.Alerts != nil { // tipline channels' messages become content items
		s.Alerts.Tipline = tiplineItems(s.Integrity)
	}
	useContacts(ctx, s, db, keys, log, bcast) // serve_contacts.go
	if *withDemo {
		if err := loadDemoContacts(ctx, s); err != nil { // serve_contacts.go
			return err
		}
	}
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          web.ErrorLog(log), // warning level, client addresses withheld
		TLSConfig:         tlsConfig,
	}
	errc := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			errc <- srv.ServeTLS(ln, "", "") // the certificate is in TLSConfig
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	// Build the in-process events index now rather than on the first map
	// request (seconds for a million events).
	go func() {
		if err := db.WarmEvents(ctx); err != nil && ctx.Err() == nil {
			log.Warn("warming the events index", "err", err)
		}
	}()

	go watchWithdrawals(ctx, s.Performance, time.Minute, 30*time.Minute, log)                         // serve_performance.go
	go watchSpikes(ctx, s.Integrity, db, s.Alerts, alertsFlags.baseURL, time.Minute, spikeEvery, log) // serve_integrity.go
	go pollFeeds(ctx, s.Integrity, feedEvery, log)                                                    // serve_integrity.go
	go relocateItems(ctx, s.Integrity, log)                                                           // serve_integrity.go
	fmt.Fprintf(stdout, "Vigil is running at %s\n", serverURL(ln.Addr(), *secure))
	if *withDemo {
		fmt.Fprintf(stdout, "Demo login: user %s, password %s (analyst: every page)\n", demoUser, demoPassword)
		fmt.Fprintf(stdout, "Demo admin login: user %s, password %s (administration)\n", demoAdmin, demoAdminPassword)
		go demoBackground(ctx, s, db, keys, stdout, log)
	}
	fmt.Fprintln(stdout, "Press Ctrl-C to stop.")

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	// Escalation notices given by requests before the stop go out now
	// (they are in the outbox: those that cannot go out by the deadline,
	// or a killed process's, are posted by the next start).
	if err := s.Alerts.Drain(shutCtx); err != nil {
		log.Warn("shutdown: escalation webhook notices not all delivered", "err", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// loadTLS reads the --tls-cert and --tls-key files (both or neither); nil
// without them. Errors name the flag and file.
func loadTLS(certFile, keyFile string) (*tls.Config, error) {
	switch {
	case certFile == "" && keyFile == "":
		return nil, nil
	case certFile == "":
		return nil, usageError{"--tls-key needs --tls-cert"}
	case keyFile == "":
		return nil, usageError{"--tls-cert needs --tls-key"}
	}
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return nil, fmt.Errorf("--tls-cert: %w", err)
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, fmt.Errorf("--tls-key: %w", err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("--tls-cert %s, --tls-key %s: %w", certFile, keyFile, err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// serverURL is the address to open in a browser: a wildcard listen address
// is shown as localhost.
func serverURL(a net.Addr, secure bool) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	scheme := "http"
	if secure {
		scheme = "https"
	}
	return scheme + "://" + net.JoinHostPort(host, port) + "/"
}

// setUpDemo loads what the demo has not stored yet (events and
// deployments, demo alerts and incidents, the starter survey with synthetic
// responses and margins: package demo) and creates (or resets the
// passwords of) the demo analyst and the demo admin, returning their new
// passwords. Forecasts and the demo scenario follow in demoBackground.
func setUpDemo(ctx context.Context, db *storage.DB, keys *crypt.Keyring, baseURL string, stdout io.Writer) (string, string, error) {
	t0 := time.Now()
	svc := auth.NewService(db)
	actor := "serve --demo"
	// Both logins at once: each password hash takes a moment (argon2id).
	users := []struct {
		name string
		role auth.Role
	}{{demoUser, auth.Analyst}, {demoAdmin, auth.Admin}}
	pws := make([]string, len(users))
	errs := make([]error, len(users))
	var wg sync.WaitGroup
	for i, u := range users {
		wg.Go(func() {
			pw := demoPasswordString()
			_, err := svc.CreateUser(ctx, actor, u.name, u.role, pw)
			if errors.Is(err, auth.ErrUserExists) {
				role, no := u.role, false
				_, err = svc.UpdateUser(ctx, actor, u.name, auth.Change{Role: &role, Disabled: &no, Password: &pw})
			}
			if err != nil {
				errs[i] = fmt.Errorf("demo user %s: %w", u.name, err)
			}
			pws[i] = pw
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return "", "", err
	}
	opt := demo.Options{Progress: stdout, Keys: keys, User: demoUser, BaseURL: baseURL}
	if err := demo.Setup(ctx, db, opt, demoDeployments); err != nil {
		return "", "", err
	}
	if ok, err := demo.LoadFramework(ctx, db, actor); err != nil {
		return "", "", fmt.Errorf("demo results framework: %w", err)
	} else if ok {
		fmt.Fprintf(stdout, "demo: results framework for %s saved\n", demo.FrameworkMission)
	}
	// A demo framework stored by a Vigil without French texts gets the
	// shipped demo's French where its texts are still the demo's (once).
	if n, err := demo.FrameworkFrench(ctx, db, actor); err != nil {
		fmt.Fprintf(stdout, "demo: the results framework's French texts were not added (tried again at the next start): %v\n", err)
	} else if n > 0 {
		fmt.Fprintf(stdout, "demo: results framework for %s: %d French texts added\n", demo.FrameworkMission, n)
	}
	fmt.Fprintf(stdout, "demo: data ready (%.1fs)\n", time.Since(t0).Seconds())
	return pws[0], pws[1], nil
}

// demoBaseURL is the public URL the demo's fact-check answers link to:
// --base-url, else the listen address.
func demoBaseURL(base, addr string, secure bool) string {
	if base != "" {
		return base
	}
	if a, err := net.ResolveTCPAddr("tcp", addr); err == nil {
		return strings.TrimRight(serverURL(a, secure), "/")
	}
	return ""
}

// demoAdmin is the admin login `serve --demo` creates (or resets).
const demoAdmin = "demo-admin"

// demoBackground saves the demo coverage scenario and computes the demo
// forecasts (country, then cell) after the server answers, unless stored;
// GET /api/v1/demo says "computing" meanwhile.
func demoBackground(ctx context.Context, s *web.Server, db *storage.DB, keys *crypt.Keyring, stdout io.Writer, log *slog.Logger) {
	t0 := time.Now()
	st, err := db.DemoState(ctx)
	if err != nil {
		log.Error("demo state", "err", err)
		return
	}
	if st[demo.StateScenario] != demo.Done {
		name, err := s.SaveDemoScenario(ctx, demoUser)
		if err != nil {
			log.Error("demo coverage scenario", "err", err)
		} else if err := db.SetDemoState(ctx, demo.StateScenario, demo.Done); err == nil {
			fmt.Fprintf(stdout, "demo: coverage scenario saved: %s\n", name)
		}
	}
	// The scenario saved by a Vigil without French names gets its own
	// (once; a scenario a user renamed or saved is left as it is).
	if st[demo.StateScenarioFR] != demo.Done {
		if n, err := s.Coverage.DemoScenarioFrench(ctx, demoUser); err != nil {
			log.Error("demo coverage scenario's French name", "err", err)
		} else if err := db.SetDemoState(ctx, demo.StateScenarioFR, demo.Done); err == nil && n > 0 {
			fmt.Fprintf(stdout, "demo: coverage scenario given its French name\n")
		}
	}
	pending, err := demo.ForecastsPending(ctx, db)
	if err != nil || !pending {
		return
	}
	if err := demo.Forecasts(ctx, db, demo.Options{Progress: stdout, Keys: keys, User: demoUser}); err != nil {
		if ctx.Err() == nil {
			log.Error("demo forecasts", "err", err)
		}
		return
	}
	fmt.Fprintf(stdout, "demo: every page's data is ready (%.1fs after the server answered)\n", time.Since(t0).Seconds())
}

// demoPasswordString is a fresh random password (26 base32 characters).
func demoPasswordString() string { return rand.Text() }

// importCheck is how often serve reads the events version to refresh the
// forecasts after an import.
const importCheck = 30 * time.Second

// forecastRefresher is the server's forecast refresh (the UI's "refresh
// now" and the --forecast-every schedule): the cell forecast, and the
// country one with a cell list (--forecast-cells, or the demo's, copied to
// a temporary file that cleanup removes). It waits while the demo's first
// forecasts are computed.
func forecastRefresher(ctx context.Context, db *storage.DB, cells string, withDemo bool) (*forecast.Refresher, func(), error) {
	cleanup := func() {}
	if cells != "" {
		if _, err := os.Stat(cells); err != nil {
			return nil, nil, fmt.Errorf("--forecast-cells: %w", err)
		}
	} else if withDemo {
		f, err := os.CreateTemp("", "vigil-refresh-cells-*.csv")
		if err != nil {
			return nil, nil, err
		}
		r, err := demo.Open(demo.PrioGridCells)
		if err == nil {
			_, err = io.Copy(f, r)
			r.Close()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(f.Name())
			return nil, nil, fmt.Errorf("demo cell list: %w", err)
		}
		cells, cleanup = f.Name(), func() { os.Remove(f.Name()) }
	}
	busy := func(ctx context.Context) bool {
		st, err := db.DemoState(ctx)
		return err == nil && (st[demo.StateForecastCtr] == demo.Computing || st[demo.StateForecastPG] == demo.Computing)
	}
	return &forecast.Refresher{Store: db, Jobs: forecast.RefreshJobs(cells), Busy: busy}, cleanup, nil
}
