package web_test

// A French walk of the Administration page (walk 25, second part): the
// audit log's objects in words, its action filter a choice, and the tab
// bar on a phone.

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	keys "github.com/chromedp/chromedp/kb"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/grid"
)

// TestE2EAuditSubjectWords: the audit log's « Objet » column says what
// each object is, in words and by name in the page's language — a channel
// by its name, a user by name, a cell by the place nearest it and its
// month, an incident by its place and first day, a narrative by name, a
// contact by number only (its name is sealed) — never a raw "kind:id"; the
// raw id stays in the cell's title for investigators.
func TestE2EAuditSubjectWords(t *testing.T) {
	t.Parallel()
	srv := startFullServer(t)
	ctx0 := context.Background()
	ch, err := srv.Server.Alerts.NewChannel(ctx0, "test", alerts.SMSSync, "DEMO-SMS-1", "walk25-channel-secret-2026", "")
	if err != nil {
		t.Fatal(err)
	}
	bunia, err := grid.Regular{Size: 0.5}.Cell(1.5595, 30.2522)
	if err != nil {
		t.Fatal(err)
	}
	cell := fmt.Sprintf("cell:%d:2010-10", bunia)
	// An incident and a narrative the store names (by place and day, by name).
	for _, q := range []string{
		`INSERT INTO alert_incidents (id, status, title, loc_status, loc_place, first_at, last_at, updated_at)
			VALUES (3, 'new', 'Marché brûlé', 'matched', 'Bunia', '2010-10-05T08:00:00Z', '2010-10-05T08:00:00Z', '2010-10-05T08:00:00Z')`,
		`INSERT INTO integrity_narratives (id, name, created) VALUES (7, 'Vaccins et stérilité', '2026-01-01')`,
	} {
		if _, err := srv.DB.Exec(ctx0, srv.DB.SQL, q); err != nil {
			t.Fatal(err)
		}
	}
	channel := fmt.Sprintf("channel:%d", ch.ID)
	for _, o := range []string{channel, "user:alice", cell, "incident:3", "alert:12", "token:9", "form:market_watch", "integrity-narrative:7", "deployments", "contact:9"} {
		if err := srv.DB.Record(ctx0, audit.Entry{Actor: "test", Action: "walk25.check", Object: o}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, _ := newBrowser(t, 1280, 900)
	if err := login(ctx, &e2eServer{URL: srv.URL, User: srv.User, Password: srv.Password}); err != nil {
		t.Fatal(err)
	}
	axe := axeCheck(t, ctx)
	// objects answers the walk25 rows' object cells as "text [title]".
	const objects = `[...document.querySelectorAll('#admin-audit tbody tr')].filter((r) => r.cells[2].textContent.includes('walk25.check'))
		.map((r) => r.cells[3].textContent.replace(/[\u00a0\u202f]/g, ' ') + ' [' + r.cells[3].title + ']').join('\n')`
	for _, c := range []struct {
		lang string
		want []string
	}{
		{"en", []string{"channel DEMO-SMS-1 [" + channel + "]", "user alice [user:alice]", "cell near Nizi, Ituri (DR Congo)", "October 2010 [" + cell + "]",
			"incident Bunia, 5 October 2010 [incident:3]", "alert 12 [alert:12]", "API token 9 [token:9]", "survey form market_watch [form:market_watch]",
			"narrative “Vaccins et stérilité” [integrity-narrative:7]", "deployments [deployments]", "contact no. 9 [contact:9]"}},
		{"fr", []string{"canal DEMO-SMS-1 [" + channel + "]", "utilisateur alice [user:alice]", "cellule près de Nizi, Ituri (RD Congo)", "octobre 2010 [" + cell + "]",
			"incident Bunia, 5 octobre 2010 [incident:3]", "alerte 12 [alert:12]", "jeton d’API 9 [token:9]", "formulaire d’enquête market_watch [form:market_watch]",
			"récit « Vaccins et stérilité » [integrity-narrative:7]", "déploiements [deployments]", "contact n° 9 [contact:9]"}},
	} {
		if err := openIn(ctx, srv.URL+"/#/admin?tab=audit", c.lang); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.documentElement.lang === `+mustJSON(c.lang)+` && (`+objects+`).split('\n').length === 10`, stepWait); err != nil {
			t.Fatalf("%s: the audit tab: %v", c.lang, err)
		}
		got, err := js[string](ctx, objects)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: no object %q in the audit table:\n%s", c.lang, w, got)
			}
		}
		axe("audit objects " + c.lang)
		for _, p := range languageProblems(ctx, c.lang) {
			t.Errorf("audit %s: %s", c.lang, p)
		}
	}
}

// TestE2EAuditActionChoice: the audit log's « Action » filter offers the
// actions named in the page's language (a list on the field: no code to
// know by heart), by family (labelled groups of a listbox the arrow keys
// move across, which typing filters); choosing one sends its code and
// lists only its records.
func TestE2EAuditActionChoice(t *testing.T) {
	t.Parallel()
	srv := startFullServer(t)
	ctx0 := context.Background()
	for _, e := range []audit.Entry{
		{Actor: "test", Action: "user.create", Object: "user:amina", Detail: "role analyst"},
		{Actor: "test", Action: "token.create", Object: "token:9", Detail: "for user amina"},
	} {
		if err := srv.DB.Record(ctx0, e); err != nil {
			t.Fatal(err)
		}
	}
	ctx, _ := newBrowser(t, 1280, 900)
	if err := login(ctx, &e2eServer{URL: srv.URL, User: srv.User, Password: srv.Password}); err != nil {
		t.Fatal(err)
	}
	axe := axeCheck(t, ctx)
	for _, c := range []struct{ lang, family, tokenCreate, userCreate string }{
		{"en", "Users and access", "API token created", "User created"},
		{"fr", "Utilisateurs et accès", "Jeton d’API créé", "Utilisateur créé"},
	} {
		if err := openIn(ctx, srv.URL+"/#/admin?tab=audit", c.lang); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.documentElement.lang === `+mustJSON(c.lang)+` && document.querySelectorAll('#admin-audit tbody tr').length > 1`, stepWait); err != nil {
			t.Fatalf("%s: the audit tab: %v", c.lang, err)
		}
		// The field's list: the actions in words by family, labelled groups
		// of a listbox (role=group, aria-labelledby), each option's code as
		// its data; the arrow keys move across the families.
		if err := do(ctx, chromedp.Focus(css(`#admin-audit-action`)), chromedp.KeyEvent(keys.ArrowDown)); err != nil {
			t.Fatal(err)
		}
		got, err := js[string](ctx, `(() => { const i = document.querySelector('#admin-audit-action'), l = document.getElementById(i.getAttribute('aria-controls'));
			if (!l || l.hidden || l.getAttribute('role') !== 'listbox' || i.getAttribute('aria-expanded') !== 'true') return 'no list';
			const groups = [...l.querySelectorAll(':scope > [role=group]')], name = (g) => document.getElementById(g.getAttribute('aria-labelledby'))?.textContent;
			const o = [...l.querySelectorAll('[role=option]')], code = (v) => o.find((x) => x.dataset.code === v)?.firstChild.textContent;
			const active = i.getAttribute('aria-activedescendant') === o[0].id && o[0].getAttribute('aria-selected') === 'true';
			return groups.length + ' ' + active + ' ' + name(groups[0]) + '|' + code('token.create') + '|' + code('user.create'); })()`)
		if want := "true " + c.family + "|" + c.tokenCreate + "|" + c.userCreate; err != nil || !strings.HasSuffix(got, " "+want) || !strings.HasPrefix(got, "8 ") {
			t.Fatalf("%s: the action field's list: %q (%v), want 8 families, the first option active, %q", c.lang, got, err, want)
		}
		// The arrow keys go from the first family's last action to the
		// second family's first.
		n0, err := js[int](ctx, `document.querySelectorAll('#admin-audit-actions > [role=group]:first-child [role=option]').length`)
		if err != nil || n0 == 0 {
			t.Fatalf("%s: the first family's actions: %d %v", c.lang, n0, err)
		}
		for range n0 {
			if err := do(ctx, chromedp.KeyEvent(keys.ArrowDown)); err != nil {
				t.Fatal(err)
			}
		}
		if ok, err := js[bool](ctx, `(() => { const a = document.getElementById(document.querySelector('#admin-audit-action').getAttribute('aria-activedescendant'));
			return a?.closest('[role=group]') === document.querySelectorAll('#admin-audit-actions > [role=group]')[1] && a === a.parentElement.querySelector('[role=option]'); })()`); err != nil || !ok {
			t.Errorf("%s: %d presses of the down arrow: not on the second family's first action (%v)", c.lang, n0, err)
		}
		// Typing filters (a code's prefix, as before); Enter puts the
		// chosen action's code in the field and closes the list.
		if err := do(ctx, chromedp.KeyEvent(keys.Escape)); err != nil {
			t.Fatal(err)
		}
		if closed, err := js[bool](ctx, `(() => { const i = document.querySelector('#admin-audit-action'); const c = i.getAttribute('aria-expanded') === 'false'; i.value = ''; return c; })()`); err != nil || !closed {
			t.Errorf("%s: Escape: the list still open (%v)", c.lang, err)
		}
		if err := do(ctx, chromedp.SendKeys(css(`#admin-audit-action`), "token.")); err != nil {
			t.Fatal(err)
		}
		shown, err := js[string](ctx, `[...document.querySelectorAll('#admin-audit-actions [role=option]')].map((o) => o.dataset.code).join(' ')`)
		if err != nil || !strings.HasPrefix(shown, "token.") || strings.Contains(shown, "user.") {
			t.Errorf("%s: typed « token. »: the list offers %q (%v), want the token actions alone", c.lang, shown, err)
		}
		if err := do(ctx, chromedp.KeyEvent(keys.ArrowDown), chromedp.KeyEvent(keys.Enter)); err != nil {
			t.Fatal(err)
		}
		got, err = js[string](ctx, `(() => { const i = document.querySelector('#admin-audit-action'); return i.value + ' ' + i.getAttribute('aria-expanded'); })()`)
		if err != nil || !strings.HasPrefix(got, "token.") || !strings.HasSuffix(got, " false") {
			t.Errorf("%s: typed « token. », down, Enter: the field holds %q (%v), want a token action's code, the list closed", c.lang, got, err)
		}
		if err := do(ctx, chromedp.SetValue(css(`#admin-audit-action`), "token.create"), click(css(`#admin-audit-form button[type=submit]`))); err != nil {
			t.Fatal(err)
		}
		codes := `[...new Set([...document.querySelectorAll('#admin-audit tbody tr code.audit-code')].map((c) => c.textContent))].join(' ')`
		if err := poll(ctx, `(`+codes+`) === 'token.create'`, stepWait); err != nil {
			got, _ := js[string](ctx, codes)
			t.Errorf("%s: filtered by token.create, the table lists %q", c.lang, got)
		}
		axe("audit action choice " + c.lang)
	}
}

// TestE2EAdminTabsPhone: on a 390 px phone the Administration tab bar is
// one row that scrolls sideways (it wrapped to seven lines), the open tab
// scrolled into view; the page is axe-clean. The bar is navigation: its
// tabs are links whose addresses the history keeps.
func TestE2EAdminTabsPhone(t *testing.T) {
	t.Parallel()
	srv := startFullServer(t)
	ctx, _ := newBrowser(t, 390, 844)
	if err := login(ctx, &e2eServer{URL: srv.URL, User: srv.User, Password: srv.Password}); err != nil {
		t.Fatal(err)
	}
	axe := axeCheck(t, ctx)
	for _, lang := range []string{"fr", "en"} {
		if err := openIn(ctx, srv.URL+"/#/admin?tab=audit", lang); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.documentElement.lang === `+mustJSON(lang)+` && !!document.querySelector('#admin-tab-audit[aria-current=page]')`, stepWait); err != nil {
			t.Fatalf("%s: the audit tab: %v", lang, err)
		}
		// Rows of tabs (distinct tops), and whether the open tab lies
		// inside the bar's visible box.
		got, err := js[string](ctx, `(() => {
			const nav = document.querySelector('#main nav.tabs'), tabs = [...nav.querySelectorAll('.tab')];
			const rows = new Set(tabs.map((a) => Math.round(a.getBoundingClientRect().top))).size;
			const n = nav.getBoundingClientRect(), a = document.querySelector('#admin-tab-audit').getBoundingClientRect();
			const seen = a.left >= n.left - 1 && a.right <= n.right + 1;
			return rows + ' row(s), open tab ' + (seen ? 'seen' : 'hidden') + ', page ' + (document.documentElement.scrollWidth > window.innerWidth ? 'wider than the screen' : 'fits');
		})()`)
		if want := "1 row(s), open tab seen, page fits"; err != nil || got != want {
			t.Errorf("%s: the tab bar at 390 px: %s (%v), want %s", lang, got, err, want)
		}
		axe("admin tabs 390 " + lang)
	}
	// The bar is navigation, not an ARIA tab list: links to each tab's own
	// address, which the history keeps, the open one aria-current=page.
	if got, _ := js[string](ctx, `(() => {
		const nav = document.querySelector('#main nav.tabs'), tabs = nav.querySelectorAll('.tab');
		return [...tabs].every((a) => a.matches('a[href^="#/admin?tab="]')) && !nav.querySelector('[role=tab], [role=tablist]') ? 'links' : nav.outerHTML.slice(0, 160);
	})()`); got != "links" {
		t.Errorf("the tab bar: %s, want a nav of links", got)
	}
	if _, err := js[bool](ctx, `(document.querySelector('#admin-tab-keys').click(), true)`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `location.hash === '#/admin?tab=keys' && !!document.querySelector('#admin-tab-keys[aria-current=page]')`, stepWait); err != nil {
		t.Errorf("the keys tab's link: %v", err)
	}
	if _, err := js[bool](ctx, `(history.back(), true)`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `location.hash === '#/admin?tab=audit' && !!document.querySelector('#admin-tab-audit[aria-current=page]')`, stepWait); err != nil {
		t.Errorf("Back after the keys tab: %v", err)
	}
}
