package web_test

import (
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// topBarProblems answers what is wrong with the top bar as shown: items
// (brand, page links, language, user, Log out) overlapping each other,
// outside the window, or, when oneLine, not all on the first line.
const topBarProblems = `((oneLine) => {
  const shown = [...document.querySelectorAll('.topbar > *, .topbar nav a')].filter((e) => e.offsetParent && e.tagName !== 'NAV' && !e.classList.contains('spacer'));
  const box = (e) => e.getBoundingClientRect();
  const name = (e) => e.id || e.className || e.tagName;
  const out = [];
  const first = box(document.querySelector('.topbar .brand'));
  for (const e of shown) {
    const b = box(e);
    if (b.left < 0 || b.right > innerWidth + 0.5) out.push(name(e) + ' outside the window (' + Math.round(b.left) + '–' + Math.round(b.right) + ')');
    if (oneLine && (b.top > first.bottom || b.bottom < first.top)) out.push(name(e) + ' on another line (top ' + Math.round(b.top) + ')');
  }
  for (let i = 0; i < shown.length; i++) for (let j = i + 1; j < shown.length; j++) {
    if (shown[i].contains(shown[j]) || shown[j].contains(shown[i])) continue;
    const a = box(shown[i]), b = box(shown[j]);
    if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) out.push(name(shown[i]) + ' overlaps ' + name(shown[j]));
  }
  return out;
})`

// cutSelects answers the selects of the page whose choices do not show
// whole: an option's text (drawn in the select's font) wider than the
// select's room for it (its width less padding, border and the arrow).
const cutSelects = `(() => {
  const out = [];
  const probe = document.body.appendChild(document.createElement('span'));
  probe.style.cssText = 'position:absolute;visibility:hidden;white-space:pre';
  for (const s of document.querySelectorAll('main select:not([multiple])')) {
    if (!s.offsetParent) continue;
    const cs = getComputedStyle(s);
    probe.style.font = cs.font;
    const room = s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 18; // the arrow
    for (const o of s.options) {
      probe.textContent = o.textContent;
      if (probe.getBoundingClientRect().width > room) out.push((s.id || s.name) + ': "' + o.textContent + '" (' + Math.round(probe.getBoundingClientRect().width) + ' px in ' + Math.round(room) + ')');
    }
  }
  probe.remove();
  return out;
})()`

// TestE2ELayoutFrench: at 1366×768 and 1280×800 in French, and at 1280×800
// in English, the top bar holds on one line without overlaps (the French
// labels are longer than the English; 1280 CSS px is a 1920 px laptop
// screen at Windows' 150 % scale, where « Se déconnecter » and "Log out"
// wrapped to a second line on their own),
// and every select of the admin data tab shows each of its choices whole
// ("Les garder telles que publiées et les compter" was cut to "Les garder
// telles que publiées et le…"); at tablet widths the top bar stays usable
// (nothing overlaps or leaves the window; under 900 px the Menu button
// opens the page links).
func TestE2ELayoutFrench(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	srv := startFullServer(t)
	ctx, _ := newBrowser(t, 1366, 768)
	if err := login(ctx, &e2eServer{URL: srv.URL, User: srv.User, Password: srv.Password}); err != nil {
		t.Fatal(err)
	}
	if err := openIn(ctx, srv.URL+"/#/admin?tab=data", "fr"); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.documentElement.lang === 'fr' && !!document.querySelector('#admin-deploy-form') && document.querySelectorAll('#nav a').length >= 10`, stepWait); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		w, h    int
		oneLine bool
	}{{1366, 768, true}, {1280, 800, true}, {1024, 768, false}, {901, 1024, false}} {
		if err := do(ctx, chromedp.EmulateViewport(int64(c.w), int64(c.h))); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `innerWidth === `+strconv.Itoa(c.w), stepWait); err != nil {
			t.Fatal(err)
		}
		ps, err := js[[]string](ctx, topBarProblems+`(`+boolJS(c.oneLine)+`)`)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			t.Errorf("%d×%d, French top bar: %s", c.w, c.h, p)
		}
		if c.w != 1366 {
			continue
		}
		cut, err := js[[]string](ctx, cutSelects)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range cut {
			t.Errorf("%d×%d, French admin data tab, a choice cut: %s", c.w, c.h, p)
		}
	}
	// English at 1280 px (its page names are longer than the French ones
	// in places: "Coverage planner", "Responsiveness").
	if err := do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatal(err)
	}
	if err := openIn(ctx, srv.URL+"/#/admin?tab=data", "en"); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `innerWidth === 1280 && document.documentElement.lang === 'en' && document.querySelectorAll('#nav a').length >= 10 && document.getElementById('logout').textContent === 'Log out'`, stepWait); err != nil {
		t.Fatal(err)
	}
	if ps, err := js[[]string](ctx, topBarProblems+`(true)`); err != nil {
		t.Fatal(err)
	} else {
		for _, p := range ps {
			t.Errorf("1280×800, English top bar: %s", p)
		}
	}
	// A tablet held upright: the links behind the Menu button, opened with the keyboard.
	if err := do(ctx, chromedp.EmulateViewport(800, 1280)); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `innerWidth === 800 && !!document.getElementById('nav-toggle').offsetParent`, stepWait); err != nil {
		t.Fatalf("800 px: no Menu button: %v", err)
	}
	if err := focusEnter(ctx, "#nav-toggle"); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `[...document.querySelectorAll('#nav a')].every((a) => a.offsetParent && a.getBoundingClientRect().right <= innerWidth)`, stepWait); err != nil {
		t.Errorf("800 px: the Menu button does not show every page link in the window: %v", err)
	}
	ps, err := js[[]string](ctx, topBarProblems+`(false)`)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		t.Errorf("800×1280, French top bar with the menu open: %s", p)
	}
}

func boolJS(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
