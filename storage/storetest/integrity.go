package storetest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/integrity/lexicon"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
)

func integrityService(t *testing.T, db *storage.DB) *integrity.Service {
	k, _ := keyring(t, "k1", "k1")
	s := integrity.NewService(db, k)
	s.Now = func() time.Time { return time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC) }
	return s
}

func auditActions(t *testing.T, db *storage.DB, action string) []audit.Record {
	t.Helper()
	recs, err := db.AuditLog(context.Background(), audit.Filter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func testIntegrity(t *testing.T, open Opener) {
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2026, 3, d, 9, 0, 0, 0, time.UTC) }

	t.Run("items narratives reveal", func(t *testing.T) {
		db := open(t)
		s := integrityService(t, db)
		g, err := geotext.LoadGazetteer(strings.NewReader("name,alternatenames,lat,lon\nBunia,,1.5667,30.25\n"), "test")
		if err != nil {
			t.Fatal(err)
		}
		s.SetGazetteer(g)
		claim := "The water at the Bunia market well has been poisoned by the other community, do not drink it"
		items := []*integrity.Item{
			{Source: "x", SourceID: "1", Via: integrity.ViaImport, Text: claim, Author: "@first_account", Time: day(1), Engagement: integrity.Engagement{Shares: 3}},
			{Source: "x", SourceID: "2", Via: integrity.ViaImport, Text: "RT @someone: " + claim + " https://t.co/abc", Time: day(2), Engagement: integrity.Engagement{Shares: 5}},
			{Source: "radio", SourceID: "r1", Via: integrity.ViaImport, Text: "La réunion du comité de paix se tiendra jeudi à la mairie avec les chefs de quartier", Time: day(2), Place: "Mairie"},
		}
		res := testutil.AddItems(t, s, "alice", items...)
		if res.Added != 3 || res.Updated != 0 || res.Narratives != 2 {
			t.Fatalf("result %+v, want 3 added in 2 narratives", res)
		}
		if items[0].Narrative != items[1].Narrative || items[0].Narrative == items[2].Narrative {
			t.Errorf("narratives %d %d %d: the retweet must join its original, the radio note stand apart", items[0].Narrative, items[1].Narrative, items[2].Narrative)
		}
		got, err := s.Item(ctx, items[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Lang != "en" || got.Place != "Bunia" || got.PlaceFrom != "text" || !got.HasAuthor || got.Author != "" || got.Shares != 3 {
			t.Errorf("stored item %+v", got)
		}
		if r, _ := s.Item(ctx, items[2].ID); r.Lang != "fr" || r.Place != "Mairie" || r.PlaceFrom != "given" {
			t.Errorf("radio item lang %q place %q from %q", r.Lang, r.Place, r.PlaceFrom)
		}
		// The handle is sealed at rest: the clear text is nowhere in the row.
		var raw []byte
		if err := db.QueryRow(ctx, db.SQL, `SELECT author_sealed FROM integrity_items WHERE id = ?`, items[0].ID).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if len(raw) == 0 || strings.Contains(string(raw), "first_account") {
			t.Errorf("author not sealed: %q", raw)
		}
		who, err := s.RevealAuthor(ctx, "bob", items[0].ID)
		if err != nil || who != "@first_account" {
			t.Errorf("reveal %q %v", who, err)
		}
		if n := len(auditActions(t, db, "integrity.author.reveal")); n != 1 {
			t.Errorf("%d reveal audit records, want 1", n)
		}
		if _, err := s.RevealAuthor(ctx, "bob", 9999); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("reveal unknown item: %v", err)
		}

		// Re-import: same source and id updates the engagement only.
		again := &integrity.Item{Source: "x", SourceID: "1", Via: integrity.ViaImport, Text: "changed text", Time: day(1), Engagement: integrity.Engagement{Shares: 40, Views: 100}}
		res = testutil.AddItems(t, s, "alice", again)
		if res.Added != 0 || res.Updated != 1 || again.ID != items[0].ID {
			t.Fatalf("re-import %+v (id %d, want %d)", res, again.ID, items[0].ID)
		}
		if got, _ := s.Item(ctx, items[0].ID); got.Shares != 40 || got.Views != 100 || got.Text != claim {
			t.Errorf("after re-import shares %d views %d text %q", got.Shares, got.Views, got.Text)
		}

		ns, err := s.Narratives(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(ns) != 2 || ns[0].Items != 2 || ns[0].Reach != 145 || ns[0].Sample != claim {
			t.Fatalf("narratives %+v", ns)
		}
		if len(ns[0].Languages) != 1 || ns[0].Languages[0] != (integrity.Count{Value: "en", N: 2}) || len(ns[0].Places) != 1 || ns[0].Places[0].Value != "Bunia" {
			t.Errorf("facets langs %v places %v", ns[0].Languages, ns[0].Places)
		}
		if len(auditActions(t, db, "integrity.items.import")) != 2 {
			t.Errorf("want one audit record per import")
		}

		// A restarted service rebuilds the grouper: a new near-duplicate
		// joins the stored narrative.
		s2 := integrityService(t, db)
		dup := &integrity.Item{Source: "y", SourceID: "9", Via: integrity.ViaImport, Text: strings.ToUpper(claim) + " #share", Time: day(3)}
		testutil.AddItems(t, s2, "alice", dup)
		if dup.Narrative != items[0].Narrative {
			t.Errorf("after restart the near-duplicate went to %d, want %d", dup.Narrative, items[0].Narrative)
		}

		// Split the radio-unrelated retweet off, name it, merge it back.
		nb, err := s2.SplitNarrative(ctx, "alice", items[0].Narrative, []int64{items[1].ID}, "retweets")
		if err != nil {
			t.Fatal(err)
		}
		if nb.ID <= items[2].Narrative || nb.SplitFrom != items[0].Narrative {
			t.Errorf("split narrative %+v", nb)
		}
		if got, _ := s2.Item(ctx, items[1].ID); got.Narrative != nb.ID {
			t.Errorf("split item in %d, want %d", got.Narrative, nb.ID)
		}
		if _, err := s2.SplitNarrative(ctx, "alice", items[0].Narrative, []int64{items[2].ID}, ""); err == nil {
			t.Error("splitting an item of another narrative must fail")
		}
		if err := s2.RenameNarrative(ctx, "alice", nb.ID, "Retweets of the well claim"); err != nil {
			t.Fatal(err)
		}
		if n, _ := db.Narrative(ctx, nb.ID); n.Name != "Retweets of the well claim" {
			t.Errorf("renamed %+v", n)
		}
		if _, err := s2.MergeNarratives(ctx, "alice", items[0].Narrative, nb.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s2.MergeNarratives(ctx, "alice", items[0].Narrative, nb.ID); err == nil {
			t.Error("merging a merged narrative again must fail")
		}
		ns, _ = s2.Narratives(ctx)
		if len(ns) != 2 || ns[0].Items != 3 {
			t.Errorf("after merge %+v", ns)
		}
		// Later copies of the split-off retweet follow the merge.
		rt := &integrity.Item{Source: "y", SourceID: "10", Via: integrity.ViaImport, Text: "RT @other: " + claim, Time: day(3)}
		testutil.AddItems(t, s2, "alice", rt)
		if rt.Narrative != items[0].Narrative {
			t.Errorf("copy after merge in %d, want %d", rt.Narrative, items[0].Narrative)
		}
		for _, a := range []string{"integrity.narrative.split", "integrity.narrative.merge", "integrity.narrative.rename"} {
			if len(auditActions(t, db, a)) != 1 {
				t.Errorf("no audit record %s", a)
			}
		}
		list, err := s2.Items(ctx, integrity.ItemFilter{Narrative: items[0].Narrative})
		if err != nil || len(list) != 4 || list[0].Time.Before(list[len(list)-1].Time) {
			t.Errorf("items of the narrative: %d %v", len(list), err)
		}
		if list, _ := s2.Items(ctx, integrity.ItemFilter{Query: "comité de paix"}); len(list) != 1 {
			t.Errorf("text search found %d", len(list))
		}
		if list, _ := s2.Items(ctx, integrity.ItemFilter{Query: "100%_"}); len(list) != 0 {
			t.Errorf("LIKE wildcards must be literal, found %d", len(list))
		}
	})

	t.Run("feed", func(t *testing.T) {
		db := open(t)
		s := integrityService(t, db)
		rss := `<rss><channel><title>Radio test</title>
<item><title>Le pont de Rutshuru est fermé</title><guid>a1</guid><pubDate>Fri, 01 Mar 2024 14:05:00 GMT</pubDate></item>
<item><title>RT: Le pont de Rutshuru est fermé</title><guid>a2</guid><pubDate>Fri, 01 Mar 2024 15:05:00 GMT</pubDate></item>
</channel></rss>`
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			io.WriteString(w, rss)
		}))
		defer srv.Close()
		res, err := s.PollFeed(ctx, "cli:test", nil, srv.URL, "")
		if err != nil || res.Added != 2 || res.Narratives != 1 {
			t.Fatalf("first poll %+v %v", res, err)
		}
		res, err = s.PollFeed(ctx, "cli:test", nil, srv.URL, "")
		if err != nil || res.Added != 0 || res.Updated != 2 {
			t.Fatalf("second poll %+v %v: known entries must not be added again", res, err)
		}
		its, _ := s.Items(ctx, integrity.ItemFilter{})
		if len(its) != 2 || its[0].Via != integrity.ViaFeed || its[0].Source != "Radio test" || its[0].Lang != "fr" {
			t.Errorf("feed items %+v", its)
		}
		if len(auditActions(t, db, "integrity.feed.poll")) != 2 {
			t.Error("each poll is audited")
		}
	})

	t.Run("same item twice in one import", func(t *testing.T) {
		// Stored once, with the later engagement counts, as if written one
		// by one (SaveItems writes in multi-row statements).
		db := open(t)
		s := integrityService(t, db)
		var its []*integrity.Item
		for _, shares := range []int64{3, 7} {
			it := &integrity.Item{Source: "x", SourceID: "1", Via: integrity.ViaImport, Text: "Armed men seen near the market of Bunia",
				Time: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), Engagement: integrity.Engagement{Shares: shares}}
			if err := s.Validate(it); err != nil {
				t.Fatal(err)
			}
			its = append(its, it)
		}
		res, err := s.Add(ctx, "alice", "integrity.items.import", "", its)
		if err != nil || res.Added != 1 || res.Updated != 1 || its[0].ID == 0 || its[1].ID != its[0].ID {
			t.Fatalf("%+v %v ids %d %d", res, err, its[0].ID, its[1].ID)
		}
		if got, err := s.Item(ctx, its[0].ID); err != nil || got.Shares != 7 {
			t.Errorf("stored shares %d (%v), want the later 7", got.Shares, err)
		}
	})

	t.Run("scheduled feeds", func(t *testing.T) {
		db := open(t)
		s := integrityService(t, db)
		now := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { return now }
		s.FeedHTTP = integrity.FeedClient(500 * time.Millisecond) // the scheduled polls' own client, with a short timeout
		mux := http.NewServeMux()
		var goodTitle atomic.Value // the good feed's <title>, as XML text
		goodTitle.Store("Radio Okapi (test)")
		mux.HandleFunc("/good", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `<rss><channel><title>`+goodTitle.Load().(string)+`</title>
<item><title>Le marché de Bunia rouvre lundi</title><guid>g1</guid></item>
<item><title>Road to Goma reopened after the rains</title><guid>g2</guid></item>
</channel></rss>`)
		})
		mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "<rss>\n<channel>\n<item><title>x</title>\n</channel></rss>")
		})
		mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "<rss><channel>")
			w.(http.Flusher).Flush()
			<-r.Context().Done() // never finishes: the poll must time out
		})
		srv := httptest.NewServer(mux)
		defer srv.Close()
		for _, tc := range []struct {
			f     integrity.Feed
			field string
		}{
			{integrity.Feed{URL: "ftp://example.org/feed"}, "url"},
			{integrity.Feed{URL: "http://169.254.169.254/latest/meta-data/"}, "url"},
			{integrity.Feed{URL: srv.URL + "/good", EveryMinutes: 2}, "every_minutes"},
			{integrity.Feed{URL: srv.URL + "/good", Source: "a\nb"}, "source"},
		} {
			var ae *apperr.Error
			if _, err := s.SaveFeed(ctx, "alice", tc.f); !errors.As(err, &ae) || ae.Field != tc.field {
				t.Errorf("%+v: %v, want an error on %s", tc.f, err, tc.field)
			}
		}
		ids := map[string]int64{}
		for _, name := range []string{"good", "broken", "hang"} {
			f, err := s.SaveFeed(ctx, "alice", integrity.Feed{URL: srv.URL + "/" + name})
			if err != nil || f.EveryMinutes != integrity.DefaultFeedMinutes || f.CreatedBy != "alice" || f.LastPolled != nil || f.Title != "" {
				t.Fatalf("save %s: %+v %v", name, f, err)
			}
			ids[name] = f.ID
		}
		if _, err := s.SaveFeed(ctx, "alice", integrity.Feed{URL: srv.URL + "/good"}); !errors.Is(err, apperr.ErrConflict) {
			t.Errorf("the same feed twice: %v", err)
		}
		polled, failed, err := s.PollDue(ctx)
		if err != nil || polled != 3 || failed != 2 {
			t.Fatalf("first round: %d polled, %d failed, %v", polled, failed, err)
		}
		byID := func() map[int64]integrity.Feed {
			fs, err := s.Feeds(ctx)
			if err != nil {
				t.Fatal(err)
			}
			m := map[int64]integrity.Feed{}
			for _, f := range fs {
				m[f.ID] = f
			}
			return m
		}
		fs := byID()
		if g := fs[ids["good"]]; g.LastAdded != 2 || g.LastOK == nil || g.LastError != "" || g.Title != "Radio Okapi (test)" {
			t.Errorf("good feed %+v", g)
		}
		if b := fs[ids["broken"]]; !strings.Contains(b.LastError, "/broken:4: not an RSS or Atom feed") || b.LastOK != nil || b.LastPolled == nil || b.Title != "" {
			t.Errorf("broken feed: the error must name its line: %+v", b)
		}
		if h := fs[ids["hang"]]; !strings.Contains(h.LastError, "timed out") {
			t.Errorf("hanging feed: %+v", h)
		}
		if its, _ := s.Items(ctx, integrity.ItemFilter{}); len(its) != 2 {
			t.Errorf("%d items: the failed feeds must write nothing", len(its))
		}
		if polled, _, _ := s.PollDue(ctx); polled != 0 {
			t.Errorf("%d polled again before their interval", polled)
		}
		now = now.Add(time.Hour)
		if polled, _, _ := s.PollDue(ctx); polled != 3 {
			t.Errorf("%d polled an hour later, want 3", polled)
		}
		// The title the newest poll that worked read: kept when a poll
		// fails, replaced by the next one that works (markup is text).
		for _, st := range []struct {
			poll        func() error
			title, fail string
		}{
			{func() error { return db.RecordFeedPoll(ctx, ids["good"], now, "", 0, "feed: HTTP 503") }, "Radio Okapi (test)", "feed: HTTP 503"},
			{func() error {
				goodTitle.Store("Radio Okapi &lt;b&gt;2&lt;/b&gt;")
				_, err := s.PollFeedNow(ctx, "alice", ids["good"])
				return err
			}, "Radio Okapi <b>2</b>", ""},
		} {
			if err := st.poll(); err != nil {
				t.Fatal(err)
			}
			if f, err := db.Feed(ctx, ids["good"]); err != nil || f.Title != st.title || f.LastError != st.fail {
				t.Errorf("good feed after a poll: title %q, error %q (%v); want %q, %q", f.Title, f.LastError, err, st.title, st.fail)
			}
		}
		if f, err := s.PollFeedNow(ctx, "alice", ids["good"]); err != nil || f.LastAdded != 0 || f.LastError != "" || !f.LastPolled.Equal(now) || f.Title != "Radio Okapi <b>2</b>" {
			t.Errorf("poll now of the good feed: %+v %v", f, err)
		}
		if err := s.DeleteFeed(ctx, "alice", ids["hang"]); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteFeed(ctx, "alice", ids["hang"]); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("delete twice: %v", err)
		}
		if len(byID()) != 2 || len(auditActions(t, db, "integrity.feed.add")) != 3 || len(auditActions(t, db, "integrity.feed.delete")) != 1 {
			t.Error("feeds not deleted or not audited")
		}
	})

	t.Run("where it matters", func(t *testing.T) {
		db := open(t)
		s := integrityService(t, db)
		if _, err := s.SaveTerm(ctx, "alice", integrity.Term{Term: "cafard", Language: "fr", Meaning: "cockroach", Group: "ethnic group", Severity: 3}); err != nil {
			t.Fatal(err)
		}
		type spot struct {
			name     string
			lat, lon float64
		}
		bunia, goma, kin := spot{"Bunia", 1.5667, 30.25}, spot{"Goma", -1.6792, 29.2228}, spot{"Kinshasa", -4.3217, 15.3125}
		var items []*integrity.Item
		add := func(at spot, d int, text string) {
			lat, lon := at.lat, at.lon
			items = append(items, &integrity.Item{Source: "s", SourceID: fmt.Sprint(len(items)), Via: integrity.ViaImport, Text: text, Time: day(d),
				Place: at.name, Lat: &lat, Lon: &lon})
		}
		for _, at := range []spot{bunia, goma, kin} {
			add(at, 10, "Les prix du marché de "+at.name+" sont stables cette semaine") // before the window's last two weeks
			for d := 28; d <= 30; d++ {
				add(at, d, fmt.Sprintf("Ce cafard doit partir de %s avant le jour %d, chassez-les", at.name, d))
			}
		}
		add(goma, 20, "Le cafard de Goma") // in the 7 days before: Goma's group count 3 recent vs 1 before, still rising
		items = append(items, &integrity.Item{Source: "s", SourceID: "noplace", Via: integrity.ViaImport, Text: "Rumeur sans lieu", Time: day(29)})
		testutil.AddItems(t, s, "alice", items...)
		gid := func(at spot) int { g, _ := grid.PrioGID(at.lat, at.lon); return g }
		cells := cellSource{cells: []coverage.CellMonth{
			{Cell: gid(bunia), Country: "DR Congo (Zaire)", Risk: 0.4, Covered: false},
			{Cell: gid(goma), Country: "DR Congo (Zaire)", Risk: 0.6, Covered: true, Personnel: 800},
			{Cell: gid(kin), Country: "DR Congo (Zaire)", Risk: 0.01, Covered: false},
		}}
		rep, err := s.Where(ctx, integrity.WhereQuery{}, cells)
		if err != nil {
			t.Fatal(err)
		}
		if rep.To != "2026-03-30" || rep.From != "2026-03-01" || rep.Month != "2026-03" || !rep.RiskIsForecast || rep.AtRiskFrom != integrity.AtRiskProb || rep.Unplaced != 1 {
			t.Errorf("report %+v", rep)
		}
		if len(rep.Cells) != 3 || rep.Cells[0].Cell != gid(bunia) || !rep.Cells[0].Alert {
			t.Fatalf("cells %+v: want Bunia first, alerting", rep.Cells)
		}
		for _, c := range rep.Cells {
			g := c.Groups
			if c.Items != 4+btoi(c.Cell == gid(goma)) || len(g) != 1 || g[0].Value != "ethnic group" || !g[0].Rising || g[0].Recent != 3 || len(c.Rising) != 1 {
				t.Errorf("cell %d: %+v", c.Cell, c)
			}
			// Goma is covered, Kinshasa is not at risk: neither alerts.
			if c.Cell != gid(bunia) && c.Alert {
				t.Errorf("cell %d alerts: %+v", c.Cell, c)
			}
		}
		if len(rep.Areas) != 1 || rep.Areas[0].AlertCells != 1 || rep.Areas[0].Items != 13 {
			t.Errorf("areas %+v", rep.Areas)
		}
		// The map's filters: a country the cells are not in, a window
		// before the burst, a reversed window.
		if rep, _ := s.Where(ctx, integrity.WhereQuery{Countries: southOf(0)}, cells); len(rep.Cells) != 2 {
			t.Errorf("country filter: %d cells, want Goma's and Kinshasa's", len(rep.Cells))
		}
		if rep, _ := s.Where(ctx, integrity.WhereQuery{From: day(1), To: day(15)}, cells); len(rep.Cells) != 3 || rep.Cells[0].Alert || rep.Cells[0].Items != 1 {
			t.Errorf("dates filter: %+v", rep.Cells)
		}
		var ae *apperr.Error
		if _, err := s.Where(ctx, integrity.WhereQuery{From: day(20), To: day(10)}, cells); !errors.As(err, &ae) || ae.Field != "from" {
			t.Errorf("reversed window: %v", err)
		}
		// The weekly brief of the week ending on the 30th (items of the
		// 24th to the 30th: the nine bursts and the unplaced rumour).
		bl := broadcasts{{ID: 1, Audience: contacts.Audience{Group: "leaders"}, Created: day(29), Reach: contacts.Reach{Queued: 40, Sent: 38}},
			{ID: 2, Audience: contacts.Audience{NearPlace: "Goma", RadiusKM: 10}, Created: day(3), Reach: contacts.Reach{Sent: 500}}}
		b, err := s.WeeklyBrief(ctx, day(30), bl)
		if err != nil {
			t.Fatal(err)
		}
		sum := 0
		for _, n := range b.Narratives {
			sum += n.Items
		}
		var areas []string
		for _, a := range b.ByArea {
			areas = append(areas, fmt.Sprintf("%s:%d", a.Value, a.Items))
		}
		if b.From != "2026-03-24" || b.To != "2026-03-30" || b.Items != 10 || sum != 10 || len(b.Groups) != 1 || b.Groups[0] != (integrity.Count{Value: "ethnic group", N: 9}) ||
			strings.Join(areas, " ") != "Bunia:3 Goma:3 Kinshasa:3 :1" || len(b.ByLanguage) == 0 || b.ByLanguage[0].Value != "fr" {
			t.Errorf("brief %+v (areas %v)", b, areas)
		}
		if len(b.Broadcasts) != 1 || b.Broadcasts[0].Sent != 38 || b.ResponseReach != 38 || len(b.FactChecks) != 0 {
			t.Errorf("responses %+v %+v reach %d", b.Broadcasts, b.FactChecks, b.ResponseReach)
		}
		if b, err := s.WeeklyBrief(ctx, day(9), nil); err != nil || b.Items != 0 || len(b.Narratives) != 0 {
			t.Errorf("an empty week: %+v %v", b, err)
		}
		if _, err := s.WeeklyBrief(ctx, day(30).AddDate(1, 0, 0), nil); !errors.As(err, &ae) || ae.Field != "end" {
			t.Errorf("a week in the future: %v", err)
		}
		// Without risk and coverage, items are still placed, and said so.
		if rep, _ := s.Where(ctx, integrity.WhereQuery{}, nil); len(rep.Cells) != 3 || rep.CoverageNote == "" || rep.Cells[0].Covered != nil || rep.Cells[0].Alert {
			t.Errorf("no coverage: %+v", rep)
		}
	})

	t.Run("lexicon and spikes", func(t *testing.T) {
		db := open(t)
		s := integrityService(t, db)
		n, err := s.ImportTerms(ctx, "alice", []lexicon.Entry{
			{Term: "cafard", Variants: []string{"kafard"}, Language: "fr", Meaning: "cockroach: dehumanising word for a community", Group: "ethnic group", Severity: 3},
			{Term: "outsiders", Language: "en", Meaning: "used to call for expulsion", Group: "displaced people", Severity: 2},
		}, "test")
		if err != nil || n != 2 {
			t.Fatal(n, err)
		}
		if _, err := s.ImportTerms(ctx, "alice", []lexicon.Entry{{Term: "ok"}, {Term: "bad", Severity: 7}}, "test"); err == nil || !strings.Contains(err.Error(), "entry 2") {
			t.Errorf("bad import: %v", err)
		}
		ts, _ := s.Terms(ctx)
		if len(ts) != 2 {
			t.Fatalf("a failed import must write nothing: %d terms", len(ts))
		}
		edited := ts[0]
		edited.Meaning = "cockroach: a dehumanising insult"
		if _, err := s.SaveTerm(ctx, "alice", edited); err != nil {
			t.Fatal(err)
		}
		dupe := ts[1]
		dupe.Term, dupe.Language = ts[0].Term, ts[0].Language
		if _, err := s.SaveTerm(ctx, "alice", dupe); err == nil {
			t.Error("renaming a term onto another must fail")
		}
		// A burst of items on the last day: quiet for 20 days, then 12.
		var items []*integrity.Item
		for d := 1; d <= 20; d++ {
			items = append(items, &integrity.Item{Source: "s", SourceID: fmt.Sprint("q", d), Via: integrity.ViaImport,
				Text: fmt.Sprintf("Market prices report number %d for the week, maize and beans stable", d*7919), Time: day(d)})
		}
		for i := 0; i < 12; i++ {
			items = append(items, &integrity.Item{Source: "s", SourceID: fmt.Sprint("b", i), Via: integrity.ViaImport,
				Text: "Ce KAFARD doit partir de Bunia avant dimanche, chassez-le", Time: day(25), Place: "Bunia"})
		}
		testutil.AddItems(t, s, "alice", items...)
		got, _ := s.Item(ctx, items[len(items)-1].ID)
		if len(got.Matches) != 1 || got.Matches[0].Term != "cafard" || !strings.Contains(got.Matches[0].Explain, "dehumanising insult") {
			t.Fatalf("matches %+v", got.Matches)
		}
		flags, err := s.Spikes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var byNarr, byTerm, byPlace bool
		for _, f := range flags {
			byNarr = byNarr || (f.By == "narrative" && f.Day == "2026-03-25" && f.Count == 12)
			byTerm = byTerm || (f.By == "term" && f.Key == "cafard" && f.Count == 12)
			byPlace = byPlace || (f.By == "place" && f.Key == "Bunia" && f.Count == 12)
			if f.By == "narrative" && f.Count < 5 {
				t.Errorf("quiet series flagged: %+v", f)
			}
		}
		if !byNarr || !byTerm || !byPlace || len(flags) != 3 {
			t.Errorf("spikes %+v: want the burst flagged by narrative, by term and by place, and nothing else", flags)
		}
		// The analysts on duty are told once per flag, even by a second
		// server process (the notices are stored).
		var sent []string
		send := func(_ context.Context, f integrity.SpikeFlag, label string) {
			sent = append(sent, f.By+":"+label)
		}
		for _, f := range flags {
			if id, _ := strconv.ParseInt(f.Key, 10, 64); f.By == "narrative" {
				if err := s.RenameNarrative(ctx, "alice", id, "Expel the cafards"); err != nil {
					t.Fatal(err)
				}
			}
		}
		if n, err := s.NotifySpikes(ctx, db, send); err != nil || n != 3 {
			t.Fatalf("notify: %d %v (sent %v)", n, err, sent)
		}
		if n, err := integrityService(t, db).NotifySpikes(ctx, db, send); err != nil || n != 0 {
			t.Errorf("notified again: %d %v", n, err)
		}
		if sort.Strings(sent); strings.Join(sent, "|") != "narrative:Expel the cafards|place:Bunia|term:cafard" {
			t.Errorf("sent %v", sent)
		}
		if len(auditActions(t, db, "integrity.spike.notify")) != 3 {
			t.Error("each notice is audited")
		}
		ns, _ := s.Narratives(ctx)
		if len(ns) != 2 || ns[0].Items != 20 || ns[0].Spike != nil {
			t.Fatalf("narratives %+v", ns)
		}
		if b := ns[1]; b.Items != 12 || b.Spike == nil || len(b.Groups) != 1 || b.Groups[0].Value != "ethnic group" {
			t.Errorf("burst narrative %+v", b)
		}
		if err := s.DeleteTerm(ctx, "alice", ts[1].ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteTerm(ctx, "alice", ts[1].ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("delete twice: %v", err)
		}
		if n, err := s.LoadStarter(ctx, "alice"); err != nil || n < 100 {
			t.Errorf("starter lexicon: %d %v", n, err)
		}
	})
}

