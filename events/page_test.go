package events

import (
	"context"
	"errors"
	"testing"
)

// pagedStore serves ids 1..n in pages, as the stores do (ID order, after
// f.After, at most f.Limit), and records the page sizes asked for.
type pagedStore struct {
	Store
	n      int64
	failAt int64 // After value whose page fails (0: none)
	limits []int
}

func (s *pagedStore) Events(_ context.Context, f Filter) ([]Event, error) {
	s.limits = append(s.limits, f.Limit)
	if s.failAt != 0 && f.After == s.failAt {
		return nil, errors.New("store down")
	}
	var out []Event
	for id := f.After + 1; id <= s.n && len(out) < f.Limit; id++ {
		out = append(out, Event{ID: id})
	}
	return out, nil
}

func TestEachPage(t *testing.T) {
	cases := []struct {
		name      string
		n         int64
		limit     int
		after     int64
		failAt    int64
		wantIDs   int64 // ids 1..wantIDs seen in order
		wantPages int
		wantErr   bool
	}{
		{"empty store", 0, 3, 0, 0, 0, 1, false},
		{"last page short", 7, 3, 0, 0, 7, 3, false},
		{"last page full: one more empty page", 6, 3, 0, 0, 6, 3, false},
		{"default page size", 5, 0, 0, 0, 5, 1, false},
		{"caller's After is ignored", 4, 3, 2, 0, 4, 2, false},
		{"error on the second page", 7, 3, 0, 3, 3, 1, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := &pagedStore{n: c.n, failAt: c.failAt}
			var ids []int64
			pages := 0
			err := EachPage(context.Background(), st, Filter{Limit: c.limit, After: c.after}, func(p []Event) error {
				pages++
				for _, e := range p {
					ids = append(ids, e.ID)
				}
				return nil
			})
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v, want error %v", err, c.wantErr)
			}
			if int64(len(ids)) != c.wantIDs {
				t.Fatalf("ids %v, want 1..%d", ids, c.wantIDs)
			}
			for i, id := range ids {
				if id != int64(i+1) {
					t.Fatalf("ids %v, want 1..%d in order", ids, c.wantIDs)
				}
			}
			if pages != c.wantPages {
				t.Errorf("%d pages, want %d", pages, c.wantPages)
			}
			want := c.limit
			if want == 0 {
				want = 10000
			}
			for _, l := range st.limits {
				if l != want {
					t.Errorf("page size %d asked, want %d", l, want)
				}
			}
		})
	}
}

func TestEachPageStopsOnCallbackError(t *testing.T) {
	st := &pagedStore{n: 10}
	stop := errors.New("enough")
	calls := 0
	err := EachPage(context.Background(), st, Filter{Limit: 2}, func([]Event) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 || len(st.limits) != 1 {
		t.Errorf("err %v after %d calls and %d reads; want the callback's error after 1 of each", err, calls, len(st.limits))
	}
}
