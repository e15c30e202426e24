package contacts_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/grid"
)

// TestCellsAround: an audience of grid cells is named by the places
// nearest the cells' centres (within 100 km), the one most cells are
// nearest first, at most two; none without a gazetteer or a place.
func TestCellsAround(t *testing.T) {
	g, err := geotext.LoadGazetteer(strings.NewReader("name,lat,lon,admin1_name,kind,population\n"+
		"Bria,6.54,21.99,Haute-Kotto,town,40000\nNdélé,8.41,20.65,Bamingui-Bangoran,town,13000\n"+
		"Birao,10.28,22.79,Vakaga,town,10000\nHaute-Kotto,7.0,23.0,Haute-Kotto,admin1,0\n"), "g.csv")
	if err != nil {
		t.Fatal(err)
	}
	cell := func(lat, lon float64) int {
		gid, err := grid.PrioGID(lat, lon)
		if err != nil {
			t.Fatal(err)
		}
		return gid
	}
	bria, bria2, ndele, birao := cell(6.54, 21.99), cell(6.6, 22.3), cell(8.41, 20.65), cell(10.28, 22.79)
	for _, c := range []struct {
		name  string
		g     *geotext.Gazetteer
		cells []int
		want  []string
	}{
		{"one place", g, []int{bria, bria2}, []string{"Bria"}},
		{"most cells' place first", g, []int{ndele, bria, bria2}, []string{"Bria", "Ndélé"}},
		{"at most two, ties by name", g, []int{birao, ndele, bria}, []string{"Birao", "Bria"}},
		{"no place within 100 km", g, []int{1}, nil},
		{"no gazetteer", nil, []int{bria}, nil},
	} {
		if got := contacts.CellsAround(c.g, c.cells); !slices.Equal(got, c.want) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
