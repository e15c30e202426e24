package geotext_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/geotext"
)

// memImports is an in-memory geotext.ImportStore.
type memImports struct{ list []geotext.GazetteerImport }

func (m *memImports) SaveGazetteerImport(_ context.Context, actor, name string, places int, csv []byte) (int64, error) {
	id := int64(len(m.list) + 1)
	m.list = append(m.list, geotext.GazetteerImport{ID: id, Name: name, Places: places, ImportedBy: actor,
		ImportedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), CSV: csv})
	return id, nil
}

func (m *memImports) LatestGazetteerImport(context.Context) (geotext.GazetteerImport, bool, error) {
	if len(m.list) == 0 {
		return geotext.GazetteerImport{}, false, nil
	}
	return m.list[len(m.list)-1], true, nil
}

// user is a geotext.GazetteerUser (the alert service's part).
type user struct{ own, set *geotext.Gazetteer }

func (u *user) Gazetteer() *geotext.Gazetteer     { return u.own }
func (u *user) SetGazetteer(g *geotext.Gazetteer) { u.set = g }

// TestIndex: the index merges the newest import, the user's own gazetteer
// and the shipped one (in that order), gives the merged one to the user,
// refuses a bad import naming its line without storing it, and names
// points.
func TestIndex(t *testing.T) {
	ctx := context.Background()
	load := func(csv string) *geotext.Gazetteer {
		g, err := geotext.LoadGazetteer(strings.NewReader(csv), "t.csv")
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	shipped := load("name,lat,lon,kind,population\nShippedTown,1,30,town,50000\nTwin,5,5,town,1\n")
	own := load("name,lat,lon\nOwnPlace,2,31\n")
	st := &memImports{}
	u := &user{own: own}
	x := &geotext.Index{Store: st, Shipped: shipped, User: u}

	sum, err := x.Summary(ctx)
	if err != nil || sum.Places != 3 || sum.Shipped != 2 || sum.Imported != nil || sum.Attribution != geotext.Attribution {
		t.Fatalf("summary before import: %+v, %v", sum, err)
	}
	if u.set == nil || len(u.set.Places) != 3 {
		t.Fatalf("user not given the merged gazetteer: %v", u.set)
	}

	bad := []struct{ csv, want string }{
		{"name,lat,lon\nA,1,2\nB,95,2\n", "mine.csv:3: column lat"},
		{"name,lat\nA,1\n", `no "lon" column`},
	}
	for _, c := range bad {
		_, err := x.Import(ctx, "ana", "mine.csv", c.csv)
		if !errors.Is(err, geotext.ErrBadInput) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want ErrBadInput naming %q", c.csv, err, c.want)
		}
	}
	if len(st.list) != 0 {
		t.Fatalf("a bad import stored %d rows", len(st.list))
	}

	res, err := x.Import(ctx, "ana", "mine.csv", "name,lat,lon\nTwin,6,6\nNewVillage,3,32\n")
	if err != nil || res != (geotext.ImportResult{ID: 1, Name: "mine.csv", Places: 2}) {
		t.Fatalf("import: %+v, %v", res, err)
	}
	sum, _ = x.Summary(ctx)
	if sum.Imported == nil || sum.Imported.ImportedBy != "ana" || sum.Imported.ImportedAt != "2026-01-02T03:04:05Z" || sum.Places < 4 {
		t.Errorf("summary after import: %+v", sum)
	}
	// The imported places are searched with the shipped ones.
	ps, err := x.Search(ctx, "NewVillage", 5, "")
	if err != nil || len(ps) != 1 || ps[0].Lat != 3 || ps[0].Confidence == nil {
		t.Errorf("search NewVillage: %+v, %v", ps, err)
	}
	if l := x.Label(ctx, 1.01, 30.01); l == nil || l.Name != "ShippedTown" || l.Label != "ShippedTown" {
		t.Errorf("label: %+v", l)
	}
	if l := x.Label(ctx, -40, -40); l != nil {
		t.Errorf("label far from any place: %+v", l)
	}
	var none *geotext.Index
	if l := none.Label(ctx, 1, 30); l != nil {
		t.Errorf("nil index labelled %+v", l)
	}
}

// TestCellLabelsKept: the labeler of recurring points (grid cells'
// centres) names a point as Labeler does, in every answer, and follows
// the gazetteer when an import changes it (its kept labels are then
// dropped).
func TestCellLabelsKept(t *testing.T) {
	ctx := context.Background()
	shipped, err := geotext.LoadGazetteer(strings.NewReader("name,lat,lon,kind,population\nShippedTown,1,30,town,50000\n"), "t.csv")
	if err != nil {
		t.Fatal(err)
	}
	x := &geotext.Index{Store: &memImports{}, Shipped: shipped}
	for i := range 2 { // the second answer from the kept labels
		label := x.CellLabeler(ctx)
		if l, want := label(1.25, 30.25), x.Label(ctx, 1.25, 30.25); l == nil || *l != *want || l.Name != "ShippedTown" {
			t.Errorf("answer %d: %+v, want %+v", i+1, l, want)
		}
		if l := label(-40.25, -40.25); l != nil {
			t.Errorf("answer %d: far from any place: %+v", i+1, l)
		}
	}
	// A label given out is the answer's own: changing it changes no other.
	x.CellLabeler(ctx)(1.25, 30.25).Label = "changed"
	if l := x.CellLabeler(ctx)(1.25, 30.25); l.Label != "near ShippedTown" {
		t.Errorf("kept label changed by an answer: %+v", l)
	}
	if _, err := x.Import(ctx, "ana", "mine.csv", "name,lat,lon\nNearVillage,1.2,30.2\n"); err != nil {
		t.Fatal(err)
	}
	if l := x.CellLabeler(ctx)(1.25, 30.25); l == nil || l.Name != "NearVillage" {
		t.Errorf("after an import: %+v, want NearVillage", l)
	}
}
