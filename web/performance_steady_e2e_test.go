package web_test

import "testing"

// TestE2EPerformanceSteady: the Performance page keeps its controls where
// they are first shown while it loads. The framework's indicators were
// drawn as « Chargement… » and filled from their own request after the
// page was shown, so the value form under them (the indicator, area,
// period and breakdown choosers, « Compute ») went ~1,480 px down under a
// pointer on its way to it (#perf-v-ind 579 → 2062 at 1366×768).
func TestE2EPerformanceSteady(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	full := startFullServer(t)
	srv := &e2eServer{URL: full.URL, User: full.User, Password: full.Password}
	ctx, _ := loggedInBrowser(t, srv, 1366, 768)
	steadyOnOpen(t, ctx, srv.URL+"/#/performance", `!!document.querySelector('#perf-indicators table') && !!document.querySelector('#perf-watch h2')`,
		`#perf-tab-indicators`, `#perf-v-ind`, `#perf-v-area`, `#perf-v-by`, `#perf-v-out`)
}
