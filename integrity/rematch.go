package integrity

import (
	"context"
	"fmt"
	"slices"
)

// Re-matching: when a lexicon term is added, edited or removed (one at a
// time or by a CSV import), every stored item is matched again with the new
// lexicon (a pass, pass.go), so that its matches, its "matched 'X' —
// meaning …" explanations, the term spikes and the targeted groups stay
// true.

// MatchRow is an item's text and lexicon matches, as re-matching reads and
// writes them.
type MatchRow struct {
	ID      int64
	Text    string
	Lang    string
	Day     string // YYYY-MM-DD
	Matches []LexMatch
}

// MatchStore reads and rewrites items' lexicon matches (implemented by the store).
type MatchStore interface {
	// CountItems is the number of stored items.
	CountItems(ctx context.Context) (int, error)
	// MatchRows returns at most limit items with ids above after, in id order.
	MatchRows(ctx context.Context, after int64, limit int) ([]MatchRow, error)
	// SetMatches replaces the matches (and the term rows) of the given
	// items in one transaction, audited as one entry (detail).
	SetMatches(ctx context.Context, actor, detail string, rows []MatchRow) error
}

// RematchStatus returns the progress of the current or last re-match.
func (s *Service) RematchStatus() PassProgress { return s.rematchPass.status() }

// WaitRematch waits until no re-match runs (or ctx ends).
func (s *Service) WaitRematch(ctx context.Context) error { return s.rematchPass.wait(ctx) }

// rematch starts matching every item again with the current lexicon, after
// a change by actor.
func (s *Service) rematch(ctx context.Context, actor string) error {
	ms, ok := s.Store.(MatchStore)
	if !ok {
		return nil
	}
	return s.startPass(ctx, &s.rematchPass, "re-match items", ms.CountItems, func(ctx context.Context, after int64, limit int) (int, int, int64, error) {
		lx := s.lex.Load()
		rows, err := ms.MatchRows(ctx, after, limit)
		if err != nil || len(rows) == 0 {
			return 0, 0, after, err
		}
		var changed []MatchRow
		for _, r := range rows {
			m := lexMatches(lx, r.Text, r.Lang, nil)
			if !slices.Equal(m, r.Matches) {
				r.Matches = m
				changed = append(changed, r)
			}
		}
		if len(changed) > 0 {
			if err := ms.SetMatches(ctx, actor, fmt.Sprintf("%d items re-matched after a lexicon change", len(changed)), changed); err != nil {
				return 0, 0, after, err
			}
		}
		return len(rows), len(changed), rows[len(rows)-1].ID, nil
	})
}
