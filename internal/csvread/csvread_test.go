package csvread_test

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/csvread"
)

func TestColumnsStripBOMAndCase(t *testing.T) {
	col := csvread.Columns([]string{"\ufeffGID ", " Year", "pop"})
	for name, want := range map[string]int{"gid": 0, "year": 1, "pop": 2} {
		if got, ok := col[name]; !ok || got != want {
			t.Errorf("col[%q] = %d, %v; want %d", name, got, ok, want)
		}
	}
	if got := csvread.Name("\ufeff Mission "); got != "Mission" {
		t.Errorf("Name = %q", got)
	}
}

// Line follows records over blank lines and quoted newlines, and reports the
// line of a parse error.
func TestLine(t *testing.T) {
	in := "h1,h2\n\na,b\n\"multi\nline\",c\nd,\"bad\"quote\n"
	cr := csv.NewReader(strings.NewReader(in))
	var lines []int
	for {
		_, err := cr.Read()
		if err == io.EOF {
			break
		}
		lines = append(lines, csvread.Line(cr, err))
		if err != nil {
			break
		}
	}
	want := []int{1, 3, 4, 6}
	if len(lines) != len(want) {
		t.Fatalf("lines %v, want %v", lines, want)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Fatalf("lines %v, want %v", lines, want)
		}
	}
	if got := csvread.Line(cr, errors.New("other")); got != 0 {
		t.Errorf("Line(other error) = %d", got)
	}
}

func TestErr(t *testing.T) {
	err := csvread.Err("plan.csv", 7, "lat", "95 out of range")
	if err.Error() != "plan.csv:7: lat: 95 out of range" || !apperr.IsInvalid(err) || apperr.FieldOf(err) != "lat" {
		t.Errorf("Err = %v", err)
	}
	if got := csvread.Err("plan.csv", 2, "", "3 fields, want 4").Error(); got != "plan.csv:2: 3 fields, want 4" {
		t.Errorf("Err without column = %q", got)
	}
}
