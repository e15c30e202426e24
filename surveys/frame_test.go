package surveys

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/grid"
)

// TestFrameAsRows: the analyses' columns (frame) select, list and extend
// the rows exactly as the functions over maps do — rounds, received days,
// grid cells, respondents, calibration non-response — including rows
// without a key, answers with spaces, unreadable times and points, and an
// answer present but blank.
func TestFrameAsRows(t *testing.T) {
	rows := []map[string]string{
		{KeyInstanceID: "a", KeyReceived: "2026-11-01T09:00:00Z", "round": "R1", "region": "north", "geo": "1.5 29.2 0 0", "q": "yes"},
		{KeyInstanceID: "b", KeyReceived: "2026-11-02T23:59:59Z", "round": " R2 ", "region": " south", "geo": "bad", "q": ""},
		{KeyInstanceID: "c", KeyReceived: "not a time", "round": "R1", "geo": "1.5 29.2"},
		{KeyInstanceID: "d", KeyReceived: "2026-11-03T00:00:00+02:00", "region": "north", "q": "no"},
		{KeyInstanceID: "e", "round": "R2", "region": "", "q": " yes", "geo": "-1.25 30.5 10 5"},
	}
	copyRows := func() []map[string]string {
		out := make([]map[string]string, len(rows))
		for i, r := range rows {
			out[i] = map[string]string{}
			for k, v := range r {
				out[i][k] = v
			}
		}
		return out
	}
	asRows := func(f *frame) []map[string]string {
		out := []map[string]string{}
		for i := range f.len() {
			r := map[string]string{}
			for k, c := range f.cols {
				if code := c.codes[f.sel[i]]; code > 0 {
					r[k] = c.vals[code-1]
				}
			}
			out = append(out, r)
		}
		return out
	}
	same := func(t *testing.T, what string, got, want any) {
		t.Helper()
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			t.Errorf("%s:\n got %s\nwant %s", what, g, w)
		}
	}
	plan := Plan{Indicators: []Indicator{{ID: "q", Field: "q", Values: []string{"yes"}}}, RakeOn: []string{"region", "round"}, RakeMissing: RakeLeaveOut}
	for _, round := range []string{"", "R1", "R2", "R3"} {
		same(t, "round "+round, asRows(frameOf(rows).round("round", round)), nonNilRows(FilterRound(copyRows(), "round", round)))
	}
	same(t, "rounds", frameOf(rows).rounds("round"), Rounds(rows, "round"))
	same(t, "rounds of no field", frameOf(rows).rounds("none"), Rounds(rows, "none"))
	for _, d := range [][2]string{{"", ""}, {"2026-11-02", ""}, {"", "2026-11-01"}, {"2026-11-02", "2026-11-02"}, {"2027-01-01", ""}} {
		same(t, fmt.Sprint("received ", d), asRows(frameOf(rows).received(d[0], d[1])), nonNilRows(FilterReceived(copyRows(), d[0], d[1])))
	}
	want := copyRows()
	mapCells(want, "geo")
	f := frameOf(rows)
	f.addCells("geo")
	same(t, "cells", asRows(f), want)
	kept, left := respondentsOnly(frameOf(rows), plan)
	wantKept, wantLeft := mapRespondentsOnly(copyRows(), plan)
	same(t, "respondents", asRows(kept), nonNilRows(wantKept))
	if left != wantLeft {
		t.Errorf("respondents left out: %d, want %d", left, wantLeft)
	}
	kept2, noAnswer := withoutCalibrationAnswer(kept, plan)
	wantKept2, wantNo := mapWithoutCalibrationAnswer(wantKept, plan)
	same(t, "calibration answered", asRows(kept2), nonNilRows(wantKept2))
	if !reflect.DeepEqual(noAnswer, wantNo) {
		t.Errorf("no calibration answer: %v, want %v", noAnswer, wantNo)
	}
	for i := range kept2.len() {
		if got, want := kept2.value(i, KeyInstanceID), wantKept2[i][KeyInstanceID]; got != want {
			t.Errorf("row %d: instance %q, want %q", i, got, want)
		}
	}
	if got := frameOf(rows).strings("region", true); !reflect.DeepEqual(got, []string{"north", "south", "", "north", ""}) {
		t.Errorf("region trimmed: %q", got)
	}
}

