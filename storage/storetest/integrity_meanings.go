package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/integrity/lexicon"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/testutil"
)

// testIntegrityMeaningCodes: a starter term keeps the code of Vigil's
// sentence and its figure (so a page writes it in its own language), also
// in an item's match; an analyst's words over it stay as written, without
// the code; a database that loaded the starter lexicon before migration
// 0053 gets the codes from its sentences.
func testIntegrityMeaningCodes(t *testing.T, open Opener) {
	ctx := context.Background()
	starter := map[string]lexicon.Entry{}
	for _, e := range lexicon.Starter() {
		starter[e.Term+"|"+e.Language] = e
	}
	checkStarter := func(t *testing.T, ts []integrity.Term) {
		t.Helper()
		if len(ts) != len(starter) {
			t.Fatalf("%d terms, want %d", len(ts), len(starter))
		}
		for _, tm := range ts {
			e := starter[tm.Term+"|"+tm.Language]
			if tm.MeaningCode == "" || tm.MeaningCode != e.MeaningCode || tm.MeaningPct != e.MeaningPct || tm.Meaning != e.Meaning {
				t.Fatalf("term %q: code %q pct %d, want %q %d", tm.Term, tm.MeaningCode, tm.MeaningPct, e.MeaningCode, e.MeaningPct)
			}
		}
	}

	t.Run("starter", func(t *testing.T) {
		db := open(t)
		s := integrityService(t, db)
		if _, err := s.LoadStarter(ctx, "alice"); err != nil {
			t.Fatal(err)
		}
		ts, err := s.Terms(ctx)
		if err != nil {
			t.Fatal(err)
		}
		checkStarter(t, ts)
		var ngram integrity.Term
		for _, tm := range ts {
			if tm.MeaningCode == lexicon.MeaningNgram && tm.MeaningPct > 0 {
				ngram = tm
				break
			}
		}
		it := &integrity.Item{Source: "x", SourceID: "1", Via: integrity.ViaImport, Lang: "en", Text: "a post: " + ngram.Term,
			Time: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
		testutil.AddItems(t, s, "alice", it)
		got, err := s.Item(ctx, it.ID)
		if err != nil || len(got.Matches) == 0 || got.Matches[0].MeaningCode != lexicon.MeaningNgram || got.Matches[0].MeaningPct != ngram.MeaningPct {
			t.Fatalf("match of %q: %+v %v", ngram.Term, got.Matches, err)
		}

		// Another severity, the sentence untouched: still Vigil's sentence.
		ngram.Severity = 1
		if saved, err := s.SaveTerm(ctx, "alice", ngram); err != nil || saved.MeaningCode != lexicon.MeaningNgram {
			t.Fatalf("severity edit: %+v %v", saved, err)
		}
		// The analyst's own words: kept as written, no code.
		ngram.Meaning = "a slur seen in the north"
		if _, err := s.SaveTerm(ctx, "alice", ngram); err != nil {
			t.Fatal(err)
		}
		ts, _ = s.Terms(ctx)
		for _, tm := range ts {
			if tm.ID == ngram.ID && (tm.Meaning != "a slur seen in the north" || tm.MeaningCode != "" || tm.MeaningPct != 0) {
				t.Fatalf("edited meaning: %+v", tm)
			}
		}
		if err := s.WaitRematch(ctx); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Item(ctx, it.ID); len(got.Matches) == 0 || got.Matches[0].MeaningCode != "" || got.Matches[0].Meaning != "a slur seen in the north" {
			t.Fatalf("match after the edit: %+v", got.Matches)
		}
		// A code the lexicon does not write is refused, naming the field.
		ngram.MeaningCode = "slur"
		var ae *apperr.Error
		if _, err := s.SaveTerm(ctx, "alice", ngram); !errors.As(err, &ae) || ae.Field != "meaning_code" {
			t.Fatalf("unknown code: %v", err)
		}
	})

	t.Run("upgrade", func(t *testing.T) {
		db := open(t)
		wipe(t, db)
		if err := db.MigrateTo(ctx, 52); err != nil {
			t.Fatal(err)
		}
		for _, e := range starter {
			if _, err := db.SQL.ExecContext(ctx, db.Rebind(`INSERT INTO integrity_terms (term, variants, language, meaning, grp, severity, source) VALUES (?, '', ?, ?, '', ?, ?)`),
				e.Term, e.Language, e.Meaning, e.Severity, e.Source); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.SQL.ExecContext(ctx, db.Rebind(`INSERT INTO integrity_terms (term, variants, language, meaning, grp, severity, source) VALUES ('cafard', '', 'fr', 'n-gram found in hateful tweets (many% of the tweets containing it were labelled hateful)', '', 3, 'mission')`)); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		ts, err := integrityService(t, db).Terms(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var rest []integrity.Term
		for _, tm := range ts {
			if tm.Term == "cafard" {
				if tm.MeaningCode != "" {
					t.Errorf("a mission's meaning got a code: %+v", tm)
				}
				continue
			}
			rest = append(rest, tm)
		}
		checkStarter(t, rest)
	})
}
