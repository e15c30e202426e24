package ingest

import (
	"net/url"
	"strings"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/internal/apperr"
)

// QueryOptions reads an import's options from an API query: format
// (default detected), source (at most 100 bytes on one line), and the
// flags strict, repair and check (true or 1, false or 0; strict and
// repair exclude each other). Each refusal is invalid input naming the
// parameter.
func QueryOptions(q url.Values) (Options, error) {
	var opt Options
	var err error
	if opt.Format, err = ParseFormat(q.Get("format")); err != nil {
		return opt, apperr.FieldErr(apperr.KindInvalid, "format", err)
	}
	for _, f := range []struct {
		name string
		dst  *bool
	}{{"strict", &opt.Strict}, {"repair", &opt.RepairEstimates}, {"check", &opt.Check}} {
		switch v := q.Get(f.name); v {
		case "", "false", "0":
		case "true", "1":
			*f.dst = true
		default:
			return opt, apperr.Fieldf(apperr.KindInvalid, f.name, "%q is not true or false", v)
		}
	}
	if opt.Strict && opt.RepairEstimates {
		return opt, apperr.Wrap(apperr.KindInvalid, "repair", apperr.Text("strict and repair cannot be combined"))
	}
	opt.Source = strings.TrimSpace(q.Get("source"))
	if len(opt.Source) > 100 || strings.ContainsAny(opt.Source, "\r\n\x00") {
		return opt, apperr.Fieldf(apperr.KindInvalid, "source", "a name of at most 100 bytes on one line")
	}
	return opt, nil
}

// AuditAs has an import that writes (not Check) audited in its
// transaction as actor importing the file name (events.import).
func (o *Options) AuditAs(actor, name string) {
	if !o.Check {
		o.Audit = &audit.Entry{Actor: actor, Action: "events.import", Object: "events:" + name}
	}
}
