package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/storage"
)

// testIntegrityHarmfulLabels: what counts as harmful is one rule
// (integrity.Harmful), the same in the store's queries (the harmful filter
// of item search, the narratives' harmful count) and in the Go counts of
// the Where view and the weekly brief: an analyst's label decides when
// there is one, else the classifier's score from HarmfulAt.
func testIntegrityHarmfulLabels(t *testing.T, ctx context.Context, db *storage.DB) {
	s := integrityService(t, db)
	at := func(d int) time.Time { return time.Date(2026, 3, d, 9, 0, 0, 0, time.UTC) }
	cases := []struct {
		id      string
		score   float64
		label   string // the analyst's; "" none
		harmful bool
	}{
		{"labelled-harmful-low-score", 0.34, integrity.HarmfulLabel, true},
		{"labelled-normal-high-score", 0.93, integrity.LabelNormal, false},
		{"unlabelled-high-score", 0.71, "", true},
		{"unlabelled-at-threshold", integrity.HarmfulAt, "", true},
		{"unlabelled-low-score", 0.12, "", false},
		{"labelled-harmful-high-score", 0.88, integrity.HarmfulLabel, true},
		{"labelled-normal-low-score", 0.05, integrity.LabelNormal, false},
		{"label-removed-low-score", 0.3, "removed", false},
	}
	lat, lon := -1.5597, 30.0619
	var items []*integrity.Item
	for i, c := range cases {
		items = append(items, &integrity.Item{Source: "s", SourceID: c.id, Via: integrity.ViaImport, Kind: "post", Lang: "fr",
			Text: "texte " + c.id, Time: at(27 + i%3), Score: c.score, Narrative: 1, Place: "Rubavu", Lat: &lat, Lon: &lon})
	}
	narr := []integrity.Narrative{{ID: 1, Name: "n", Status: integrity.StatusNew, Created: at(1)}}
	if err := db.SaveItems(ctx, "test", "integrity.import", "", narr, items); err != nil {
		t.Fatal(err)
	}
	want := 0
	for i, c := range cases {
		switch c.label {
		case "":
		case "removed":
			if _, err := s.LabelItem(ctx, "alice", integrity.Label{Item: items[i].ID, Label: integrity.HarmfulLabel}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.LabelItem(ctx, "alice", integrity.Label{Item: items[i].ID}); err != nil {
				t.Fatal(err)
			}
		default:
			if _, err := s.LabelItem(ctx, "alice", integrity.Label{Item: items[i].ID, Label: c.label}); err != nil {
				t.Fatal(err)
			}
		}
		if c.harmful {
			want++
		}
	}

	// Item.Harmful, read back, and the harmful filter of item search.
	found, err := db.Items(ctx, integrity.ItemFilter{Harmful: true, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	inFilter := map[string]bool{}
	for _, it := range found {
		inFilter[it.SourceID] = true
	}
	for i, c := range cases {
		it, err := db.Item(ctx, items[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		if it.Harmful() != c.harmful {
			t.Errorf("%s (score %.2f, labelled %q): Item.Harmful() %v, want %v", c.id, it.Score, it.Labelled, it.Harmful(), c.harmful)
		}
		if inFilter[c.id] != c.harmful {
			t.Errorf("%s: in the harmful filter of item search %v, want %v", c.id, inFilter[c.id], c.harmful)
		}
	}
	if len(found) != want {
		t.Errorf("harmful filter: %d items, want %d", len(found), want)
	}

	// The narratives' harmful count.
	ns, err := db.Narratives(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 1 || ns[0].Harmful != want || ns[0].Items != len(cases) {
		t.Errorf("narratives %+v, want one of %d items, %d harmful", ns, len(cases), want)
	}

	// The Where view and the weekly brief (WindowItems carries the label).
	w, err := s.Where(ctx, integrity.WhereQuery{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cells := 0
	for _, c := range w.Cells {
		cells += c.Harmful.Items
	}
	if cells != want {
		t.Errorf("where: %d harmful items in cells, want %d", cells, want)
	}
	b, err := s.WeeklyBrief(ctx, at(31), nil)
	if err != nil {
		t.Fatal(err)
	}
	if b.Items != len(cases) || b.Harmful != want {
		t.Errorf("brief: %d items, %d harmful; want %d, %d", b.Items, b.Harmful, len(cases), want)
	}
}
