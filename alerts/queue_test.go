package alerts

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestClip: the queue's preview is cut after a whole word, a date token
// one word (it read « … le 2018-12-3… »), marked "…"; a first word longer
// than the bound is cut on a character.
func TestClip(t *testing.T) {
	fr := "ALERTE DEMO : des civils attaqués près de Beni le 2018-12-31, environ 3 morts"
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"}, {"a  b\nc", 10, "a b c"}, {"abcdef", 3, "abc…"}, {"ééé", 3, "é…"}, {"ab cdef", 3, "ab…"},
		{"ab cdef", 4, "ab…"}, {"ab cdef", 5, "ab…"}, {"ab cdef gh", 7, "ab cdef…"},
		{fr, strings.Index(fr, "2018") + 9, "ALERTE DEMO : des civils attaqués près de Beni le…"},
		{fr, strings.Index(fr, "2018") + 10, "ALERTE DEMO : des civils attaqués près de Beni le…"},
		{fr, strings.Index(fr, "2018") + 11, "ALERTE DEMO : des civils attaqués près de Beni le 2018-12-31…"}, // no comma before the mark
		{"Des hommes armés ont pillé le marché", 31, "Des hommes armés ont pillé le…"},
	} {
		if got := Clip(c.in, c.n); got != c.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}

// TestThrottle: the web form's budget per address (an IPv6 /64 is one
// address) and per channel, refilled by the clock, refusals counted and
// flushed at most every throttleFlushEvery. The clock is moved by hand.
func TestThrottle(t *testing.T) {
	now := time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC)
	th := NewThrottle()
	th.Now = func() time.Time { return now }
	for i := 0; i < ThrottleClientBurst; i++ {
		if ok, _ := th.take(fmt.Sprintf("2001:db8:1:2::%x", i+1), 1); !ok {
			t.Fatalf("post %d refused within the burst", i)
		}
	}
	ok, wait := th.take("2001:db8:1:2::ffff", 1)
	if ok || wait != ThrottleClientEvery {
		t.Fatalf("post past the burst from the same /64: ok=%v wait=%s, want refused for %s", ok, wait, ThrottleClientEvery)
	}
	if ok, _ := th.take("2001:db8:1:3::1", 1); !ok {
		t.Fatal("another /64 is refused")
	}
	now = now.Add(ThrottleClientEvery)
	if ok, _ := th.take("2001:db8:1:2::1", 1); !ok {
		t.Fatal("not refilled after ThrottleClientEvery")
	}
	for _, c := range []struct{ in, want string }{
		{"198.51.100.7", "198.51.100.7"}, {"::ffff:198.51.100.7", "198.51.100.7"},
		{"2001:db8:1:2::1", "2001:db8:1:2::/64"}, {"not an address", "not an address"},
	} {
		if got := clientKey(c.in); got != c.want {
			t.Errorf("clientKey(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	var added []int64
	add := func(_ context.Context, id, n int64) error { added = append(added, id, n); return nil }
	for i := 0; i < 3; i++ {
		if err := th.refused(context.Background(), 7, add); err != nil {
			t.Fatal(err)
		}
	}
	if len(added) != 2 || added[0] != 7 || added[1] != 1 || th.unflushed(7) != 2 {
		t.Fatalf("first refusal flushed %v, %d pending; want [7 1] and 2 pending", added, th.unflushed(7))
	}
	now = now.Add(throttleFlushEvery)
	if err := th.refused(context.Background(), 7, add); err != nil {
		t.Fatal(err)
	}
	if len(added) != 4 || added[3] != 3 || th.unflushed(7) != 0 {
		t.Fatalf("after %s: flushed %v, %d pending", throttleFlushEvery, added, th.unflushed(7))
	}
}
