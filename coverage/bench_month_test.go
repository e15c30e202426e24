package coverage_test

import (
	"testing"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/grid"
)

// BenchmarkMonthReal computes one month's coverage of the six-country grid
// by the Geo-PKO deployments (the core of the coverage layer and gap list
// requests), with the reach lists already cached as in a served model.
//
//	go test -run '^$' -bench BenchmarkMonthReal ./coverage/
func BenchmarkMonthReal(b *testing.B) {
	cells := loadCells(b)
	deps := loadGeoPKO(b, cells)
	m := coverage.NewModel(cells, coverage.DefaultReach())
	mo := grid.MonthOf(2017, 7)
	risk := coverage.RiskFunc(func(int, grid.Month) float64 { return 1 })
	m.Month(deps, mo, risk)
	for b.Loop() {
		m.Month(deps, mo, risk)
	}
}