// cellSource is a fixed month of risk and coverage.
type cellSource struct{ cells []coverage.CellMonth }

func (c cellSource) CellMonths(_ context.Context, mo grid.Month) ([]coverage.CellMonth, grid.Month, coverage.RiskInfo, error) {
	of := forecast.MonthRisk{Month: mo, Run: 1, Model: "test", Horizon: 1}
	return c.cells, mo, coverage.RiskInfo{Definition: of.Definition(), Forecast: &of}, nil
}

// broadcasts is a fixed list of broadcasts.
type broadcasts []contacts.Broadcast

func (b broadcasts) ListBroadcasts(context.Context, int) ([]contacts.Broadcast, error) { return b, nil }

// southOf is a country filter choosing what lies south of a latitude.
type southOf float64

func (s southOf) Name(...string) bool      { return false }
func (s southOf) At(lat, lon float64) bool { return lat < float64(s) }

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// testIntegrityIntake: the audit entry of every way items come in says
// where they came from besides the counts (a file's name without its
// folders, a feed by its number and host, a manual entry, a tipline's
// channel) and names no author, number, item text, URL path or query.
func testIntegrityIntake(t *testing.T, ctx context.Context, db *storage.DB) {
	s := integrityService(t, db)
	s.FeedHTTP = integrity.FeedClient(5 * time.Second)
	rss := `<rss><channel><title>Tweets by @feed_account</title>
<item><title>Le pont de Rutshuru est fermé depuis ce matin</title><guid>f1</guid><author>feed_author@example.org</author></item>
<item><title>Road to Goma reopened after the rains</title><guid>f2</guid></item>
</channel></rss>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, rss)
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	feed, err := s.SaveFeed(ctx, "alice", integrity.Feed{URL: srv.URL + "/user/feed_account?key=s3cret-gw-key"})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 30, 8, 0, 0, 0, time.UTC)
	private := []string{"@", "+243", "Rutshuru", "Goma", "Bunia", "Djugu", "feed_account", "s3cret-gw", "exports", "amina", "/user"}
	for _, c := range []struct {
		name, action, want string
		do                 func() error
	}{
		{"an import", "integrity.items.import", "2 items: 2 new, 0 updated, 1 new narratives; from file djugu-2026-03.csv", func() error {
			csv := "id,source,text,author,time\n1,facebook,Armed men seen near the market of Bunia,@amina_k,2026-03-29T10:00:00Z\n" +
				"2,facebook,RT Armed men seen near the market of Bunia,+243810000001,2026-03-29T11:00:00Z\n"
			_, err := s.Import(ctx, "alice", strings.NewReader(csv), `C:\exports\djugu/djugu-2026-03.csv`, integrity.ImportOptions{})
			return err
		}},
		{"the same import again", "integrity.items.import", "2 items: 0 new, 2 updated, 0 new narratives; from file djugu-2026-03.csv", func() error {
			csv := "id,source,text,time\n1,facebook,Armed men seen near the market of Bunia,2026-03-29T10:00:00Z\n2,facebook,RT Armed men seen near the market of Bunia,2026-03-29T11:00:00Z\n"
			_, err := s.Import(ctx, "alice", strings.NewReader(csv), "djugu-2026-03.csv", integrity.ImportOptions{})
			return err
		}},
		{"a listed feed polled", "integrity.feed.poll", "2 items: 2 new, 0 updated, 2 new narratives; from feed " + strconv.FormatInt(feed.ID, 10) + " at " + host, func() error {
			f, err := s.PollFeedNow(ctx, "alice", feed.ID)
			if err == nil && f.LastError != "" {
				return errors.New(f.LastError)
			}
			return err
		}},
		{"a feed polled by its URL", "integrity.feed.poll", "2 items: 0 new, 2 updated, 0 new narratives; from a feed at " + host, func() error {
			_, err := s.PollFeed(ctx, "cli:alice", nil, srv.URL+"/user/feed_account?key=s3cret-gw-key", "")
			return err
		}},
		{"a manual entry", "integrity.item.add", "1 items: 1 new, 0 updated, 1 new narratives; manual entry", func() error {
			_, err := s.AddInput(ctx, "alice", integrity.ItemInput{Text: "The Djugu bridge was blown up last night", Source: "WhatsApp group of @amina_k",
				Author: "+243810000002", Place: "Djugu"})
			return err
		}},
		{"a tipline message", "integrity.item.add", "1 items: 1 new, 0 updated, 1 new narratives; from tipline channel Ituri SMS line", func() error {
			_, err := s.FromTipline(ctx, "Ituri SMS line", 7, "Soldiers at the Bunia market are taking phones, call +243810000003", at)
			return err
		}},
	} {
		if err := c.do(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		recs, err := db.AuditLog(ctx, audit.Filter{Action: c.action, Limit: 1})
		if err != nil || len(recs) != 1 {
			t.Fatalf("%s: %d audit records of %s (%v)", c.name, len(recs), c.action, err)
		}
		got := recs[0].Detail
		if got != c.want {
			t.Errorf("%s: audit detail %q, want %q", c.name, got, c.want)
		}
		for _, p := range private {
			if strings.Contains(strings.TrimSuffix(got, "Ituri SMS line"), p) {
				t.Errorf("%s: audit detail %q names %q", c.name, got, p)
			}
		}
	}
}

// testIntegritySearch: the items' text search (GET /api/v1/integrity/items?q=)
// ignores case in every script, on both dialects: a French query finds an
// item written in capitals with accents, and the reverse.
func testIntegritySearch(t *testing.T, ctx context.Context, db *storage.DB) {
	s := integrityService(t, db)
	at := time.Date(2026, 3, 30, 8, 0, 0, 0, time.UTC)
	testutil.AddItems(t, s, "alice",
		&integrity.Item{Source: "radio", SourceID: "1", Via: integrity.ViaImport, Text: "ÉLECTIONS À BUNIA : LE COMITÉ DE PAIX SE RÉUNIT JEUDI", Time: at},
		&integrity.Item{Source: "radio", SourceID: "2", Via: integrity.ViaImport, Text: "les élections à Bunia sont reportées d'une semaine", Time: at.Add(time.Hour)},
		&integrity.Item{Source: "radio", SourceID: "3", Via: integrity.ViaImport, Text: "Marché de Djugu : les prix du sel montent", Time: at.Add(2 * time.Hour)},
	)
	for _, c := range []struct {
		q    string
		want int
	}{
		{"comité de paix", 1},
		{"Comité De Paix", 1},
		{"élections à bunia", 2},
		{"ÉLECTIONS", 2},
		{"MARCHÉ", 1},
		{"semaine", 1},
	} {
		list, err := s.Items(ctx, integrity.ItemFilter{Query: c.q, Limit: 50})
		if err != nil || len(list) != c.want {
			t.Errorf("search %q: %d items (%v), want %d", c.q, len(list), err, c.want)
		}
	}
}
