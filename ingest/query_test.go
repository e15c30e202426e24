package ingest_test

import (
	"net/url"
	"testing"

	"github.com/vigil-project/vigil/ingest"
	"github.com/vigil-project/vigil/internal/apperr"
)

// TestQueryOptions: an import's options read from the API's query; each
// bad parameter refused as invalid input with the text the client sees;
// only an import that writes is audited.
func TestQueryOptions(t *testing.T) {
	type optionsCase struct {
		query, field, msg string // the query; the refusal ("" none)
		want              ingest.Options
	}
	for _, tc := range []optionsCase{
		{query: ""},
		{query: "format=acled&source=+mine+&strict=1&check=true", want: ingest.Options{Format: ingest.ACLED, Source: "mine", Strict: true, Check: true}},
		{query: "repair=true&check=0", want: ingest.Options{RepairEstimates: true}},
		{query: "format=xls", field: "format", msg: "format: "},
		{query: "strict=yes", field: "strict", msg: `strict: "yes" is not true or false`},
		{query: "check=2", field: "check", msg: `check: "2" is not true or false`},
		{query: "strict=true&repair=1", field: "repair", msg: "strict and repair cannot be combined"},
		{query: "source=a%0Ab", field: "source", msg: "source: a name of at most 100 bytes on one line"},
	} {
		q, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ingest.QueryOptions(q)
		if tc.field != "" {
			if !apperr.IsInvalid(err) || apperr.FieldOf(err) != tc.field || len(err.Error()) < len(tc.msg) || err.Error()[:len(tc.msg)] != tc.msg {
				t.Errorf("%q: %v (field %q), want invalid %q… on %s", tc.query, err, apperr.FieldOf(err), tc.msg, tc.field)
			}
			continue
		}
		if err != nil || got.Format != tc.want.Format || got.Source != tc.want.Source || got.Strict != tc.want.Strict ||
			got.RepairEstimates != tc.want.RepairEstimates || got.Check != tc.want.Check {
			t.Errorf("%q: %+v, %v; want %+v", tc.query, got, err, tc.want)
		}
	}
	for _, check := range []bool{false, true} {
		opt := ingest.Options{Check: check}
		opt.AuditAs("ana", "ged.csv")
		if check != (opt.Audit == nil) || (!check && (opt.Audit.Actor != "ana" || opt.Audit.Action != "events.import" || opt.Audit.Object != "events:ged.csv")) {
			t.Errorf("check %v: audit %+v", check, opt.Audit)
		}
	}
}
