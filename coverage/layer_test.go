package coverage

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/grid"
)

// TestLayerQuietCellsInColumns: the layer sends as GeoJSON features only
// the cells covered or at risk; the others (quiet) come in columns that,
// read back as the page reads them (coverage.js layerFeatures), give each
// the properties its feature had: country and its French name, place
// label, reason, nearest site and distance, population; none dropped, none
// outside the bbox or the countries kept.
func TestLayerQuietCellsInColumns(t *testing.T) {
	mo := grid.MonthOf(2018, 12)
	gid := func(row, col int) int { return (row-1)*720 + col }
	cms := []CellMonth{
		{Cell: gid(190, 400), Country: "Central African Republic", Covered: true, Sites: 2, Personnel: 1500, Risk: 3, Population: 1e4, PersonnelPer10k: 1500},
		{Cell: gid(190, 401), Country: "Central African Republic", Risk: 7, UncoveredRisk: 7, Reason: ReasonTooFar, NearestKM: 61.5, NearestID: "bangui", GapScore: 7},
		{Cell: gid(190, 402), Country: "Central African Republic", Reason: ReasonTooFar, NearestKM: 80.2, NearestID: "bangui", Population: 250},
		{Cell: gid(190, 403), Country: "DR Congo (Zaire)", Reason: ReasonSeasonal, NearestKM: 12, NearestID: "bria"},
		{Cell: gid(191, 400), Country: "DR Congo (Zaire)", Reason: ReasonNoSite},
		{Cell: gid(191, 401), Country: "Mali", Reason: ReasonNoSite},
		{Cell: gid(191, 402), Country: "Central African Republic", Reason: ReasonTooFar, NearestKM: 90, NearestID: "bria"},
		{Cell: gid(191, 403), Country: "Central African Republic", Covered: true, Sites: 1, Personnel: 200},
	}
	for i := range cms {
		cms[i].Month = mo.String()
	}
	label := func(g int) *geotext.PointLabel {
		switch {
		case g == gid(191, 400):
			return nil // no place within 100 km
		case g%2 == 0:
			return &geotext.PointLabel{Label: "near Bimbo", LabelFR: "près de Bimbo"}
		}
		return &geotext.PointLabel{Label: "near Bangui", LabelFR: "près de Bangui"}
	}
	notMali := func(c CellMonth) bool { return c.Country != "Mali" }
	b, err := json.Marshal(layerAnswer(cms, notMali, label, mo, false))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Features []struct {
			ID         int            `json:"id"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
		Quiet *quietCells `json:"quiet"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Quiet == nil {
		t.Fatalf("no quiet cells in the answer: %s", b)
	}
	props := map[int]map[string]any{}
	var drawn []int
	for _, f := range got.Features {
		drawn = append(drawn, f.ID)
		props[f.ID] = f.Properties
	}
	if want := []int{cms[0].Cell, cms[1].Cell, cms[7].Cell}; !reflect.DeepEqual(drawn, want) {
		t.Errorf("features %v, want the covered and at-risk cells %v", drawn, want)
	}
	// The quiet cells read back as coverage.js does.
	q := got.Quiet
	for i, cell := range q.Cells {
		country := q.Countries[q.Country[i]]
		p := map[string]any{"cell": float64(cell), "country": country[0], "month": mo.String(), "covered": false, "sites": 0.0, "personnel": 0.0,
			"risk": 0.0, "uncovered_risk": 0.0, "reason": q.Reasons[q.Reason[i]]}
		if country[1] != "" {
			p["country_fr"] = country[1]
		}
		if q.Place[i] >= 0 {
			p["place"] = map[string]any{"label": q.Places[q.Place[i]][0], "label_fr": q.Places[q.Place[i]][1]}
		}
		if q.NearestKM[i] != 0 {
			p["nearest_km"] = q.NearestKM[i]
		}
		if q.Nearest[i] >= 0 {
			p["nearest_site"] = q.SiteIDs[q.Nearest[i]]
		}
		if q.Population != nil && q.Population[i] != 0 {
			p["population"] = q.Population[i]
		}
		props[cell] = p
	}
	for _, c := range cms {
		if !notMali(c) {
			if _, ok := props[c.Cell]; ok {
				t.Errorf("cell %d of a country not asked is in the answer", c.Cell)
			}
			continue
		}
		old, _ := json.Marshal(placeCell(c, label, shortLabel)) // the feature's properties as they were
		var want map[string]any
		json.Unmarshal(old, &want)
		if !reflect.DeepEqual(props[c.Cell], want) {
			t.Errorf("cell %d:\n got %v\nwant %v", c.Cell, props[c.Cell], want)
		}
	}
	if len(props) != len(cms)-1 {
		t.Errorf("%d cells in the answer, want %d", len(props), len(cms)-1)
	}
	if len(q.Countries) != 2 || len(q.Places) != 2 || len(q.SiteIDs) != 2 {
		t.Errorf("tables not shared: %d countries, %d places, %d sites", len(q.Countries), len(q.Places), len(q.SiteIDs))
	}
}

// TestLayerFeaturesCompact: the covered and at-risk cells are built as
// typed features, not a map per feature, its geometry and its coordinates
// (about nine allocations a cell before; 346 such cells in the demo
// month), and they encode as the GeoJSON the page reads: a Feature with
// the cell as id, a closed square ring around its centre and the cell's
// properties.
func TestLayerFeaturesCompact(t *testing.T) {
	mo := grid.MonthOf(2018, 12)
	cms := make([]CellMonth, 1000)
	for i := range cms {
		cms[i] = CellMonth{Cell: 136000 + i, Country: "Central African Republic", Month: mo.String(), Risk: 2, UncoveredRisk: 2, Reason: ReasonNoSite}
	}
	cms[0].Covered, cms[0].UncoveredRisk, cms[0].Reason = true, 0, ""
	place := &geotext.PointLabel{Label: "near Bangui", LabelFR: "près de Bangui"}
	label := func(int) *geotext.PointLabel { return place }
	all := func(CellMonth) bool { return true }
	if n := testing.AllocsPerRun(5, func() { layerAnswer(cms, all, label, mo, false) }) / float64(len(cms)); n > 2 {
		t.Errorf("%.1f allocations a feature, want at most 2 (the place label and the features' growing slice)", n)
	}
	b, err := json.Marshal(layerAnswer(cms[:2], all, label, mo, true))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	feats, _ := got["features"].([]any)
	if len(feats) != 2 || got["type"] != "FeatureCollection" || got["month"] != "2018-12" || got["risk_is_forecast"] != true {
		t.Fatalf("layer answer: %s", b)
	}
	lat, lon, _ := grid.PrioCenter(cms[1].Cell)
	h := grid.PrioSize / 2
	want := map[string]any{"type": "Feature", "id": float64(cms[1].Cell),
		"geometry": map[string]any{"type": "Polygon", "coordinates": []any{[]any{
			[]any{lon - h, lat - h}, []any{lon + h, lat - h}, []any{lon + h, lat + h}, []any{lon - h, lat + h}, []any{lon - h, lat - h}}}},
		"properties": map[string]any{"cell": float64(cms[1].Cell), "country": "Central African Republic", "country_fr": "République centrafricaine",
			"month": "2018-12", "covered": false, "sites": 0.0, "personnel": 0.0, "risk": 2.0, "uncovered_risk": 2.0, "reason": ReasonNoSite,
			"place": map[string]any{"label": "near Bangui", "label_fr": "près de Bangui"}}}
	if !reflect.DeepEqual(feats[1], want) {
		t.Errorf("at-risk feature\n got %v\nwant %v", feats[1], want)
	}
}
