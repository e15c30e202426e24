package web

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/vigil-project/vigil/integrity"
)

// TestIntegritySplitNamesNew: a split answers the new narrative with what
// names it on the page, as the narratives list names one (its name, else
// the text of its first item: "sample") and how many items it took, so
// the page can name the new narrative and link to it. Before, the answer
// was the bare narrative: an unnamed one had nothing to be called by.
func TestIntegritySplitNamesNew(t *testing.T) {
	e := newIntegrityEnv(t)
	ana := e.tokens["ana"]
	items := importedItems(t, e, ana)
	var moved integrity.Item
	for _, it := range items.Items {
		if it.SourceID == "2" { // the retweet, in the bridge narrative with its original
			moved = it
		}
	}
	from := strconv.FormatInt(moved.Narrative, 10)
	resp, b := e.do(nil, "POST", "/api/v1/integrity/narratives/"+from+"/split", reqOpt{token: ana, body: `{"items":[` + strconv.FormatInt(moved.ID, 10) + `]}`})
	if resp.StatusCode != 201 {
		t.Fatalf("split %d %s", resp.StatusCode, b)
	}
	var got struct {
		ID        int64  `json:"id"`
		Name      string `json:"name"`
		SplitFrom int64  `json:"split_from"`
		Sample    string `json:"sample"`
		Items     int    `json:"items"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.ID == 0 || got.ID == moved.Narrative || got.SplitFrom != moved.Narrative || got.Name != "" || got.Sample != moved.Text || got.Items != 1 {
		t.Errorf("split answer %s, want the new narrative with sample %q and items 1", b, moved.Text)
	}
}

// importedItems imports the monitoring export integrityExport as token's
// user and answers the items then listed by GET /api/v1/integrity/items.
func importedItems(t *testing.T, e *testEnv, token string) (items struct{ Items []integrity.Item }) {
	t.Helper()
	if resp, b := e.do(nil, "POST", "/api/v1/integrity/import?name=x.csv", reqOpt{token: token, body: integrityExport, ctype: "text/csv"}); resp.StatusCode != 200 {
		t.Fatalf("import: %d %s", resp.StatusCode, b)
	}
	_, b := e.do(nil, "GET", "/api/v1/integrity/items", reqOpt{token: token})
	if err := json.Unmarshal(b, &items); err != nil {
		t.Fatalf("items: %v %s", err, b)
	}
	return items
}
