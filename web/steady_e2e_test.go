package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
)

// watchPlace starts recording, in the page, where the element sel is drawn:
// after every change to the page, the element's top and left (or "none"
// while no element matches or it is not drawn), each distinct place once, in order. A click
// is aimed at a place, then sent there (chromedp.Click reads the element's
// box, then presses the mouse at its centre, a user's pointer likewise): a
// control that moves or is swapped out after the page shows it loses the
// click that was aimed at it. Install it before the page draws sel.
func watchPlace(ctx context.Context, sel string) error {
	q, _ := json.Marshal(sel)
	_, err := js[bool](ctx, `(() => {
	  const sel = `+string(q)+`;
	  const w = (window.__places = window.__places || {});
	  const seen = (w[sel] = []);
	  const note = () => {
	    const e = document.querySelector(sel);
	    const r = e && e.getBoundingClientRect();
	    // An element not drawn (hidden, in a closed box) is "none", as one not there.
	    const at = e && e.getClientRects().length ? Math.round(r.top + scrollY) + ',' + Math.round(r.left + scrollX) : 'none';
	    if (seen[seen.length - 1] !== at) seen.push(at);
	  };
	  new MutationObserver(note).observe(document.documentElement, { childList: true, subtree: true, characterData: true, attributes: true });
	  note();
	  return true;
	})()`)
	return err
}

// placesOf returns the places watchPlace recorded for sel since it began,
// from the first one where an element matched.
func placesOf(ctx context.Context, sel string) ([]string, error) {
	q, _ := json.Marshal(sel)
	seen, err := js[[]string](ctx, `(window.__places || {})[`+string(q)+`] || []`)
	if err != nil {
		return nil, fmt.Errorf("places of %s: %w", sel, err)
	}
	for len(seen) > 0 && seen[0] == "none" {
		seen = seen[1:]
	}
	return seen, nil
}

// coverageDrawn holds once the Coverage page has drawn what it loads after
// it opens: the gaps list (above the population card, it moved the card
// ~1,800 px down when it came, 3 s after the page on an idle machine) and
// the population summary (« Chargement… » then two lines: the card's
// controls 22 px lower). A click on the card aimed before then pressed
// whatever came under the pointer instead (TestE2EFilePickFrench: "opened
// 1 chooser in all, want 2").
const coverageDrawn = `(!!document.querySelector('.coverage-gaps table') && !!document.getElementById('coverage-pop-summary') && document.getElementById('coverage-pop-summary').textContent !== Vigil.t('coverage.loading'))`

// alertsDrawn holds once the Alerts page has drawn its queue and its SLA
// statistics: both come from their own requests after the page shows, and
// each moved what is under them (the channels card at the page's foot).
// The list says « Chargement… » (#alerts-loading) until the queue is in.
const alertsDrawn = `(document.querySelector('#alerts-list')?.childElementCount > 0 && !document.getElementById('alerts-loading') && document.querySelector('#alerts-sla')?.childElementCount > 0)`

// steadyOnOpen opens the UI route target from the page the browser shows
// (the same document: navigate assigns the route) and fails t unless each
// control sels names, once shown, stays in one place until the page has
// drawn what it loads (drawn holds): a control that moved while a user's
// click was on its way made the click press something else.
func steadyOnOpen(t *testing.T, ctx context.Context, target, drawn string, sels ...string) {
	t.Helper()
	for _, sel := range sels {
		if err := watchPlace(ctx, sel); err != nil {
			t.Fatal(err)
		}
	}
	if err := do(ctx, navigate(target)); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, drawn, stepWait); err != nil {
		t.Fatalf("%s: the page's loaded state: %v", target, err)
	}
	for _, sel := range sels {
		if places, err := placesOf(ctx, sel); err != nil || len(places) != 1 {
			t.Errorf("%s: %s was drawn at %v (top,left; %v) while the page loaded, want one place", target, sel, places, err)
		}
	}
}
