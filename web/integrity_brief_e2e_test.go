package web_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/testutil"
)

// TestE2EIntegrityBriefNames: the weekly brief and the map name what they
// count in the page's language, never with codes or placeholders: each
// broadcast of the week by its audience as the contacts page names it (a
// group, a radius around a place, everyone in an admin area, everyone in
// grid cells: no "within NaN km of undefined"), a first-level area with
// its country's name ("Ituri, DR Congo", not "Ituri, COD"), and the map's
// circle for that area likewise; in English and French.
func TestE2EIntegrityBriefNames(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	s, db := alertsContactsServer(t) // broadcasts_e2e_test.go
	al, cs := s.Alerts, s.Contacts
	cs.Places = testutil.Places{G: testutil.Gazetteer(t, "name,lat,lon,admin1_name,kind,population\n"+
		"Bunia,1.566,30.252,Ituri,town,900000\nIturi,1.5,29.5,Ituri,admin1,0\n")}
	integ := integrity.NewService(db, al.Keys)
	setGazetteer(t, integ, "Bunia,1.5667,30.25,COD,Ituri,town\n")
	s.Integrity = integ
	srv := serveE2E(t, s, "analyst.e2e", auth.Analyst)

	day := time.Now().UTC().AddDate(0, 0, -1)
	testutil.AddItems(t, integ, "test",
		&integrity.Item{Source: "s", SourceID: "b1", Via: integrity.ViaImport, Lang: "fr", Place: "Bunia", Text: "Réunion des chefs de quartier à Bunia demain", Time: day},
		&integrity.Item{Source: "s", SourceID: "b2", Via: integrity.ViaImport, Lang: "fr", Place: "Bunia", Text: "Le marché de Bunia rouvre lundi", Time: day})
	ch, err := al.NewChannel(ctx0, "test", alerts.SMSSync, "Bunia phone", "s-secret", "")
	if err != nil {
		t.Fatal(err)
	}
	fp := func(f float64) *float64 { return &f }
	if _, err := cs.Import(ctx0, "test", []contacts.Row{
		{Where: "c.csv:2", Input: contacts.Input{Phone: "+243830000001", Language: "fr", Groups: []string{"can"}, Lat: fp(1.56), Lon: fp(30.25), ConsentHow: "verbal"}},
		{Where: "c.csv:3", Input: contacts.Input{Phone: "+243830000002", Language: "en", Groups: []string{"can"}, Lat: fp(1.60), Lon: fp(30.30), ConsentHow: "verbal"}},
	}); err != nil {
		t.Fatal(err)
	}
	cell, _ := grid.PrioGID(1.56, 30.25)
	for _, a := range []contacts.Audience{{Group: "can"}, {NearPlace: "Bunia", RadiusKM: 20}, {AdminArea: "Ituri"}, {Cells: []int{cell}}} {
		if _, err := cs.Send(ctx0, "test", contacts.BroadcastRequest{ChannelID: ch.ID, Audience: a, Messages: map[string]string{"fr": "Réunion demain", "en": "Meeting tomorrow"}}); err != nil {
			t.Fatalf("broadcast to %+v: %v", a, err)
		}
	}

	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	const audiences = `[...document.querySelectorAll('#integrity-brief-broadcasts tbody th')].map((th) => th.textContent).sort().join(' | ')`
	const areas = `[...document.querySelectorAll('#integrity-brief-admin1 tbody th')].map((th) => th.textContent).join(' | ')`
	// The week ends today (the broadcasts' day). The map's admin-1 circle says its tooltip when hovered.
	const circle = `(() => { const p = document.querySelector('path.integrity-admin1'); if (!p) return ''; p.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
  return [...document.querySelectorAll('.leaflet-tooltip')].map((x) => x.textContent).join(' | '); })()`
	for _, c := range []struct {
		lang, audiences, area, circle string
	}{
		{"en", "20 km around Bunia | Everyone in 1 grid cell around Bunia | Everyone in Ituri | Group can", "Ituri, DR Congo", "Ituri (DR Congo): "},
		{"fr", "20 km autour de Bunia | Groupe can | Tout le monde dans 1 cellule de la grille autour de Bunia | Tout le monde dans la zone Ituri", "Ituri, RD Congo", "Ituri (RD Congo)\u00a0: "},
	} {
		if err := openIn(ctx, srv.URL+"/#/integrity?tab=brief&end="+time.Now().UTC().Format(time.DateOnly), c.lang); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.documentElement.lang === '`+c.lang+`' && document.querySelectorAll('#integrity-brief-broadcasts tbody tr').length === 4 && !!document.querySelector('#integrity-brief-admin1 tbody th')`, stepWait); err != nil {
			body, _ := js[string](ctx, `document.querySelector('main')?.innerText || ''`)
			t.Fatalf("%s brief: %v\n%.2000s", c.lang, err, body)
		}
		if got, err := js[string](ctx, audiences); err != nil || got != c.audiences {
			t.Errorf("%s: the week's broadcasts are named %q (%v), want %q", c.lang, got, err, c.audiences)
		}
		if got, err := js[string](ctx, areas); err != nil || got != c.area {
			t.Errorf("%s: the first-level areas are named %q (%v), want %q", c.lang, got, err, c.area)
		}
		if err := do(ctx, navigate(srv.URL+"/#/map?layers=integrity")); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, circle+`.startsWith(`+strconv.Quote(c.circle)+`)`, stepWait); err != nil {
			got, _ := js[string](ctx, circle)
			t.Errorf("%s: the map's area circle says %q, want it to start with %q (%v)", c.lang, got, c.circle, err)
		}
	}
}

// TestE2EIntegrityItemMeta: an item's line names its place and reach with
// the label and colon of the page's language ("Place: Bunia", "Lieu :
// Bunia"; French sets a space before the colon).
func TestE2EIntegrityItemMeta(t *testing.T) {
	t.Parallel()
	_, svc, srv := integrityE2EServer(t) // integrity_e2e_test.go
	setGazetteer(t, svc, "Bunia,1.5667,30.25,COD,Ituri,town\n")
	testutil.AddItems(t, svc, "test", &integrity.Item{Source: "s", SourceID: "m1", Via: integrity.ViaImport, Lang: "fr", Place: "Bunia",
		Text: "Le marché de Bunia rouvre lundi", Time: time.Now().UTC().AddDate(0, 0, -1), Engagement: integrity.Engagement{Shares: 3, Views: 40}})
	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	const meta = `(document.querySelector('#integrity-items .integrity-item-head .muted')?.textContent || '')`
	for _, c := range []struct{ lang, place, reach string }{
		{"en", "Place: Bunia (", "Reach: 43"},
		{"fr", "Lieu\u00a0: Bunia (", "Portée\u00a0: 43"},
	} {
		if err := openIn(ctx, srv.URL+"/#/integrity?tab=items", c.lang); err != nil {
			t.Fatal(err)
		}
		want := `document.documentElement.lang === '` + c.lang + `' && ` + meta + `.includes(` + strconv.Quote(c.place) + `) && ` + meta + `.endsWith(` + strconv.Quote(c.reach) + `)`
		if err := poll(ctx, want, stepWait); err != nil {
			got, _ := js[string](ctx, meta)
			t.Errorf("%s: item line %q, want %q and %q in it (%v)", c.lang, got, c.place, c.reach, err)
		}
	}
}

// TestE2EIntegrityMapText: the map's integrity layer puts a cell's place
// names and a first-level area's name in its tooltips as text: a place
// given by an export or an area named by a gazetteer that holds markup
// shows the markup, and no element is made of it.
func TestE2EIntegrityMapText(t *testing.T) {
	t.Parallel()
	_, svc, srv := integrityE2EServer(t) // integrity_e2e_test.go
	setGazetteer(t, svc, "Goma,-1.6792,29.2228,COD,<i>Nord-Kivu</i>,town\n")
	day := time.Now().UTC().AddDate(0, 0, -1)
	lat, lon := 0.5157, 25.191
	testutil.AddItems(t, svc, "test",
		&integrity.Item{Source: "s", SourceID: "x1", Via: integrity.ViaImport, Lang: "fr", Place: `<img src=x class=pwn>Kisangani`, Lat: &lat, Lon: &lon, Text: "Rumeur au marché", Time: day},
		&integrity.Item{Source: "s", SourceID: "x2", Via: integrity.ViaImport, Lang: "fr", Place: "Goma", Text: "Réunion au quartier", Time: day})
	ctx, _ := loggedInBrowserAt(t, srv, 1280, 900, "/#/map?layers=integrity", "en")
	// Every cell and circle hovered: their tooltips' text, and any element inside them.
	const tips = `(() => { for (const p of document.querySelectorAll('path.integrity-cell, path.integrity-admin1')) p.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
  const ts = [...document.querySelectorAll('.leaflet-tooltip')];
  return ts.map((x) => x.textContent).sort().join(' | ') + ' || ' + ts.flatMap((x) => [...x.querySelectorAll('img, i')]).length; })()`
	if err := poll(ctx, `document.querySelectorAll('path.integrity-cell').length === 2 && document.querySelectorAll('path.integrity-admin1').length === 1`, stepWait); err != nil {
		n, _ := js[string](ctx, `document.querySelectorAll('path.integrity-cell').length + ' cells, ' + document.querySelectorAll('path.integrity-admin1').length + ' circles'`)
		t.Fatalf("integrity layer: %v (%s)", err, n)
	}
	got, err := js[string](ctx, tips)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<img src=x class=pwn>Kisangani · 1 item", "<i>Nord-Kivu</i> (DR Congo): ", "|| 0"} {
		if !strings.Contains(got, want) {
			t.Errorf("tooltips %q: want %q in them (markup as text, no element made of it)", got, want)
		}
	}
}

// TestE2EIntegrityBriefEmpty: a week with no item gives a brief whose
// sections say "None this week." instead of tables with headers and no
// rows.
func TestE2EIntegrityBriefEmpty(t *testing.T) {
	t.Parallel()
	_, _, srv := integrityE2EServer(t) // integrity_e2e_test.go
	ctx, _ := loggedInBrowserAt(t, srv, 1280, 900, "/#/integrity?tab=brief", "")
	const ready = `!!document.querySelector('#integrity-brief-summary')`
	if err := poll(ctx, ready, stepWait); err != nil {
		t.Fatalf("no brief: %v", err)
	}
	got, err := js[string](ctx, `[...document.querySelectorAll('#integrity-brief-lang, #integrity-brief-area, #integrity-brief-admin1')].map((e) => e.tagName + ' ' + e.textContent).join(' | ') + ' || ' + [...document.querySelectorAll('#integrity-brief tbody')].filter((b) => !b.rows.length).length + ' empty tables'`)
	if err != nil {
		t.Fatal(err)
	}
	if want := "P None this week. | P None this week. | P None this week. || 0 empty tables"; got != want {
		t.Errorf("empty brief: %q, want %q", got, want)
	}
}

// TestE2EVerifyFollowsLink: the Verify page open on one narrative follows a
// link to another (pasted, or typed in the address bar): the router keeps
// the page across its own ?queries, and the page redraws for the new one.
func TestE2EVerifyFollowsLink(t *testing.T) {
	t.Parallel()
	_, svc, srv := integrityE2EServer(t) // integrity_e2e_test.go
	day := time.Now().UTC().AddDate(0, 0, -1)
	testutil.AddItems(t, svc, "test",
		&integrity.Item{Source: "s", SourceID: "a", Via: integrity.ViaImport, Lang: "fr", Text: "On dit que le pont de Rutshuru sera détruit ce soir", Time: day},
		&integrity.Item{Source: "s", SourceID: "b", Via: integrity.ViaImport, Lang: "fr", Text: "Les casques bleus distribuent de l'eau au marché de Goma demain", Time: day})
	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	ids, err := run(ctx, chromedp.Evaluate[[]int](`(async () => (await (await fetch('/api/v1/integrity/narratives')).json()).narratives.map((n) => n.id))()`, chromedp.EvalAwaitPromise))
	if err == nil && len(ids) != 2 {
		err = errors.New(strconv.Itoa(len(ids)) + " narratives")
	}
	if err != nil {
		t.Fatal(err)
	}
	shows := func(id int) string {
		return `document.querySelector('#verify-narrative')?.value === '` + strconv.Itoa(id) + `' && document.querySelector('#verify-state') !== null`
	}
	if err := do(ctx, navigate(srv.URL+"/#/verify?narrative="+strconv.Itoa(ids[0]))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, shows(ids[0]), stepWait); err != nil {
		t.Fatalf("narrative %d not shown: %v", ids[0], err)
	}
	if _, err := js[bool](ctx, `(location.hash = '#/verify?narrative=`+strconv.Itoa(ids[1])+`', true)`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, shows(ids[1]), stepWait); err != nil {
		got, _ := js[string](ctx, `document.querySelector('#verify-narrative')?.value || ''`)
		t.Errorf("after a link to narrative %d the page shows %q: %v", ids[1], got, err)
	}
}
