package web_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/integrity"
)

// TestE2EVerifyQueue: the Verify page opened without a narrative
// (#/verify) is the queue of the checks in progress. With none, it says
// how to start one; then, with a check late (its deadline passed) and one
// due later, and a closed one, it lists the two open ones in that order by
// their narratives' names, with their state, verdict, assignee, deadline
// (overdue / due in) and last change, in English and in French; the
// tipline's narrative counts its 5 messages and, apart, the 3 people who
// sent them (one sent it three times by SMS; one message came through the
// web form, whose typed number tells no one apart: counted one person,
// and the page says so under the table), and the check due later, started
// on a narrative since merged into another, is listed under the
// survivor's name. A row's
// link opens the narrative's check, whose « All checks in progress » link
// comes back to the queue. The page is axe clean at 1440 px and at 390 px
// wide without scrolling sideways, in both languages, with no dictionary
// key nor English left on the French page (languageProblems).
func TestE2EVerifyQueue(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	const w, h = 1440, 900
	const rumour = "On dit que le pont de Rutshuru sera détruit ce soir par les rebelles, ne passez plus par là"
	ctx, srv, integ, al, tip := tiplineCheckJourney(t, w, h, rumour, "+243811000001")
	// The same villager sends it twice more, a neighbour once: 4 messages
	// from 2 people.
	for i, from := range []string{"+243811000001", "+243811000001", "+243811000002"} {
		form := url.Values{"from": {from}, "message": {"Fwd: " + rumour + strings.Repeat(" !", i)}, "message_id": {"again-" + strconv.Itoa(i)},
			"secret": {"tips-secret"}, "device_id": {"1"}}
		resp, err := http.PostForm(srv.URL+alerts.IntakePath(tip), form)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("tipline sms: %v %v", resp, err)
		}
		resp.Body.Close()
	}
	// And someone through the public web form, whose number is typed in:
	// not told apart, counted one person, and the page says so.
	form, err := al.NewChannel(ctx0, "test", alerts.Web, "Bunia web form", "", "", alerts.AsTipline)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := al.Receive(ctx0, form, alerts.Inbound{From: "+243811000001", Message: "RT " + rumour}); err != nil {
		t.Fatal(err)
	}
	axeSrc, err := os.ReadFile(filepath.Join("testdata", "axe", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	shots := screenshotDir(t)
	checkPage := func(step, lang string) {
		t.Helper()
		saveShot(t, ctx, shots, "verify-"+strings.ReplaceAll(step, " ", "-"))
		for _, p := range languageProblems(ctx, lang) {
			t.Errorf("%s: %s", step, p)
		}
		vs, err := axeViolations(ctx, string(axeSrc))
		if err != nil {
			t.Errorf("%s: axe: %v", step, err)
		}
		for _, v := range vs {
			t.Errorf("%s: axe: %s", step, v)
		}
		for _, p := range narrowProblems(ctx, string(axeSrc), w, h) {
			t.Errorf("%s: %d px wide: %s", step, narrowWidth, p)
		}
	}
	const page = `(document.querySelector('#banner')?.textContent || '') + '\n' + (document.querySelector('main')?.innerText || '')`

	// No check yet: the empty state says how to start one.
	runSteps(t, ctx, page, []e2eStep{{"empty queue", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/verify")},
		`document.querySelector('#verify-body .empty')?.textContent.includes("a narrative's Verify button") && document.querySelector('#verify-narrative')`}})
	checkPage("empty queue en", "en")

	// Three more narratives: a check due later, a closed one, and the
	// tipline's narrative late. The check due later was started on a
	// narrative since merged into the borehole's: it is listed there.
	var ids []int64
	for i, text := range []string{"Water from the Kiwanja borehole has been poisoned by the soldiers", "Vaccination teams in Beni are spreading the Ebola virus on purpose",
		"Les militaires ont empoisonné le forage de Kiwanja hier soir"} {
		it := &integrity.Item{Source: "facebook", SourceID: "p" + strconv.Itoa(i), Via: integrity.ViaImport, Kind: "post", Text: text, Time: time.Now().Add(-time.Hour), Lang: "en"}
		if err := integ.Validate(it); err != nil {
			t.Fatal(err)
		}
		if _, err := integ.Add(ctx0, "test", "integrity.import", "", []*integrity.Item{it}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, it.Narrative)
	}
	copyN := ids[2]
	ns, err := integ.Store.Narratives(ctx0)
	if err != nil {
		t.Fatal(err)
	}
	tiplineN := ns[0].ID
	for i, name := range map[int64]string{tiplineN: "Rutshuru bridge destroyed", ids[0]: "Kiwanja borehole poisoned", ids[1]: "Ebola spread on purpose"} {
		if err := integ.RenameNarrative(ctx0, "test", i, name); err != nil {
			t.Fatal(err)
		}
	}
	str := func(s string) *string { return &s }
	for _, s := range []struct {
		n int64
		u integrity.CheckUpdate
	}{
		{copyN, integrity.CheckUpdate{State: str(integrity.CheckMonitoring)}},
		{copyN, integrity.CheckUpdate{Deadline: str(time.Now().Add(50 * time.Hour).UTC().Format("2006-01-02 15:04"))}},
		{ids[1], integrity.CheckUpdate{State: str(integrity.CheckClosed)}},
		{tiplineN, integrity.CheckUpdate{State: str(integrity.CheckVerifying)}},
		{tiplineN, integrity.CheckUpdate{Assignee: str("analyst.e2e")}},
		{tiplineN, integrity.CheckUpdate{Deadline: str("2025-06-01 12:00")}},
	} {
		if _, err := integ.UpdateCheck(ctx0, "analyst.e2e", s.n, s.u); err != nil {
			t.Fatalf("%d %+v: %v", s.n, s.u, err)
		}
	}
	if _, err := integ.MergeNarratives(ctx0, "analyst.e2e", ids[0], copyN); err != nil {
		t.Fatal(err)
	}

	rows := `[...document.querySelectorAll('#verify-queue tbody tr')]`
	names := rows + `.map((r) => r.querySelector('a')?.textContent).join(' | ')`
	cell := func(row int, col string) string {
		return rows + `[` + strconv.Itoa(row) + `]?.querySelector('[data-col=` + col + `]')?.textContent`
	}
	const late, later = "Rutshuru bridge destroyed", "Kiwanja borehole poisoned"
	runSteps(t, ctx, page, []e2eStep{
		{"queue en", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/integrity"), navigate(srv.URL + "/#/verify")},
			names + ` === '` + late + ` | ` + later + `' && document.querySelector('#verify-queue caption')?.textContent === 'Checks in progress'` +
				` && ` + cell(0, "state") + ` === 'Verifying' && ` + cell(0, "assignee") + ` === 'analyst.e2e' && /overdue by \d+ d \d+ h$/.test(` + cell(0, "deadline") + `)` +
				` && ` + rows + `[0].querySelector('[data-col=deadline] .badge.danger') && ` + cell(1, "state") + ` === 'Monitoring' && ` + cell(1, "assignee") + ` === 'no one'` +
				` && /due in 2 d 1 h$|due in 2 d 2 h$/.test(` + cell(1, "deadline") + `) && ` + cell(1, "rating") + ` === 'none'` +
				` && ` + rows + `[0].querySelector('a').getAttribute('href') === '#/verify?narrative=` + strconv.FormatInt(tiplineN, 10) + `'` +
				` && /analyst\.e2e/.test(` + cell(0, "updated") + `) && !!document.querySelector('#verify-narrative')` +
				` && ` + rows + `[0].querySelector('[data-col=narrative] .muted')?.textContent === '5 items; by tipline: 5 messages from 3 people (1 message without a number from the phone network, counted as one person)'` +
				` && ` + rows + `[1].querySelector('[data-col=narrative] .muted')?.textContent === '2 items' && document.querySelector('#verify-queue-senders')?.textContent.includes('typed in')`},
	})
	checkPage("queue en", "en")
	if _, err := js[bool](ctx, `(Vigil.setLang('fr'), true)`); err != nil {
		t.Fatal(err)
	}
	runSteps(t, ctx, page, []e2eStep{
		{"queue fr", nil, names + ` === '` + late + ` | ` + later + `' && document.querySelector('#verify-queue caption')?.textContent === 'Vérifications en cours'` +
			` && ` + cell(0, "state") + ` === 'En vérification' && /en retard de \d+ j \d+ h$/.test(` + cell(0, "deadline") + `) && ` + cell(1, "assignee") + ` === 'personne'` +
			` && ` + cell(1, "state") + ` === 'En veille'` +
			` && ` + rows + `[0].querySelector('[data-col=narrative] .muted')?.textContent === '5 contenus\u202f; par ligne de signalement\u00a0: 5 messages de 3 personnes (1 message sans numéro donné par le réseau téléphonique, compté pour une personne)'`},
	})
	checkPage("queue fr", "fr")
	runSteps(t, ctx, page, []e2eStep{
		{"a row opens its check", []chromedp.Action[chromedp.Void]{click(css(`#verify-queue tbody tr:nth-child(2) a`))},
			`document.querySelector('#verify-state')?.dataset.state === 'monitoring' && location.hash === '#/verify?narrative=` + strconv.FormatInt(ids[0], 10) + `'` +
				` && document.querySelector('#verify-queue-link')?.textContent === 'Toutes les vérifications en cours'`},
		{"back to the queue", []chromedp.Action[chromedp.Void]{click(css(`#verify-queue-link`))},
			`location.hash === '#/verify' && ` + names + ` === '` + late + ` | ` + later + `' && !document.querySelector('#verify-state')`},
	})
}
