package viewschallenge

import (
	"math"
	"strings"
	"testing"
)

// FuzzReadActuals reads arbitrary actuals CSVs (the scoring command's
// outside input): no input panics, an error names the file, and accepted
// counts are finite and non-negative.
func FuzzReadActuals(f *testing.F) {
	f.Add("month_id,country_id,ged_sb\n469,1,3\n469,2,0\n")
	f.Add("month_id,country_id,ged_sb\n469,1,3\n469,1,4\n")
	f.Add("ged_sb,country_id,month_id\n1e308,1,1\n")
	f.Add("month_id,country_id,ged_sb\n-1,1,NaN\n")
	f.Add("\ufeffmonth_id,country_id,ged_sb\r\n1,1,1\r\n")
	f.Fuzz(func(t *testing.T, src string) {
		act, err := ReadActuals("a.csv", strings.NewReader(src))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "a.csv") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for k, v := range act {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				t.Fatalf("%+v: value %v accepted", k, v)
			}
		}
	})
}
