package csvread_test

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
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

// Each hands every record with its line to fn, stops at the first read error
// naming file:line, and returns fn's own error unchanged.
func TestEach(t *testing.T) {
	type seen struct {
		first string
		line  int
	}
	stop := errors.New("stop")
	for _, tc := range []struct {
		name, in string
		stopAt   int // line at which fn returns stop; 0: never
		want     []seen
		err      string
	}{
		{"all", "a,1\n\nb,2\n", 0, []seen{{"a", 1}, {"b", 3}}, ""},
		{"parse error", "a,1\nb,\"x\"y\n", 0, []seen{{"a", 1}}, `f.csv:2: parse error on line 2, column 5: extraneous or missing " in quoted-field`},
		{"fn error", "a,1\nb,2\nc,3\n", 3, []seen{{"a", 1}, {"b", 2}, {"c", 3}}, "stop"},
		{"empty", "", 0, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []seen
			err := csvread.Each(csv.NewReader(strings.NewReader(tc.in)), "f.csv", func(rec []string, line int) error {
				got = append(got, seen{rec[0], line})
				if line == tc.stopAt {
					return stop
				}
				return nil
			})
			if (err == nil) != (tc.err == "") || (err != nil && err.Error() != tc.err) {
				t.Fatalf("err = %v, want %q", err, tc.err)
			}
			if tc.err != "" && tc.stopAt == 0 && (!apperr.IsInvalid(err)) {
				t.Errorf("read error %v is not invalid input", err)
			}
			if tc.stopAt != 0 && err != stop {
				t.Errorf("fn's error came back as %v", err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("records %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("records %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func TestField(t *testing.T) {
	rec := []string{" a ", "b"}
	for i, want := range map[int]string{-1: "", 0: "a", 1: "b", 2: ""} {
		if got := csvread.Field(rec, i); got != want {
			t.Errorf("Field(%d) = %q, want %q", i, got, want)
		}
	}
}

// A read error of Each is said by the catalog: its text as the reader
// wrote it, in French the place and the reason in French too.
func TestEachSaysReadErrors(t *testing.T) {
	fields := csv.NewReader(strings.NewReader("a,1\nb\n"))
	fields.FieldsPerRecord = 2
	for _, c := range []struct {
		name string
		cr   *csv.Reader
		fr   string
	}{
		{"quote", csv.NewReader(strings.NewReader("a,1\nb,\"x\"y\n")),
			"fichier f.csv, ligne 2\u00a0: erreur de lecture à la ligne 2, colonne 5\u00a0: guillemet \" en trop ou manquant dans un champ entre guillemets"},
		{"bare quote", csv.NewReader(strings.NewReader("a,1\nb,x\"y\n")),
			"fichier f.csv, ligne 2\u00a0: erreur de lecture à la ligne 2, colonne 4\u00a0: guillemet \" dans un champ sans guillemets"},
		{"quoted field over lines", csv.NewReader(strings.NewReader("a,1\nb,\"x\n\"y\n")),
			"fichier f.csv, ligne 3\u00a0: enregistrement commencé à la ligne 2\u202f; erreur de lecture à la ligne 3, colonne 1\u00a0: guillemet \" en trop ou manquant dans un champ entre guillemets"},
		{"field count", fields, "fichier f.csv, ligne 2\u00a0: enregistrement de la ligne 2\u00a0: nombre de champs incorrect"},
	} {
		err := csvread.Each(c.cr, "f.csv", func([]string, int) error { return nil })
		apperrtest.Said(t, c.name, err, c.fr)
	}
}
