package geotext_test

import (
	"context"
	"testing"

	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/geotext"
)

// BenchmarkCellLabels names the centres of the 1,292 PRIO-GRID cells
// (34 × 38) of a box over the CAR, South Sudan and northern DR Congo with
// the shipped gazetteer, as one answer does: each looked up
// (Labeler, as the coverage layer did on every request) or from the labels
// kept by an earlier answer (CellLabeler).
//
//	go test -run '^$' -bench BenchmarkCellLabels -benchmem ./geotext/
func BenchmarkCellLabels(b *testing.B) {
	shipped, err := demo.Gazetteer()
	if err != nil {
		b.Fatal(err)
	}
	x := &geotext.Index{Shipped: shipped}
	ctx := context.Background()
	var pts [][2]float64
	for lat := -4.75; lat < 12; lat += 0.5 {
		for lon := 14.25; lon < 33; lon += 0.5 {
			pts = append(pts, [2]float64{lat, lon})
		}
	}
	for _, c := range []struct {
		name  string
		label func(context.Context) geotext.Labeler
	}{{"looked-up", x.Labeler}, {"kept", x.CellLabeler}} {
		b.Run(c.name, func(b *testing.B) {
			named := 0
			for _, p := range pts { // an earlier answer
				if c.label(ctx)(p[0], p[1]) != nil {
					named++
				}
			}
			for b.Loop() {
				label := c.label(ctx)
				for _, p := range pts {
					label(p[0], p[1])
				}
			}
			b.ReportMetric(float64(named), "named")
		})
	}
}
