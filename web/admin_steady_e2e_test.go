package web_test

import "testing"

// TestE2EAdminSteady: the Administration tabs keep their controls where
// they are first shown while the tab loads. Places: the gazetteer's
// summary, filled from its own request above the import and search
// cards, moved their controls 87 px down (the file chooser 538 → 625 at
// 1366×768). Channels: the channel list, filled after the gateways card
// under it was drawn, moved the gateway form ~390 px down (its channel
// chooser 1117 → 1503). Interlocutors: the place, a text field with a
// long hint until the margins' areas came, then a chooser, re-wrapped
// the form's row: the group, sex and role fields and « Record meeting »
// moved (the button 612 → 498).
func TestE2EAdminSteady(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	full := startFullServer(t)
	seedLocatedIncident(t, full) // its channel, and a gateway: the channels tab's list and gateway form
	srv := &e2eServer{URL: full.URL, User: full.User, Password: full.Password}
	ctx, _ := loggedInBrowser(t, srv, 1366, 768)
	steadyOnOpen(t, ctx, srv.URL+"/#/admin?tab=places", `!!document.querySelector('#admin-places-info') && !!document.querySelector('#admin-places-find')`,
		`#admin-tab-places`, `#admin-places-file`, `#admin-places-q`, `#admin-places-find button`)
	steadyOnOpen(t, ctx, srv.URL+"/#/admin?tab=channels", `!!document.querySelector('#admin-channels') && !!document.querySelector('#admin-gw-form')`,
		`#admin-tab-channels`, `#admin-gw-channel`, `#admin-gw-rate`, `#admin-gw-form button[type=submit]`)
	// From the channels tab: the tab list marks the tab shown (in bold),
	// which moves the tabs after it once, on the click; not watched here.
	steadyOnOpen(t, ctx, srv.URL+"/#/admin?tab=interlocutors", `!!document.querySelector('select#admin-inter-place') && !!document.querySelector('#admin-inter, #admin-body[data-tab=interlocutors] .empty')`,
		`#admin-inter-group`, `#admin-inter-role`, `#admin-inter-form button[type=submit]`)
}
