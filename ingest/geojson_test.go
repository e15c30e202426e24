package ingest_test

import (
	"bytes"
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
		{"wrong kind on line 503, past the first 64 KiB", head + good(500) + ",\n{\"type\": \"Feature\",\n \"geometry\": {\"type\": 7}}\n]}\n",
			"g.geojson:503: geometry.type: is a number in JSON, want a string"},
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
		{"an event's own fault on line 602", head + good(600) + ",\n" + strings.Replace(feature(600), `"best": 3`, `"best": 2.5`, 1) + "\n]}\n",
			"g.geojson:602: properties.best: \"2.5\" is not a whole number"},
	}
	readers := []struct {
		name string
		wrap func(io.Reader) io.Reader
	}{
		{"whole", func(r io.Reader) io.Reader { return r }},
		{"one byte a read", iotest.OneByteReader},
		{"odd reads", func(r io.Reader) io.Reader { return iotest.HalfReader(r) }},
		// The decoder's buffer then ends at a comma: the next value's
		// start is not in it yet, and is found another way.
		{"reads ending at each comma", func(r io.Reader) io.Reader { return &cutAtCommas{r: r} }},
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

// cutAtCommas reads r in reads that each end just after a comma.
type cutAtCommas struct {
	r    io.Reader
	rest []byte
}

func (c *cutAtCommas) Read(p []byte) (int, error) {
	if c.r != nil {
		data, err := io.ReadAll(c.r)
		if err != nil {
			return 0, err
		}
		c.r, c.rest = nil, data
	}
	if len(c.rest) == 0 {
		return 0, io.EOF
	}
	n := len(c.rest)
	if i := bytes.IndexByte(c.rest, ','); i >= 0 {
		n = i + 1
	}
	n = copy(p, c.rest[:n])
	c.rest = c.rest[n:]
	return n, nil
}

// TestGeoJSONStringProperties: a string property is read as JSON says it,
// whether it is plain text (taken between its quotes) or holds escapes or
// bytes outside UTF-8 (decoded by encoding/json: escapes undone, a bad
// byte replaced by U+FFFD), and trimmed. The feature comes after 64 KiB of
// others, so a file whose start is UTF-8 is read as UTF-8 (not as
// ISO-8859-1) and a bad byte reaches the parser.
func TestGeoJSONStringProperties(t *testing.T) {
	feature := func(id int, notes string) string {
		return fmt.Sprintf(`{"type": "Feature", "id": "e%d", "geometry": {"type": "Point", "coordinates": [29.5, 1.5]}, `+
			`"properties": {"date_start": "2020-01-02", "type_of_violence": 1, "best": 3, "notes": %s}}`, id, notes)
	}
	var head strings.Builder
	head.WriteString(`{"type": "FeatureCollection", "features": [` + "\n")
	for i := range 500 {
		head.WriteString(feature(i, `"plain"`) + ",\n")
	}
	cases := []struct{ name, notes, want string }{
		{"plain", `" in the market "`, "in the market"},
		{"accents", `"près de l'école"`, "près de l'école"},
		{"escapes", `"said \"now\"\tand \u00e9t\u00e9 \\ \/"`, "said \"now\"\tand été \\ /"},
		{"escaped space trimmed", `"\n market \u0020"`, "market"},
		{"byte outside UTF-8", "\"caf\xe9\"", "caf\uFFFD"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := head.String() + feature(500, c.notes) + "]}"
			es, err := ingest.ReadAll(context.Background(), "g.geojson", strings.NewReader(data), ingest.Options{Format: ingest.GeoJSON})
			if err != nil {
				t.Fatal(err)
			}
			if len(es) != 501 || es[500].Notes != c.want {
				t.Fatalf("%d events, the last's notes %q, want %q", len(es), es[len(es)-1].Notes, c.want)
			}
		})
	}
}
