package web_test

import "testing"

// TestE2EIntegritySteady: the Integrity page's tabs stay where they are
// first shown while the narratives tab loads. The page's frame widened to
// the window once the narratives table was drawn (integrity.css), which
// moved the title, the tab buttons and everything on the page 46 px to
// the left at 1366×768 after they were shown.
func TestE2EIntegritySteady(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	full := startFullServer(t)
	srv := &e2eServer{URL: full.URL, User: full.User, Password: full.Password}
	ctx, _ := loggedInBrowser(t, srv, 1366, 768)
	steadyOnOpen(t, ctx, srv.URL+"/#/integrity?tab=narratives", `!!document.querySelector('#integrity-narratives tbody tr')`,
		`#integrity-tab-narratives`, `#integrity-tab-items`, `#integrity-tab-add`)
}
