package geotext_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/internal/apperr"
)

// TestPlaceRequests: the place API's queries and uploads are read by the
// index: each bad field refused as invalid input with the text the client
// sees; a search answers the query and the places, a label the point and
// its place (nil far from any, or without an index).
func TestPlaceRequests(t *testing.T) {
	ctx := context.Background()
	shipped, err := demo.Gazetteer()
	if err != nil {
		t.Fatal(err)
	}
	x := &geotext.Index{Shipped: shipped}
	type requestCase struct {
		call, query string // search or label, and the query; import: the upload's name and data split by |
		field, msg  string // the refusal ("" answered)
	}
	for _, tc := range []requestCase{
		{call: "search", query: "q=Bunia&limit=3&lang=fr"},
		{call: "search", query: "q=+", field: "q", msg: "q: give a place name to search for"},
		{call: "search", query: "q=" + strings.Repeat("a", 201), field: "q", msg: "q: at most 200 bytes"},
		{call: "search", query: "q=Bunia&limit=51", field: "limit", msg: `limit: "51": want 1 to 50`},
		{call: "search", query: "q=Bunia&limit=x", field: "limit"},
		{call: "label", query: "lat=1.56&lon=30.25"},
		{call: "label", query: "lat=95&lon=30", field: "lat"},
		{call: "label", query: "lat=1&lon=", field: "lon"},
		{call: "import", query: strings.Repeat("n", 201) + "|name,lat,lon\nX,1,2\n", field: "name", msg: "name: at most 200 bytes"},
		{call: "import", query: "places.csv| \n", field: "data", msg: "data: the CSV is empty"},
		{call: "import", query: "places.csv|name,lat,lon\nX,95,2\n", field: "data", msg: "places.csv:2"},
	} {
		var got map[string]any
		switch tc.call {
		case "search", "label":
			q, perr := url.ParseQuery(tc.query)
			if perr != nil {
				t.Fatal(perr)
			}
			if tc.call == "search" {
				got, err = x.SearchQuery(ctx, q)
			} else {
				got, err = x.LabelQuery(ctx, q)
			}
		case "import":
			name, data, _ := strings.Cut(tc.query, "|")
			_, err = x.ImportUpload(ctx, "ana", geotext.GazetteerUpload{Name: name, Data: data})
		}
		if tc.field == "" {
			if err != nil || got == nil {
				t.Errorf("%s %q: %v, %v", tc.call, tc.query, got, err)
			}
			continue
		}
		if !apperr.IsInvalid(err) || apperr.FieldOf(err) != tc.field || !strings.HasPrefix(err.Error(), tc.msg) {
			t.Errorf("%s %.40q: %v (field %q), want invalid %q… on %s", tc.call, tc.query, err, apperr.FieldOf(err), tc.msg, tc.field)
		}
	}
	if !errors.Is(func() error {
		_, err := x.ImportUpload(ctx, "ana", geotext.GazetteerUpload{Data: "name,lat,lon\nX,95,2\n"})
		return err
	}(), geotext.ErrBadInput) {
		t.Error("a bad gazetteer row: errors.Is ErrBadInput lost")
	}
	res, err := x.SearchQuery(ctx, url.Values{"q": {" Bunia "}})
	if places, _ := res["places"].([]geotext.PlaceAnswer); err != nil || res["query"] != "Bunia" || len(places) == 0 || places[0].Name != "Bunia" {
		t.Errorf("search Bunia: %v, %v", res, err)
	}
	lab, err := x.LabelQuery(ctx, url.Values{"lat": {"1.56"}, "lon": {"30.25"}})
	if p, _ := lab["place"].(*geotext.PointLabel); err != nil || p == nil || p.CountryName != "DR Congo" {
		t.Errorf("label near Bunia: %v, %v", lab, err)
	}
	var none *geotext.Index
	lab, err = none.LabelQuery(ctx, url.Values{"lat": {"1.56"}, "lon": {"30.25"}})
	if p, _ := lab["place"].(*geotext.PointLabel); err != nil || p != nil || lab["lat"] != 1.56 {
		t.Errorf("label without an index: %v, %v", lab, err)
	}
}
