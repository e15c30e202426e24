package geotext_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
)

// TestRefusalMessages: every refusal of the place API's requests (a place
// search, a gazetteer upload) carries its whole text as a catalog message
// (Refusals): English as the API always said it, the field named, French
// another text with nothing left unfilled; every message is said.
func TestRefusalMessages(t *testing.T) {
	ctx := context.Background()
	var x *geotext.Index // the checks come before the index is used
	search := func(q url.Values) error { _, err := x.SearchQuery(ctx, q); return err }
	upload := func(in geotext.GazetteerUpload) error { _, err := x.ImportUpload(ctx, "test", in); return err }
	reached := map[string]bool{}
	apperrtest.SaidAll(t, reached,
		apperrtest.Case{Name: "no name", Err: search(url.Values{"q": {"  "}}), FR: "q : donnez un nom de lieu à chercher"},
		apperrtest.Case{Name: "long name", Err: search(url.Values{"q": {strings.Repeat("a", 201)}}), FR: "q : au plus 200 octets"},
		apperrtest.Case{Name: "limit", Err: search(url.Values{"q": {"Goma"}, "limit": {"0"}}), FR: `limit : "0" : attendu de 1 à 50`},
		apperrtest.Case{Name: "long file name", Err: upload(geotext.GazetteerUpload{Name: strings.Repeat("a", 201), Data: "name\n"}), FR: "name : au plus 200 octets"},
		apperrtest.Case{Name: "empty file", Err: upload(geotext.GazetteerUpload{Data: " \n"}), FR: "data : le CSV est vide"},
	)
	for k := range reached {
		if !strings.HasPrefix(k, "geotext.") && k != "refusal.field" && k != "integrity.refusal.at-most-bytes" && k != "refusal.query.bytes" {
			t.Errorf("said by %s", k)
		}
	}
	reached["geotext.refusal.at-most-bytes"] = true // the English of another catalog's message too (said by whichever registered first)
	apperrtest.Catalog(t, geotext.Refusals, reached)
}
