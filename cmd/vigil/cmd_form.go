package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"strings"

	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/xlsform"
)

const formUsage = `usage: vigil form add [--data DIR | --db URL] [--media FILE]... [--id ID] [--xform-out FILE] FILE.xml|FILE.xlsx
       vigil form list [--data DIR | --db URL]
       vigil form open|close [--data DIR | --db URL] FORM_ID`

// openSurveys returns the survey service over db, sealing with the data
// directory's keyring.
func openSurveys(d *dbFlags, db *storage.DB) (*surveys.Service, error) {
	keys, err := crypt.Load(d.keyDir())
	if err != nil {
		return nil, err
	}
	return surveysService(db, keys), nil
}

// surveysService is the surveys service over db with keys.
func surveysService(db *storage.DB, keys *crypt.Keyring) *surveys.Service {
	return &surveys.Service{Store: db, Keys: keys, Auditor: db}
}

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func runForm(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	sub, args, fs, d, err := storeSub("form", "add, list, open or close", args, stderr)
	if err != nil {
		return err
	}
	var media stringList
	var id, out *string
	if sub == "add" {
		fs.Var(&media, "media", "a media file the form refers to (repeatable)")
		id = fs.String("id", "", "form id for an XLSForm without settings form_id (default: the file name)")
		out = fs.String("xform-out", "", "also write the XForm converted from an XLSForm to this file")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch sub {
	case "add":
		if fs.NArg() != 1 {
			return usageError{"want one form file\n" + formUsage}
		}
		return formAdd(ctx, d, fs.Arg(0), media, *id, *out, stdout)
	case "list":
		if fs.NArg() != 0 {
			return usageError{formUsage}
		}
		db, err := d.open(ctx)
		if err != nil {
			return err
		}
		defer db.Close()
		forms, err := db.Forms(ctx)
		if err != nil {
			return err
		}
		return printTable(stdout, "FORM ID\tVERSION\tSTATE\tSUBMISSIONS\tTITLE", forms, func(f surveys.Form) (string, error) {
			subs, err := db.Submissions(ctx, f.ID)
			return fmt.Sprintf("%s\t%s\t%s\t%d\t%s", f.FormID, f.Version, f.State, len(subs), f.Title), err
		})
	case "open", "close":
		if fs.NArg() != 1 {
			return usageError{"want a form id\n" + formUsage}
		}
		db, err := d.open(ctx)
		if err != nil {
			return err
		}
		defer db.Close()
		state := surveys.Open
		if sub == "close" {
			state = surveys.Closed
		}
		svc := &surveys.Service{Store: db}
		if err := svc.SetState(ctx, operatorActor(), fs.Arg(0), state); err != nil {
			if errors.Is(err, surveys.ErrNoForm) {
				return fmt.Errorf("form %q does not exist", fs.Arg(0))
			}
			return err
		}
		fmt.Fprintf(stdout, "form %s is %s\n", fs.Arg(0), state)
		return nil
	}
	return usageError{fmt.Sprintf("unknown subcommand %q\n%s", sub, formUsage)}
}

func formAdd(ctx context.Context, d *dbFlags, file string, mediaFiles []string, id, out string, stdout io.Writer) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	xml := data
	if strings.EqualFold(filepath.Ext(file), ".xlsx") {
		stem := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
		if id == "" {
			id = stem
		}
		if xml, err = xlsform.Convert(data, xlsform.Options{ID: id}); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if out != "" {
			if err := os.WriteFile(out, xml, 0o644); err != nil {
				return err
			}
		}
	}
	var media []surveys.Media
	for _, m := range mediaFiles {
		b, err := os.ReadFile(m)
		if err != nil {
			return err
		}
		ct := mime.TypeByExtension(filepath.Ext(m))
		media = append(media, surveys.Media{Name: filepath.Base(m), ContentType: ct, Content: b})
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	svc, err := openSurveys(d, db)
	if err != nil {
		return err
	}
	f, warnings, err := svc.AddForm(ctx, operatorActor(), xml, media)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	fmt.Fprintf(stdout, "form %s (version %q, %q) is %s; %d media files\n", f.FormID, f.Version, f.Title, f.State, len(media))
	for _, w := range warnings {
		fmt.Fprintf(stdout, "warning: %s\n", w)
	}
	return nil
}
