package ingest_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/vigil-project/vigil/ingest"
)

// TestGeoJSONErrorLines: a refusal of a GeoJSON file names the line of the
// file where the fault is, wherever it is (the first feature, a later one,
// inside properties, between features, at the end of a truncated file),
// however the file arrives (whole, or one byte per read), and after
// enough features that the decoder's buffer has been refilled many times.
// The JSON decoder's own offsets count from the value being read, which
// put an error on line 2 on line 1.
func TestGeoJSONErrorLines(t *testing.T) {
	const head = "{\"type\": \"FeatureCollection\", \"features\": [\n"
	feature := func(id int) string {
		return fmt.Sprintf(`{"type": "Feature", "id": "e%d", "geometry": {"type": "Point", "coordinates": [29.5, 1.5]}, "properties": {"date_start": "2020-01-02", "type_of_violence": 1, "best": 3}}`, id)
	}
	// good is n valid features, one a line, each but the last followed
	// by a comma: the features are on lines 2..n+1.
	good := func(n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteString(",\n")
			}
			b.WriteString(feature(i))
		}
		return b.String()
	}
	cases := []struct {
		name, data, want string
	}{
		{"first feature", head + `{"type": "Feature", x}` + "\n]}\n",
			"g.geojson:2: malformed JSON: invalid character 'x' looking for beginning of object key string"},
		{"second feature", head + good(1) + ",\n" + `{"type": "Feature", "id": 7,, "geometry": null}` + "\n]}\n",
			"g.geojson:3: malformed JSON: invalid character ',' looking for beginning of object key string"},
		{"feature on line 502", head + good(500) + ",\n" + `{"type": "Feature" "id": 7}` + "\n]}\n",
			"g.geojson:502: malformed JSON: invalid character '\"' after object key:value pair"},
		{"inside properties, its own line", head + good(2) + ",\n{\"type\": \"Feature\",\n \"geometry\": {\"type\": \"Point\", \"coordinates\": [29.5, 1.5]},\n \"properties\": {\n  \"best\": 3,\n  \"notes\": tru\n}}\n]}\n",
			"g.geojson:8: malformed JSON: invalid character '\\n' in literal true (expecting 'e')"},
		{"newline inside a string", head + good(3) + ",\n{\"type\": \"Feature\", \"properties\": {\"notes\": \"a\nb\"}}\n]}\n",
			"g.geojson:5: malformed JSON: invalid character '\\n' in string literal"},
		// Said where the next feature begins, as other JSON readers do.
		{"comma missing between features", head + good(2) + "\n" + feature(9) + "\n]}\n",
			"g.geojson:4: malformed JSON: expected comma after array element"},
		{"trailing comma", head + good(2) + ",\n]}\n",
			"g.geojson:4: malformed JSON: invalid character ']' looking for beginning of value"},
		{"wrong kind on a later line", head + good(3) + ",\n{\"type\": \"Feature\",\n \"geometry\": {\"type\": 7}}\n]}\n",
			"g.geojson:6: geometry.type: is a number in JSON, want a string"},
		{"wrong kind, top level", "{\n\"type\":\n 5}\n",
			"g.geojson:3: is a number in JSON, want a string"},
		{"bad member after the features", head + good(2) + "\n],\n\"bbox\": [1, 2,, 3]}\n",
			"g.geojson:5: malformed JSON: invalid character ',' looking for beginning of value"},
		{"truncated inside a feature", head + good(4) + ",\n{\"type\": \"Feature\",\n \"geometry\": {\"type\": \"Po",
			"g.geojson:7: unexpected end of file (truncated JSON)"},
		// The file's last line (its final newline ends line 5).
		{"truncated after a feature", head + good(4) + ",\n",
			"g.geojson:5: unexpected end of file (truncated JSON)"},
		{"truncated, no newline at the end", head + good(4),
			"g.geojson:5: unexpected end of file (truncated JSON)"},
		{"an event's own fault on line 301", head + good(299) + ",\n" + strings.Replace(feature(300), `"best": 3`, `"best": 2.5`, 1) + "\n]}\n",
			"g.geojson:301: properties.best: \"2.5\" is not a whole number"},
	}
	readers := []struct {
		name string
		wrap func(io.Reader) io.Reader
	}{
		{"whole", func(r io.Reader) io.Reader { return r }},
		{"one byte a read", iotest.OneByteReader},
		{"odd reads", func(r io.Reader) io.Reader { return iotest.HalfReader(r) }},
	}
	for _, c := range cases {
		for _, rd := range readers {
			t.Run(c.name+"/"+rd.name, func(t *testing.T) {
				in := rd.wrap(strings.NewReader(c.data))
				_, err := ingest.Import(context.Background(), nil, "g.geojson", in, ingest.Options{Format: ingest.GeoJSON, Check: true})
				if err == nil {
					t.Fatalf("accepted; want %s", c.want)
				}
				if err.Error() != c.want {
					t.Errorf("got  %s\nwant %s", err, c.want)
				}
			})
		}
	}
}
