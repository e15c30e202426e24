package estimate

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/shareddata"
)

// loadAPI reads one of the shared API data files.
func loadAPI(t testing.TB, name string) *Table {
	t.Helper()
	f := shareddata.Open(t, "survey/"+name)
	tab, err := ReadCSV(f, name)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// matchPrinted reports whether got rounds to the printed reference want: it
// must lie within half a unit of want's last printed digit.
func matchPrinted(got float64, want string) bool {
	w, err := strconv.ParseFloat(want, 64)
	if err != nil {
		return false
	}
	dec := 0
	if i := strings.IndexByte(want, '.'); i >= 0 {
		dec = len(want) - i - 1
	}
	return math.Abs(got-w) <= 0.5*math.Pow(10, -float64(dec))*(1+1e-9)
}

// agree4 reports agreement to four significant digits, the issue's
// criterion: got lies within half a unit of the fourth significant digit
// of the reference want (given as printed).
func agree4(got float64, want string) bool {
	w, err := strconv.ParseFloat(want, 64)
	if err != nil {
		return false
	}
	if w == 0 {
		return math.Abs(got) < 1e-12
	}
	e := math.Floor(math.Log10(math.Abs(w)))
	return math.Abs(got-w) <= 0.5*math.Pow(10, e-3)
}

// close6 reports a relative difference below 1e-6 (R goldens written with
// 15 significant digits).
func close6(got, want float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	if math.Abs(want) < 1e-12 { // zero up to rounding (e.g. a post-stratum's share)
		return math.Abs(got) < 1e-12
	}
	return math.Abs(got-want) <= 1e-6*math.Abs(want)
}

func floats(t testing.TB, tab *Table, col string) []float64 {
	t.Helper()
	return column(t, tab.Floats, col)
}

func strs(t testing.TB, tab *Table, col string) []string {
	t.Helper()
	return column(t, tab.Strings, col)
}

// column is get(col), failing t on an error.
func column[T any](t testing.TB, get func(string) ([]T, error), col string) []T {
	t.Helper()
	v, err := get(col)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func design(t testing.TB, tab *Table, s TableSpec) *Design {
	t.Helper()
	d, err := DesignFromTable(tab, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// apiPopTypes is xtabs(~stype, apipop).
func apiPopTypes(t testing.TB) map[string]float64 {
	pop := loadAPI(t, "apipop.csv")
	m := map[string]float64{}
	for _, s := range strs(t, pop, "stype") {
		m[s]++
	}
	return m
}