// TestProtectedRowsWritten: an export's rows written as WriteCSV writes
// them (added to a protection in another order than theirs, finished, then
// each row written with its protected quasi-identifiers by exportWriter)
// are the bytes that Protect's maps give through WriteExport, HXL or not:
// blocked, generalised, blank and absent quasi-identifiers, a field
// dropped for its GPS points, free text left out, an identifier.
func TestProtectedRowsWritten(t *testing.T) {
	var rows []map[string]string
	for i := range 40 {
		r := map[string]string{KeyInstanceID: fmt.Sprint("u", i), "region": []string{"north", "south", " east", ""}[i%4], "sex": []string{"f", "m"}[i%2],
			"age": fmt.Sprint(20 + i%7), "w": fmt.Sprint(1 + i%3), "note": "free " + fmt.Sprint(i), "q": []string{"yes", "=1+1", "no"}[i%3]}
		if i%9 == 0 {
			r["gps"] = "1.5 29.2 0 0"
		} else {
			r["gps"] = "x"
		}
		if i%5 == 0 {
			delete(r, "sex")
		}
		if i == 3 {
			r["deviceid"] = "d"
		}
		rows = append(rows, r)
	}
	rule := DisclosureRule{K: 3, QuasiIdentifiers: []string{"region", "sex", "age"}, Generalise: map[string]map[string]string{"age": {"20": "20-22", "21": "20-22", "22": "20-22"}},
		FreeText: []string{"note"}, Weight: "w", MaxRisk: 1}
	for _, hxl := range []bool{false, true} {
		want, wrep, err := Protect(rows, rule)
		if err != nil {
			t.Fatal(err)
		}
		var wb strings.Builder
		if err := WriteExport(&wb, want, ExportColumns(want, rule), hxl, nil); err != nil {
			t.Fatal(err)
		}
		p := newProtection(rule)
		for i := len(rows) - 1; i >= 0; i-- { // as a stream may read them: the ids put them back in order
			p.add(int64(10*i+3), rows[i])
		}
		rep, drop, err := p.finish(rule)
		if err != nil {
			t.Fatal(err)
		}
		var kept []string
		for _, k := range SortedKeys(p.keys) {
			if !drop[k] {
				kept = append(kept, k)
			}
		}
		cols := exportColumns(kept, rule)
		var gb strings.Builder
		ew, err := newExportWriter(&gb, cols, hxl, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			if err := ew.write(func(rec []string) {
				for j, c := range cols {
					rec[j] = r[c]
				}
				copy(rec, p.tuple(i))
			}); err != nil {
				t.Fatal(err)
			}
		}
		if err := ew.flush(); err != nil {
			t.Fatal(err)
		}
		if gb.String() != wb.String() || !reflect.DeepEqual(rep, wrep) {
			t.Errorf("hxl %v: written a row at a time:\n%s\nfrom maps:\n%s", hxl, gb.String(), wb.String())
		}
		if rep.RecordsBlocked == 0 || len(rep.Generalised) == 0 || !strings.Contains(wb.String(), "*") || strings.Contains(wb.String(), "gps") {
			t.Errorf("the rows test too little: %+v\n%s", rep, wb.String())
		}
	}
}

func nonNilRows(r []map[string]string) []map[string]string {
	if r == nil {
		return []map[string]string{}
	}
	return r
}

// The functions over maps the analyses used before their rows were
// columns (session 26), kept to compare with the frame's.

// The functions over maps the analyses used before their rows were
// columns (session 26), kept to compare with the frame's (TestFrameAsRows).

func mapCells(rows []map[string]string, geo string) {
	for _, r := range rows {
		f := strings.Fields(r[geo])
		if len(f) < 2 {
			continue
		}
		lat, err1 := strconv.ParseFloat(f[0], 64)
		lon, err2 := strconv.ParseFloat(f[1], 64)
		if err1 != nil || err2 != nil {
			continue
		}
		if gid, err := grid.PrioGID(lat, lon); err == nil {
			r[CellField] = strconv.Itoa(gid)
		}
	}
}

func mapRespondentsOnly(rows []map[string]string, plan Plan) ([]map[string]string, int) {
	fields := append([]string(nil), plan.RakeOn...)
	for _, ind := range plan.Indicators {
		fields = append(fields, ind.Field)
	}
	var kept []map[string]string
	for _, r := range rows {
		if slices.ContainsFunc(fields, func(f string) bool { return strings.TrimSpace(r[f]) != "" }) {
			kept = append(kept, r)
		}
	}
	return kept, len(rows) - len(kept)
}

func mapWithoutCalibrationAnswer(rows []map[string]string, plan Plan) ([]map[string]string, map[string]int) {
	var left map[string]int
	kept := make([]map[string]string, 0, len(rows))
	for _, r := range rows {
		i := slices.IndexFunc(plan.RakeOn, func(dim string) bool { return strings.TrimSpace(r[dim]) == "" })
		if i < 0 {
			kept = append(kept, r)
			continue
		}
		if left == nil {
			left = map[string]int{}
		}
		left[plan.RakeOn[i]]++
	}
	return kept, left
}
