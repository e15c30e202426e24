package forecast

import (
	"testing"

	"github.com/vigil-project/vigil/grid"
)

// TestPointCovariate: counts at points are summed into the panel cell that
// holds them in their month; points outside the panel's cells or months
// are left out, and every other cell-month is 0.
func TestPointCovariate(t *testing.T) {
	bunia, _ := PrioGrid.Cell(1.5667, 30.25)
	goma, _ := PrioGrid.Cell(-1.6792, 29.2228)
	jan, mar := grid.MonthOf(2024, 1), grid.MonthOf(2024, 3)
	p, err := NewPanel(PrioGrid, []int{bunia, goma}, []int{490, 490}, jan, mar)
	if err != nil {
		t.Fatal(err)
	}
	c, kept, err := PointCovariate(p, "harmful_speech", []PointMonth{
		{Lat: 1.5667, Lon: 30.25, Month: jan, N: 2},
		{Lat: 1.6, Lon: 30.3, Month: jan, N: 1},         // same cell, same month
		{Lat: -1.6792, Lon: 29.2228, Month: mar, N: 4},  // Goma in March
		{Lat: -4.3217, Lon: 15.3125, Month: jan, N: 9},  // Kinshasa: not a panel cell
		{Lat: 1.5667, Lon: 30.25, Month: mar + 1, N: 9}, // after the panel
		{Lat: 1.5667, Lon: 30.25, Month: jan - 1, N: 9}, // before it
	})
	if err != nil {
		t.Fatal(err)
	}
	if kept != 3 || len(c.Names) != 1 || c.Names[0] != "cov_harmful_speech" {
		t.Fatalf("kept %d names %v", kept, c.Names)
	}
	for _, tc := range []struct {
		cell int
		mo   grid.Month
		want float64
	}{{bunia, jan, 3}, {bunia, jan + 1, 0}, {bunia, mar, 0}, {goma, jan, 0}, {goma, mar, 4}} {
		i, _ := p.Index(tc.cell)
		v, err := c.At(i, tc.mo)
		if err != nil || v[0] != tc.want {
			t.Errorf("cell %d %s: %v %v, want %v", tc.cell, tc.mo, v, err, tc.want)
		}
	}
	if _, _, err := PointCovariate(p, "a,b", nil); err == nil {
		t.Error("a name with a comma was taken")
	}
}
