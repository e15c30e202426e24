package surveys

import (
	"errors"
	"testing"
)

// TestAnalysisRefusals: the checks of the analysis requests answer a
// SubmitError with the status and the field at fault.
func TestAnalysisRefusals(t *testing.T) {
	for _, c := range []struct {
		name   string
		err    error
		status int
		field  string
	}{
		{"margin name ok", CheckMarginName("acled_2024.v1"), 0, ""},
		{"margin name with a slash", CheckMarginName("a/b"), 400, "name"},
		{"margin name starting with a dot", CheckMarginName(".hidden"), 400, "name"},
		{"margin name of 65 characters", CheckMarginName("a234567890123456789012345678901234567890123456789012345678901234x"), 400, "name"},
		{"export format csv", CheckExportFormat("csv"), 0, ""},
		{"export format default", CheckExportFormat(""), 0, ""},
		{"export format xlsx", CheckExportFormat("xlsx"), 400, "format"},
		{"dates ok", checkDates(map[string]string{"from": "2026-01-31", "to": ""}), 0, ""},
		{"to not a date", checkDates(map[string]string{"from": "2026-01-31", "to": "31/01/2026"}), 400, "to"},
	} {
		var se *SubmitError
		switch {
		case c.status == 0 && c.err != nil:
			t.Errorf("%s: %v", c.name, c.err)
		case c.status != 0 && !errors.As(c.err, &se):
			t.Errorf("%s: %v, want a SubmitError", c.name, c.err)
		case c.status != 0 && (se.Status != c.status || se.Field != c.field):
			t.Errorf("%s: status %d field %q, want %d %q (%v)", c.name, se.Status, se.Field, c.status, c.field, se)
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
