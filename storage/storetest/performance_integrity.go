package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/performance"
)

// testPerformanceIntegrity: the information-integrity indicators' two
// reads. ContentItems gives each item's source, id, kind, language, posted
// time and score (the same as Items, without the rest); RatedChecks gives
// only the rated checks, with their publication time and the time of the
// first log entry (in log order, not the earliest time) moving the check
// to 'responded'.
func testPerformanceIntegrity(t *testing.T, open Opener) {
	ctx := context.Background()
	db := open(t)
	at := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, time.UTC) }
	if its, err := db.ContentItems(ctx); err != nil || len(its) != 0 {
		t.Fatalf("empty store: %+v %v", its, err)
	}
	var narrs []integrity.Narrative
	for id := int64(1); id <= 3; id++ {
		narrs = append(narrs, integrity.Narrative{ID: id, Name: "n", Status: integrity.StatusNew, Created: at(1, 0)})
	}
	items := []*integrity.Item{
		{Source: "radio", SourceID: "a", Kind: "broadcast", Lang: "fr", Text: "un", Time: at(2, 9), Score: 0.55, Narrative: 1,
			Matches: []integrity.LexMatch{{Term: "x", Group: "g"}}},
		{Source: "facebook", SourceID: "b", Kind: "post", Lang: "en", Text: "two", Time: at(3, 10), Score: 0.125, Narrative: 2},
		{Source: "tipline", SourceID: "c", Kind: "message", Lang: "", Text: "trois", Time: at(4, 11), Score: 0.9, Narrative: 3},
	}
	if err := db.SaveItems(ctx, "test", "integrity.import", narrs, items); err != nil {
		t.Fatal(err)
	}
	got, err := db.ContentItems(ctx)
	whole, werr := db.Items(ctx, integrity.ItemFilter{Limit: 10})
	if werr != nil || len(whole) != len(items) {
		t.Fatalf("items %d %v", len(whole), werr)
	}
	var want []performance.ContentItem
	for i := range whole {
		it := whole[len(whole)-1-i] // Items is newest first
		want = append(want, performance.ContentItem{Source: it.Source, SourceID: it.SourceID, Kind: it.Kind, Lang: it.Lang, Time: it.Time, Score: it.Score})
	}
	if want[0].Source != "radio" || want[2].Score != 0.9 || !want[1].Time.Equal(at(3, 10)) {
		t.Fatalf("items read back %+v", want)
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("content items\n got %+v %v\nwant %+v", got, err, want)
	}

	// 1: rated, published, responded twice (the second entry dated
	// earlier); 2: rated, not published, not responded; 3: not rated.
	pub := at(5, 6)
	step := func(n int64, prev string, c integrity.Check, e integrity.CheckEntry) {
		t.Helper()
		c.Narrative, c.Updated = n, e.At
		e.Kind = integrity.LogState
		e.From, e.To = prev, c.State
		if err := db.SaveCheck(ctx, "ana", prev, &c, e); err != nil {
			t.Fatal(err)
		}
	}
	step(1, "", integrity.Check{State: integrity.CheckVerifying}, integrity.CheckEntry{At: at(5, 0)})
	step(1, integrity.CheckVerifying, integrity.Check{State: integrity.CheckResponded, Rating: "false", PublishedAt: &pub}, integrity.CheckEntry{At: at(6, 0)})
	step(1, integrity.CheckResponded, integrity.Check{State: integrity.CheckVerifying, Rating: "false", PublishedAt: &pub}, integrity.CheckEntry{At: at(6, 1)})
	step(1, integrity.CheckVerifying, integrity.Check{State: integrity.CheckResponded, Rating: "false", PublishedAt: &pub}, integrity.CheckEntry{At: at(5, 1)})
	step(2, "", integrity.Check{State: integrity.CheckVerifying, Rating: "misleading"}, integrity.CheckEntry{At: at(7, 0)})
	step(3, "", integrity.Check{State: integrity.CheckVerifying}, integrity.CheckEntry{At: at(8, 0)})
	rsp := at(6, 0)
	cs, err := db.RatedChecks(ctx)
	wantC := []performance.RatedCheck{{Narrative: 1, Rating: "false", PublishedAt: &pub, RespondedAt: &rsp}, {Narrative: 2, Rating: "misleading"}}
	if err != nil || !reflect.DeepEqual(cs, wantC) {
		t.Errorf("rated checks\n got %+v %v\nwant %+v", cs, err, wantC)
	}
}
