package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/storage"
)

// testIntegrityItemsPage: the Items tab pages through a mission's items
// (GET /api/v1/integrity/items?limit=&offset=, answered with the total of
// the items the filter selects): the count is the filter's, whatever the
// page, and the pages, newest first, together hold every item once.
func testIntegrityItemsPage(t *testing.T, ctx context.Context, db *storage.DB) {
	s := integrityService(t, db)
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	narr := []integrity.Narrative{{ID: 1, Name: "a", Status: integrity.StatusNew, Created: at}, {ID: 2, Name: "b", Status: integrity.StatusNew, Created: at}}
	var items []*integrity.Item
	for i := range 7 {
		text := "marché de Djugu"
		if i%2 == 1 {
			text = "ÉLECTIONS à Bunia"
		}
		score := 0.1
		if i < 3 {
			score = 0.9
		}
		// Two items share a time: the order (and so the pages) falls back on the id.
		items = append(items, &integrity.Item{Source: "radio", SourceID: fmt.Sprint(i), Via: integrity.ViaImport, Kind: "post",
			Text: fmt.Sprintf("%s %d", text, i), Time: at.Add(time.Duration(min(i, 5)) * time.Hour), Score: score, Narrative: int64(1 + i%2)})
	}
	if err := db.SaveItems(ctx, "test", "integrity.import", "", narr, items); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		f     integrity.ItemFilter
		total int
	}{
		{"all", integrity.ItemFilter{}, 7},
		{"a narrative", integrity.ItemFilter{Narrative: 2}, 3},
		{"harmful", integrity.ItemFilter{Harmful: true}, 3},
		{"text in another case", integrity.ItemFilter{Query: "élections"}, 3},
		{"all filters", integrity.ItemFilter{Narrative: 1, Harmful: true, Query: "MARCHÉ"}, 2},
		{"nothing", integrity.ItemFilter{Query: "Kisangani"}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			seen := map[int64]bool{}
			var last time.Time
			for off := 0; off < c.total+2; off += 2 {
				f := c.f
				f.Limit, f.Offset = 2, off
				page, err := s.ItemList(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if page.Total != c.total {
					t.Errorf("offset %d: total %d, want %d", off, page.Total, c.total)
				}
				if want := max(0, min(2, c.total-off)); len(page.Items) != want {
					t.Errorf("offset %d: %d items, want %d", off, len(page.Items), want)
				}
				for _, it := range page.Items {
					if seen[it.ID] {
						t.Errorf("offset %d: item %d on two pages", off, it.ID)
					}
					if !last.IsZero() && it.Time.After(last) {
						t.Errorf("offset %d: item %d (%s) after an older one", off, it.ID, it.Time)
					}
					seen[it.ID], last = true, it.Time
				}
			}
			if len(seen) != c.total {
				t.Errorf("the pages hold %d items, want %d", len(seen), c.total)
			}
		})
	}
}
