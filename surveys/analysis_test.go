package surveys

import (
	"testing"

	"github.com/vigil-project/vigil/internal/apperr"
)

// TestAnalysisRefusals: the checks of the analysis requests answer bad
// input (apperr) naming the field at fault.
func TestAnalysisRefusals(t *testing.T) {
	for _, c := range []struct {
		name  string
		err   error
		field string // "": accepted
	}{
		{"margin name ok", CheckMarginName("acled_2024.v1"), ""},
		{"margin name with a slash", CheckMarginName("a/b"), "name"},
		{"margin name starting with a dot", CheckMarginName(".hidden"), "name"},
		{"margin name of 65 characters", CheckMarginName("a234567890123456789012345678901234567890123456789012345678901234x"), "name"},
		{"export format csv", CheckExportFormat("csv"), ""},
		{"export format default", CheckExportFormat(""), ""},
		{"export format xlsx", CheckExportFormat("xlsx"), "format"},
		{"dates ok", checkDates(map[string]string{"from": "2026-01-31", "to": ""}), ""},
		{"to not a date", checkDates(map[string]string{"from": "2026-01-31", "to": "31/01/2026"}), "to"},
	} {
		switch {
		case c.field == "" && c.err != nil:
			t.Errorf("%s: %v", c.name, c.err)
		case c.field != "" && (!apperr.IsInvalid(c.err) || apperr.FieldOf(c.err) != c.field):
			t.Errorf("%s: %v, want bad input naming %q", c.name, c.err, c.field)
		}
	}
}

// TestFilterReceived: the map's date filter keeps the answers received on
// the days chosen (UTC, both ends included); an answer without a readable
// received time is kept only without a bound.
func TestFilterReceived(t *testing.T) {
	rows := []map[string]string{
		{"id": "a", KeyReceived: "2026-03-01T00:00:00Z"},
		{"id": "b", KeyReceived: "2026-03-31T23:59:59Z"},
		{"id": "c", KeyReceived: "2026-04-01T01:30:00+02:00"}, // 31 March, 23:30 UTC
		{"id": "d", KeyReceived: "2026-04-01T00:00:00Z"},
		{"id": "e"},
		{"id": "f", KeyReceived: "yesterday"},
	}
	for _, c := range []struct {
		from, to string
		want     string
	}{
		{"", "", "abcdef"},
		{"2026-03-01", "2026-03-31", "abc"},
		{"2026-03-02", "", "bcd"},
		{"", "2026-03-01", "a"},
		{"2026-04-01", "2026-04-01", "d"},
		{"2018-01-01", "2018-12-31", ""},
	} {
		got := ""
		for _, r := range FilterReceived(rows, c.from, c.to) {
			got += r["id"]
		}
		if got != c.want {
			t.Errorf("from %q to %q: %q, want %q", c.from, c.to, got, c.want)
		}
	}
}
