package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/integrity/lexicon"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
)

// testIntegrityRematch: a lexicon change (add, edit, delete, CSV import)
// re-matches the items already stored, so their matches, explanations,
// term series and targeted groups stay true; a big store is re-matched in
// the background with its progress readable.
func testIntegrityRematch(t *testing.T, open Opener) {
	ctx := context.Background()
	add := func(t *testing.T, s *integrity.Service, texts ...string) []*integrity.Item {
		t.Helper()
		var items []*integrity.Item
		for i, tx := range texts {
			items = append(items, &integrity.Item{Source: "x", SourceID: fmt.Sprint(i), Via: integrity.ViaImport, Text: tx, Lang: "fr",
				Time: time.Date(2026, 3, 1+i, 9, 0, 0, 0, time.UTC)})
		}
		testutil.AddItems(t, s, "alice", items...)
		return items
	}
	matches := func(t *testing.T, s *integrity.Service, id int64) []integrity.LexMatch {
		t.Helper()
		it, err := s.Item(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return it.Matches
	}
	termDays := func(t *testing.T, db *storage.DB) map[string]int {
		t.Helper()
		dcs, err := db.DailyCounts(ctx, "term")
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int{}
		for _, d := range dcs {
			out[d.Key] += d.N
		}
		return out
	}

	t.Run("add edit delete", func(t *testing.T) {
		db := open(t)
		s := integrityService(t, db)
		items := add(t, s, "Ce CAFARD doit partir du quartier", "La réunion de paix est jeudi")
		if ms := matches(t, s, items[0].ID); len(ms) != 0 {
			t.Fatalf("matches before any term: %+v", ms)
		}
		term, err := s.SaveTerm(ctx, "alice", integrity.Term{Term: "cafard", Language: "fr", Meaning: "cockroach", Group: "ethnic group", Severity: 3})
		if err != nil {
			t.Fatal(err)
		}
		ms := matches(t, s, items[0].ID)
		if len(ms) != 1 || ms[0].Term != "cafard" || !strings.Contains(ms[0].Explain, "matched 'CAFARD'") || !strings.Contains(ms[0].Explain, "meaning cockroach") {
			t.Fatalf("after adding the term, the old item's matches are %+v", ms)
		}
		if ms := matches(t, s, items[1].ID); len(ms) != 0 {
			t.Errorf("unrelated item matched: %+v", ms)
		}
		if got := termDays(t, db); got["cafard"] != 1 {
			t.Errorf("term series %v, want cafard 1", got)
		}
		ns, err := s.Narratives(ctx)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, n := range ns {
			for _, g := range n.Groups {
				found = found || g.Value == "ethnic group"
			}
		}
		if !found {
			t.Errorf("no narrative counts the targeted group after the re-match: %+v", ns)
		}

		// An edit changes the explanation.
		term.Meaning = "insect; a slur for the other community"
		if _, err := s.SaveTerm(ctx, "alice", term); err != nil {
			t.Fatal(err)
		}
		if ms := matches(t, s, items[0].ID); len(ms) != 1 || !strings.Contains(ms[0].Explain, "meaning insect; a slur") {
			t.Errorf("after the edit: %+v", ms)
		}

		// Removing it removes the match and the term series.
		if err := s.DeleteTerm(ctx, "alice", term.ID); err != nil {
			t.Fatal(err)
		}
		if ms := matches(t, s, items[0].ID); len(ms) != 0 {
			t.Errorf("after removing the term the item still matches %+v", ms)
		}
		if got := termDays(t, db); got["cafard"] != 0 {
			t.Errorf("term series after removal %v", got)
		}
		if n := len(auditActions(t, db, "integrity.lexicon.rematch")); n != 3 {
			t.Errorf("%d re-match audit entries, want 3 (add, edit, delete)", n)
		}
		if p := s.RematchStatus(); p.Running || p.Total != 2 || p.Done != 2 || p.Changed != 1 || p.Finished == nil || p.Error != "" {
			t.Errorf("progress %+v", p)
		}

		// A CSV import re-matches too.
		es, err := lexicon.ReadCSV(strings.NewReader("term,variants,language,meaning\nréunion,,fr,a meeting\n"), "l.csv")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ImportTerms(ctx, "alice", es, "l.csv"); err != nil {
			t.Fatal(err)
		}
		if ms := matches(t, s, items[1].ID); len(ms) != 1 || ms[0].Term != "réunion" {
			t.Errorf("after the import: %+v", ms)
		}
	})

	t.Run("background with progress", func(t *testing.T) {
		db := open(t)
		s := integrityService(t, db)
		s.PassBatch = 2
		var texts []string
		for i := range 7 {
			texts = append(texts, fmt.Sprintf("Message %d: le cafard arrive au marché numéro %d", i, i*7))
		}
		items := add(t, s, texts...)
		if _, err := s.SaveTerm(ctx, "alice", integrity.Term{Term: "cafard", Language: "fr", Meaning: "cockroach"}); err != nil {
			t.Fatal(err)
		}
		if err := s.WaitRematch(ctx); err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if ms := matches(t, s, it.ID); len(ms) != 1 {
				t.Errorf("item %d matches %+v after the background re-match", it.ID, ms)
			}
		}
		if p := s.RematchStatus(); p.Running || p.Total != 7 || p.Done != 7 || p.Changed != 7 {
			t.Errorf("progress %+v", p)
		}
		if n := len(auditActions(t, db, "integrity.lexicon.rematch")); n != 4 {
			t.Errorf("%d re-match audit entries, want 4 (one per batch of 2)", n)
		}
	})
}
