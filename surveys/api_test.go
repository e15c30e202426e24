package surveys

import (
	"context"
	"net/url"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
)

// TestAPIQueries: the survey API's queries parse or are refused naming
// the parameter, and a form's state change is checked before the store is
// asked.
func TestAPIQueries(t *testing.T) {
	type queryCase struct {
		q, text, field string
		parse          func(url.Values) (any, error)
		want           any
	}
	apperrtest.Queries(t, []queryCase{
		{"round=2&compare=1&from=2026-01-01&to=2026-02-01&country=Mali", "", "", func(q url.Values) (any, error) { return ParseAnalyseQuery(q) }, AnalyseQuery{"2", "1", "2026-01-01", "2026-02-01"}},
		{"round=2&page=1", `unknown parameter "page" (allowed: round, compare, country, from, to)`, "page", func(q url.Values) (any, error) { return ParseAnalyseQuery(q) }, nil},
		{"round=1&round=2", `parameter "round" given 2 times`, "round", func(q url.Values) (any, error) { return ParseAnalyseQuery(q) }, nil},
		{"round=3&format=hxl&text=q_comment", "", "", func(q url.Values) (any, error) { return ParseExportQuery(q) }, ExportQuery{"3", "hxl", "q_comment"}},
		{"format=xlsx", `format "xlsx": want csv, hxl or report`, "format", func(q url.Values) (any, error) { return ParseExportQuery(q) }, nil},
		{"k=5", `unknown parameter "k" (allowed: round, format, text)`, "k", func(q url.Values) (any, error) { return ParseExportQuery(q) }, nil},
	}, func(c queryCase) (string, string, string, any, func(url.Values) (any, error)) {
		return c.q, c.text, c.field, c.want, c.parse
	})
	_, err := (&Service{}).ChangeState(context.Background(), "admin", "f", StateChange{State: "archived"})
	apperrtest.Invalid(t, "ChangeState", err, `state must be "open" or "closed"`, "state")
}
