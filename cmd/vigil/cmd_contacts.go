package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/storage"
)

// openContacts opens the store, the alert service (channels, gazetteer)
// and the contacts service over them; places resolve through the shipped
// gazetteer, the newest import and the alert service's own.
func openContacts(ctx context.Context, d *dbFlags) (*contacts.Service, *alerts.Service, *storage.DB, error) {
	as, db, err := openAlerts(ctx, d)
	if err != nil {
		return nil, nil, nil, err
	}
	shipped, err := demo.Gazetteer()
	if err != nil {
		db.Close()
		return nil, nil, nil, err
	}
	cs := contacts.NewService(db, as.Keys)
	cs.Places = &geotext.Index{Store: db, Shipped: shipped, User: as}
	cs.Channels = db
	return cs, as, db, nil
}

func runContacts(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	sub, args, fs, d, err := storeSub("contacts", "import", args, stderr)
	if err != nil {
		return err
	}
	switch sub {
	case "import":
		consent := fs.String("consent", "", "how the people in the file agreed to be messaged, for rows without a consent column (e.g. \"verbal, community meeting 2026-11-30\")")
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			return usageError{"want one FILE.csv (columns phone,name,language,groups,place or lat,lon)"}
		}
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		rows, err := contacts.ParseCSV(f, filepath.Base(fs.Arg(0)), *consent)
		if err != nil {
			return err
		}
		cs, _, db, err := openContacts(ctx, d)
		if err != nil {
			return err
		}
		defer db.Close()
		n, err := cs.Import(ctx, cliActor(), rows)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d contacts imported\n", n)
		return nil
	}
	return usageError{fmt.Sprintf("unknown subcommand %q (want import)", sub)}
}

func runBroadcast(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	sub, args, fs, d, err := storeSub("broadcast", "send", args, stderr)
	if err != nil {
		return err
	}
	switch sub {
	case "send":
		channel := fs.String("channel", "", "name of the gateway channel to send through (vigil channel list)")
		group := fs.String("group", "", "send to this group")
		near := fs.String("near", "", "send to everyone within --radius-km of this place")
		radius := fs.Float64("radius-km", 0, "radius around --near, in km")
		cellList := fs.String("cells", "", "send to everyone placed in these PRIO-GRID cells (comma-separated ids)")
		admin := fs.String("admin-area", "", "send to everyone in this first-level administrative area (a gazetteer name, e.g. Ituri)")
		message := fs.String("message", "", "the text")
		lang := fs.String("lang", "fr", "language of --message (contacts in other languages get it too)")
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() != 0 {
			return usageError{"unexpected arguments: " + strings.Join(fs.Args(), " ")}
		}
		if *channel == "" {
			return usageError{"--channel NAME is required"}
		}
		var cells []int
		for _, f := range strings.FieldsFunc(*cellList, func(r rune) bool { return r == ',' || r == ' ' }) {
			c, err := strconv.Atoi(f)
			if err != nil || c <= 0 {
				return usageError{fmt.Sprintf("--cells: %q is not a PRIO-GRID cell id (a positive whole number)", f)}
			}
			cells = append(cells, c)
		}
		cs, as, db, err := openContacts(ctx, d)
		if err != nil {
			return err
		}
		defer db.Close()
		chs, err := as.Store.Channels(ctx)
		if err != nil {
			return err
		}
		var id int64
		for _, c := range chs {
			if c.Name == *channel {
				if id != 0 {
					return usageError{fmt.Sprintf("--channel: several channels are named %q", *channel)}
				}
				id = c.ID
			}
		}
		if id == 0 {
			return usageError{fmt.Sprintf("--channel: no channel named %q (vigil channel list)", *channel)}
		}
		b, err := cs.Send(ctx, cliActor(), contacts.BroadcastRequest{ChannelID: id,
			Audience: contacts.Audience{Group: *group, NearPlace: *near, RadiusKM: *radius, Cells: cells, AdminArea: *admin},
			Messages: map[string]string{*lang: *message}})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "broadcast %d: %d messages queued, %d opted-out contacts skipped\n", b.ID, b.Reach.Queued, b.Reach.SkippedOptedOut)
		return nil
	}
	return usageError{fmt.Sprintf("unknown subcommand %q (want send)", sub)}
}
