package geotext

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/internal/apperr"
)

// The place API's requests read and checked here (each refusal invalid
// input naming its field, said by Refusals), then answered by the Index's
// methods.

// SearchQuery is Search for the query q: q (the name, at most 200 bytes),
// limit (1 to 50, default 10) and lang; the answer holds the query and the
// places.
func (x *Index) SearchQuery(ctx context.Context, q url.Values) (map[string]any, error) {
	text := strings.TrimSpace(q.Get("q"))
	if text == "" {
		return nil, apperr.FieldErr(apperr.KindInvalid, "q", apperr.Text("give a place name to search for"))
	}
	if len(text) > 200 {
		return nil, apperr.Fieldf(apperr.KindInvalid, "q", "at most %d bytes", 200)
	}
	limit := 10
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 50 {
			return nil, apperr.Fieldf(apperr.KindInvalid, "limit", "%q: want 1 to 50", v)
		}
		limit = n
	}
	out, err := x.Search(ctx, text, limit, q.Get("lang"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"query": text, "places": out}, nil
}

// LabelQuery names the point of the query q (lat and lon, in any notation
// ParseLat and ParseLon read): place is its label, or nil when no place is
// within 100 km (or x is nil).
func (x *Index) LabelQuery(ctx context.Context, q url.Values) (map[string]any, error) {
	lat, err := ParseLat(q.Get("lat"))
	if err != nil {
		return nil, apperr.FieldErr(apperr.KindInvalid, "lat", err)
	}
	lon, err := ParseLon(q.Get("lon"))
	if err != nil {
		return nil, apperr.FieldErr(apperr.KindInvalid, "lon", err)
	}
	return map[string]any{"lat": lat, "lon": lon, "place": x.Labeler(ctx)(lat, lon)}, nil
}

// GazetteerUpload is a mission's gazetteer sent to the API: the file's
// name (default gazetteer.csv, at most 200 bytes) and its CSV text.
type GazetteerUpload struct {
	Name string `json:"name"`
	Data string `json:"data"`
}

// ImportUpload is Import for an upload, as actor (a bad row is invalid
// input on data, its text naming the line and column).
func (x *Index) ImportUpload(ctx context.Context, actor string, in GazetteerUpload) (ImportResult, error) {
	name := strings.TrimSpace(in.Name)
	if name == "" {
		name = "gazetteer.csv"
	}
	if len(name) > 200 {
		return ImportResult{}, apperr.Fieldf(apperr.KindInvalid, "name", "at most %d bytes", 200)
	}
	if strings.TrimSpace(in.Data) == "" {
		return ImportResult{}, apperr.FieldErr(apperr.KindInvalid, "data", apperr.Text("the CSV is empty"))
	}
	return x.Import(ctx, actor, name, in.Data)
}
