package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/storage"
)

const itemsUsage = `vigil items import [--data DIR] [--source NAME] [--format csv|jsonl] FILE

Imports the content items of a social-media monitoring export: a CSV with a
header row (the generic layout id,source,kind,text,lang,author,time,url,
shares,reactions,views,replies,place,lat,lon,media, or a tool's own column
names: see docs/integrity.md) or JSON lines. Each new item is scored,
matched against the lexicon and filed into a narrative; an item already
imported (same source and id) gets its engagement counts updated. Any bad
row is reported by line and nothing is written.`

// openIntegrity returns the information-integrity service over db with the
// data dir's keys and the place-name gazetteer (shipped names plus the
// mission's newest import).
func openIntegrity(ctx context.Context, d *dbFlags, db *storage.DB) (*integrity.Service, error) {
	keys, err := crypt.Load(d.keyDir())
	if err != nil {
		return nil, err
	}
	s := integrity.NewService(db, keys)
	shipped, err := demo.Gazetteer()
	if err != nil {
		return nil, err
	}
	parts := []*geotext.Gazetteer{}
	if imp, ok, err := db.LatestGazetteerImport(ctx); err != nil {
		return nil, err
	} else if ok {
		g, err := geotext.LoadGazetteer(bytes.NewReader(imp.CSV), imp.Name)
		if err != nil {
			return nil, err
		}
		parts = append(parts, g)
	}
	s.SetGazetteer(geotext.Merge(append(parts, shipped)...))
	return s, nil
}

// openItemStore opens the store and the integrity service over it; the
// caller closes db.
func openItemStore(ctx context.Context, d *dbFlags) (*integrity.Service, *storage.DB, error) {
	db, err := d.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	s, err := openIntegrity(ctx, d, db)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return s, db, nil
}

func runItems(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "feed" {
		return runItemsFeed(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "import" {
		return usageError{"want 'items import [--data DIR] [--source NAME] FILE' or 'items feed [--data DIR] [--source NAME] URL…'\n" + itemsUsage}
	}
	fs, d := storeFlags("items import", stderr)
	source := fs.String("source", "", "the source (platform, outlet) of rows without a source column")
	format := fs.String("format", "", "csv or jsonl (default: by the file name, else by its first byte)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"want one FILE\n" + itemsUsage}
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	s, db, err := openItemStore(ctx, d)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := s.Import(ctx, cliActor(), f, filepath.Base(path), integrity.ImportOptions{Source: *source, Format: *format})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d new items, %d updated, %d new narratives\n", path, res.Added, res.Updated, res.Narratives)
	return nil
}

// tiplineItems files each new message of a tipline channel as a content item.
func tiplineItems(s *integrity.Service) func(ctx context.Context, c alerts.Channel, a *alerts.Alert) error {
	return func(ctx context.Context, c alerts.Channel, a *alerts.Alert) error {
		at := a.SentAt
		if at.IsZero() {
			at = a.ReceivedAt
		}
		_, err := s.FromTiplineSender(ctx, c.Name, a.ID, a.SenderMAC, a.Message, at)
		return err
	}
}

// runItemsFeed polls RSS/Atom feeds once each (run it from cron or a
// systemd timer for a schedule): new entries become content items, known
// ones are left as they are; a feed that does not answer within
// integrity.FeedTimeout fails without writing anything.
func runItemsFeed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, d := storeFlags("items feed", stderr)
	source := fs.String("source", "", "the source name of the items (default: the feed's title)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{"want one or more feed URLs: vigil items feed [--data DIR] [--source NAME] URL…"}
	}
	s, db, err := openItemStore(ctx, d)
	if err != nil {
		return err
	}
	defer db.Close()
	var failed []string
	for _, u := range fs.Args() {
		res, err := s.PollFeed(ctx, cliActor(), nil, u, *source)
		if err != nil {
			fmt.Fprintf(stderr, "%v\n", err)
			failed = append(failed, u)
			continue
		}
		fmt.Fprintf(stdout, "%s: %d new items, %d already known, %d new narratives\n", u, res.Added, res.Updated, res.Narratives)
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d feeds failed", len(failed), fs.NArg())
	}
	return nil
}
