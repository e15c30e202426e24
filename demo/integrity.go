package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/integrity/lexicon"
	"github.com/vigil-project/vigil/internal/lang"
	"github.com/vigil-project/vigil/storage"
)

// The Integrity area's demo material: besides the real UDHR texts (which
// show language identification), synthetic rumours, posts and radio notes
// written from real UCDP GED events of the last demo months (real place
// names and event dates; fictitious sources and accounts marked DEMO, no
// phone numbers or real handles), so that every tab has something to show:
// narratives with near-duplicate variants, a spike, places on the map and
// in the "where" view, reach, tipline messages, a claim being verified, a
// claim rated false with a published fact-check answered to its senders,
// and analysts' labels.

// StateIntegrity records the Integrity demo material (storage.DemoState).
const StateIntegrity = "integrity"

// TiplineName names the demo tipline channel (a web form marked tipline),
// one short name in both languages (see AlertChannelName).
const TiplineName = "DEMO-WEB-2"

// IntegritySource names the demo's monitoring export (every demo post's
// source; RadioSource, its radio transcripts'): one short name the same in
// English and in French, like the demo's channels (DEMO-WEB-1), as an
// item has one stored source and imports are idempotent on it and the
// item's id. What the material is, the demo banner and each page's DEMO
// marks say in the page's language.
const (
	IntegritySource = "DEMO-MON-1"
	RadioSource     = "DEMO-FM-1"
)

// armsClaim is the demo fact-check's claim, in the words it was heard in
// (the narrative's posts are French): the radio scripts quote it as it is;
// armsSummaryFR is its French summary.
const (
	armsClaim     = "DEMO\u00a0: les Casques bleus ont livré des armes aux assaillants avant l’attaque."
	armsSummaryFR = "[DEMO] Les Casques bleus n’ont livré aucune arme\u202f; l’attaque a été menée par un groupe armé, comme l’enregistre l’UCDP."
)

// demoTermSource marks the demo's own lexicon terms.
const demoTermSource = "DEMO lexicon (synthetic, for the demo)"

// LoadUDHRItems imports the demo's real texts (articles of the Universal
// Declaration of Human Rights in eight languages) and, when the mission
// has no lexicon, the starter lexicon. Idempotent: a second load finds the
// items known and adds nothing.
func LoadUDHRItems(ctx context.Context, s *integrity.Service, actor string) error {
	r, err := Open(IntegrityItems)
	if err != nil {
		return err
	}
	defer r.Close()
	if _, err := s.Import(ctx, actor, r, IntegrityItems, integrity.ImportOptions{}); err != nil {
		return fmt.Errorf("demo integrity items: %w", err)
	}
	ts, err := s.Terms(ctx)
	if err != nil || len(ts) > 0 {
		return err
	}
	_, err = s.LoadStarter(ctx, actor)
	return err
}

// demoNarrative is one synthetic claim: its text in a language, written
// from an event, and how its items are spread over the days before now.
type demoNarrative struct {
	key  string
	lang string
	kind string
	text func(e gedEvent, where, day string) string
	// days before now of each item (one item per entry), newest last.
	days []int
	// tipline: how many of its items arrive through the demo tipline.
	tipline int
	name    string // the narrative's name (DEMO …), "" to leave it unnamed
}

// demoNarratives are written so that each reads as a rumour of its kind;
// every text starts with [DEMO] and ends with the UCDP event it came from.
var demoNarratives = []demoNarrative{
	{key: "attack-rumour", lang: "fr", kind: "post", name: "DEMO\u00a0: rumeur d’une nouvelle attaque",
		text: func(e gedEvent, where, day string) string {
			return fmt.Sprintf("[DEMO] Après les violences du %s %s, on dit que les hommes armés vont revenir attaquer la ville cette nuit. Partagez à tous les habitants ! (synthétique, d'après l'événement UCDP GED %s)", day, reporterNear(where), e.id)
		},
		// rises over the last days: a spike on the newest day
		days: []int{26, 19, 13, 8, 4, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1}},
	{key: "arms-claim", lang: "fr", kind: "post", name: "DEMO\u00a0: «\u202fles Casques bleus arment les assaillants\u202f» (faux)",
		text: func(e gedEvent, where, day string) string {
			return fmt.Sprintf("[DEMO] Les Casques bleus ont livré des armes aux assaillants de %s avant l'attaque du %s. Ils sont complices ! (synthétique, d'après l'événement UCDP GED %s)", where, day, e.id)
		},
		days: []int{12, 11, 10, 9, 9, 8, 7, 6}, tipline: 4},
	{key: "road-cut", lang: "en", kind: "post", name: "DEMO: road and bridge said to be cut",
		text: func(e gedEvent, where, day string) string {
			return fmt.Sprintf("[DEMO] The road out of %s is cut: the bridge was blown up after the fighting of %s and no food trucks will pass this week. (synthetic, from UCDP GED event %s)", where, day, e.id)
		},
		days: []int{6, 5, 5, 4, 3}, tipline: 1},
	{key: "displaced-fr", name: "DEMO\u00a0: «\u202fles déplacés sont des envahisseurs\u202f»", lang: "fr", kind: "post",
		text: func(e gedEvent, where, day string) string {
			return fmt.Sprintf("[DEMO] Les déplacés du camp de %s sont des envahisseurs qui cachent les combattants depuis l'attaque du %s. Chassez-les du quartier ! (synthétique, d'après l'événement UCDP GED %s)", where, day, e.id)
		},
		days: []int{16, 9, 5, 4, 2, 1}},
	{key: "displaced-en", name: "DEMO: “the displaced are invaders”", lang: "en", kind: "post",
		text: func(e gedEvent, where, day string) string {
			return fmt.Sprintf("[DEMO] Those invaders in the camps around %s brought the gunmen here, the attack of %s proves it. Drive them out before they bring more. (synthetic, from UCDP GED event %s)", where, day, e.id)
		},
		days: []int{14, 7, 4, 3, 2}},
	{key: "radio-calm", name: "DEMO: calm returning (radio note)", lang: "en", kind: "radio",
		text: func(e gedEvent, where, day string) string {
			return fmt.Sprintf("[DEMO] Radio note (fictitious station DEMO-FM-1): calm is returning to %s after the clashes of %s; the market reopened and the local committee asks people not to share unverified messages. (synthetic, from UCDP GED event %s)", where, day, e.id)
		},
		days: []int{10, 4, 2}},
	{key: "sw", name: "DEMO: watu wenye silaha watarudi (sw)", lang: "sw", kind: "message",
		text: func(e gedEvent, where, day string) string {
			return fmt.Sprintf("[DEMO] Watu wenye silaha wameshambulia kijiji karibu na %s tarehe %s. Wanasema watarudi usiku, msitoke nje na mwambie jirani zenu. (ya kubuni, kutoka tukio la UCDP GED %s)", where, day, e.id)
		},
		days: []int{9, 6, 3}},
	{key: "ln", name: "DEMO: bato ya bibundeli bakozonga (ln)", lang: "ln", kind: "message",
		text: func(e gedEvent, where, day string) string {
			return fmt.Sprintf("[DEMO] Bato ya bibundeli babomaki bato na mboka pene na %s na mokolo %s. Bazali koloba ete bakozonga na butu, bobima te mpe boyebisa bandeko. (ya lokuta, euti na likambo UCDP GED %s)", where, day, e.id)
		},
		days: []int{8, 4}},
	{key: "ar", name: "DEMO: المسلحون سيعودون (ar)", lang: "ar", kind: "post",
		text: func(e gedEvent, where, day string) string {
			return fmt.Sprintf("[DEMO] يقولون إن المسلحين سيعودون إلى %s الليلة بعد هجوم %s. لا تخرجوا من البيوت وأخبروا الجيران. (منشور اصطناعي، من حدث UCDP GED %s)", where, day, e.id)
		},
		days: []int{7, 3, 1}},
}

// demoTerms are the demo's own lexicon terms (marked DEMO): they make the
// targeted group of the displaced-people narratives visible.
var demoTerms = []lexicon.Entry{
	{Term: "envahisseurs", Variants: []string{"envahisseur"}, Language: "fr", Group: "[DEMO] displaced people / personnes déplacées", Severity: 2, Source: demoTermSource,
		Meaning: "[DEMO] “invaders”, said of displaced people to call for their expulsion / «\u202fenvahisseurs\u202f», dit des déplacés pour appeler à les chasser"},
	{Term: "invaders", Variants: []string{"invader"}, Language: "en", Group: "[DEMO] displaced people / personnes déplacées", Severity: 2, Source: demoTermSource,
		Meaning: "[DEMO] said of displaced people to call for their expulsion / dit des déplacés pour appeler à les chasser"},
	{Term: "complices", Variants: []string{"complice"}, Language: "fr", Group: "[DEMO] UN peacekeepers / Casques bleus", Severity: 1, Source: demoTermSource,
		Meaning: "[DEMO] accuses the peacekeepers of siding with attackers / accuse les Casques bleus de prendre parti pour les assaillants"},
}

// variant writes the k-th near-duplicate of a text, as posts travel:
// forwarded, retweeted, with a link or hashtags added, lower-cased,
// truncated.
func variant(text string, k int) string {
	switch k % 8 {
	case 1:
		return fmt.Sprintf("RT @demo_account_%02d: %s", k%17+1, text)
	case 2:
		return text + fmt.Sprintf(" https://example.org/demo/%d", 100+k)
	case 3:
		return strings.ToLower(text)
	case 4:
		return text + " #DEMO #urgent"
	case 5:
		return "Fwd: " + text
	case 6: // cut at a word boundary near 85 %
		n := utf8.RuneCountInString(text) * 85 / 100
		r := []rune(text)[:n]
		if i := strings.LastIndexByte(string(r), ' '); i > 0 {
			return string(r)[:i] + "…"
		}
		return string(r) + "…"
	case 7:
		return "Transféré : " + text
	}
	return text
}

// udhrDaysBefore is how many days before the demo's now the UDHR texts
// are dated.
const udhrDaysBefore = 45

// IntegrityCounts is what LoadIntegrity stored.
type IntegrityCounts struct {
	Items, Narratives, Tipline, Answered int
}

// LoadIntegrity loads the Integrity area's demo material (see above) into
// db: the UDHR texts and starter lexicon, three DEMO lexicon terms, the
// synthetic posts (a monitoring export), the DEMO tipline channel and its
// messages, narrative names, a check being verified, a claim rated false
// whose fact-check is published and answered to the tipline senders
// (queued on the DEMO SMS gateway, whose outbox no phone empties), and
// analysts' labels. Items are dated in the 26 days before now, so the
// "where" view (30 days to the newest item) and the weekly brief show them,
// and one narrative rises on the last days (a spike). base is the server's
// public URL, written in the answers.
func LoadIntegrity(ctx context.Context, db *storage.DB, keys *crypt.Keyring, user, base string, now time.Time) (IntegrityCounts, error) {
	var res IntegrityCounts
	g, err := Gazetteer()
	if err != nil {
		return res, err
	}
	local := geotext.Merge(g)
	local.Area = DemoArea
	s := integrity.NewService(db, keys)
	s.SetGazetteer(local)
	// The real UDHR texts (there to show language identification) are
	// dated udhrDaysBefore days back, outside the week's brief and the
	// 30-day "where" view, which hold the demo's narratives only.
	clock := now.AddDate(0, 0, -udhrDaysBefore)
	s.Now = func() time.Time { return clock }
	if err := LoadUDHRItems(ctx, s, user); err != nil {
		return res, err
	}
	clock = now
	if _, err := s.ImportTerms(ctx, user, demoTerms, "the demo's DEMO terms"); err != nil {
		return res, fmt.Errorf("demo terms: %w", err)
	}
	evs, err := pickEvents(g, len(demoNarratives))
	if err != nil {
		return res, err
	}

	// The tipline: a web-form channel marked tipline, whose messages
	// become content items; answers go out through the DEMO SMS gateway.
	as := alerts.NewService(db, keys)
	as.SetGazetteer(local)
	as.Tipline = func(ctx context.Context, c alerts.Channel, a *alerts.Alert) error {
		_, err := s.FromTipline(ctx, c.Name, a.ID, a.Message, a.SentAt)
		return err
	}
	tip, err := as.NewChannel(ctx, user, alerts.Web, TiplineName, "", "public interest", alerts.AsTipline)
	if err != nil {
		return res, fmt.Errorf("demo tipline: %w", err)
	}
	s.Replier = contacts.TiplineReplier{Alerts: as, Contacts: contacts.NewService(db, keys)}

	day0 := now.UTC().Truncate(24 * time.Hour)
	var posts []*integrity.Item
	narrOf := map[string]string{} // narrative key → a source id of one of its items
	tipOf := map[string][]alerts.Inbound{}
	sender := 0
	for n, dn := range demoNarratives {
		e, pl := evs[n%len(evs)].e, evs[n%len(evs)].place
		where := pl.Name
		day := e.date.Format("2006-01-02")
		if dn.lang == "fr" {
			day = lang.Day(e.date, "fr")
		}
		orig := dn.text(e, where, day)
		for k, d := range dn.days {
			// in the daytime of the day d days before now's (d ≥ 1: before now)
			at := day0.AddDate(0, 0, -d).Add(time.Duration(7+(n*7+k*5)%11)*time.Hour + time.Duration((n*13+k*17)%60)*time.Minute)
			text := variant(orig, k)
			if k < dn.tipline {
				sender++
				tipOf[dn.key] = append(tipOf[dn.key], alerts.Inbound{
					GatewayID: fmt.Sprintf("demo-tip-%s-%d", dn.key, k),
					From:      fmt.Sprintf("demo-tipline-sender-%02d", sender),
					Name:      fmt.Sprintf("Demo tipline sender %d (fictitious)", sender),
					Message:   "Fwd: " + orig, SentAt: at})
				continue
			}
			id := fmt.Sprintf("demo-%s-%02d", dn.key, k)
			it := &integrity.Item{Via: integrity.ViaImport, Source: IntegritySource, SourceID: id, Kind: dn.kind, Lang: dn.lang,
				Text: text, Time: at, Author: fmt.Sprintf("@demo_account_%02d (fictitious)", (n*5+k)%23+1),
				Engagement: integrity.Engagement{Shares: int64((n*37 + k*53) % 180), Reactions: int64((n*71 + k*29) % 420),
					Views: int64(200 + (n*397+k*151)%4800), Replies: int64((n*13 + k*7) % 40)}}
			if dn.kind == "radio" {
				it.Source, it.Author, it.Engagement = RadioSource, "", integrity.Engagement{}
			}
			if err := s.Validate(it); err != nil {
				return res, fmt.Errorf("demo item %s: %w", id, err)
			}
			posts = append(posts, it)
			narrOf[dn.key] = id
		}
	}
	added, err := s.Add(ctx, user, "integrity.import", integrity.IntakeDemo, posts)
	if err != nil {
		return res, fmt.Errorf("demo items: %w", err)
	}
	res.Items = added.Added
	for _, dn := range demoNarratives {
		for _, in := range tipOf[dn.key] {
			as.Now = func() time.Time { return in.SentAt }
			if _, err := as.Receive(ctx, tip, in); err != nil {
				return res, fmt.Errorf("demo tipline message: %w", err)
			}
			res.Tipline++
		}
	}
	as.Now = func() time.Time { return now }
	if err := titleTiplineIncidents(ctx, db, as, user); err != nil {
		return res, err
	}

	// The narratives' ids, from their items.
	ids := map[string]int64{}
	for _, it := range posts {
		for _, dn := range demoNarratives {
			if narrOf[dn.key] == it.SourceID {
				ids[dn.key] = it.Narrative
			}
		}
	}
	res.Narratives = len(ids)
	for _, dn := range demoNarratives {
		if dn.name != "" && ids[dn.key] != 0 {
			if err := s.RenameNarrative(ctx, user, ids[dn.key], dn.name); err != nil {
				return res, fmt.Errorf("demo narrative name: %w", err)
			}
		}
	}
	str := func(v string) *string { return &v }
	step := func(key string, u integrity.CheckUpdate) error {
		_, err := s.UpdateCheck(ctx, user, ids[key], u)
		return err
	}
	clock = now.Add(-5 * 24 * time.Hour)
	if err := applySteps(step, "road-cut", []integrity.CheckUpdate{
		{Claim: str("DEMO: the bridge on the road out of the town was blown up and no food trucks will pass this week.")},
		{Assignee: str(user)},
		{State: str(integrity.CheckVerifying)},
		{Deadline: str(now.Add(48 * time.Hour).UTC().Format(time.RFC3339))},
		{Note: str("DEMO note (synthetic): the JOC has no report of a bridge destroyed; a CLA is calling the market committee to confirm whether trucks passed today. / " +
			"Note DEMO (synthétique)\u00a0: le JOC n’a aucun signalement de pont détruit\u202f; un assistant de liaison communautaire appelle le comité du marché pour savoir si des camions sont passés aujourd’hui.")},
		{Evidence: str("https://ucdp.uu.se/downloads/"), Note: str("DEMO evidence: the UCDP GED release the post's event comes from (it records the fighting, not a bridge). / " +
			"Preuve DEMO\u00a0: la version de l’UCDP GED d’où vient l’événement de la publication (elle enregistre les combats, pas un pont).")},
	}); err != nil {
		return res, fmt.Errorf("demo check (verifying): %w", err)
	}
	clock = now.Add(-4 * 24 * time.Hour)
	if err := applySteps(step, "arms-claim", []integrity.CheckUpdate{
		// The claim is what was heard, in the words it was heard in (the
		// narrative's posts are French): the radio scripts quote it as it is.
		{Claim: str(armsClaim)},
		{Assignee: str(user)},
		{State: str(integrity.CheckVerifying)},
		{Note: str("DEMO note (synthetic): patrol logs and the convoy schedule show no movement towards the attackers' area that week. / " +
			"Note DEMO (synthétique)\u00a0: les journaux de patrouille et le calendrier des convois ne montrent aucun mouvement vers la zone des assaillants cette semaine-là.")},
		{Evidence: str("https://ucdp.uu.se/downloads/"), Note: str("DEMO evidence: the UCDP GED event record names the perpetrator; no peacekeeping involvement is recorded. / " +
			"Preuve DEMO\u00a0: la fiche de l’événement dans l’UCDP GED nomme l’auteur\u202f; aucune implication des Casques bleus n’y est enregistrée.")},
		{State: str(integrity.CheckRated), Rating: str("false"),
			SummaryEN: str("[DEMO] No weapons were delivered by peacekeepers; the attack was carried out by an armed group, as recorded by UCDP."),
			SummaryFR: str(armsSummaryFR)},
	}); err != nil {
		return res, fmt.Errorf("demo check (false): %w", err)
	}
	if _, err := s.Publish(ctx, user, ids["arms-claim"]); err != nil {
		return res, fmt.Errorf("demo fact-check: %w", err)
	}
	if err := step("arms-claim", integrity.CheckUpdate{State: str(integrity.CheckResponsePlanned)}); err != nil {
		return res, fmt.Errorf("demo response: %w", err)
	}
	clock = now.Add(-3 * 24 * time.Hour)
	ans, err := s.SendAnswers(ctx, user, base, ids["arms-claim"])
	if err != nil {
		return res, fmt.Errorf("demo answers: %w", err)
	}
	res.Answered = ans.Sent
	clock = now.Add(-1 * 24 * time.Hour)
	if err := step("attack-rumour", integrity.CheckUpdate{State: str(integrity.CheckMonitoring)}); err != nil {
		return res, fmt.Errorf("demo check (monitoring): %w", err)
	}
	// Analysts' labels, by the demo analyst (user), as one who reviewed the
	// posts would label them: every post of the two synthetic hateful
	// narratives ("the displaced are invaders", French and English) is
	// labelled harmful, and two benign posts normal. The Classifier tab
	// lists them; they are what makes the demo's harmful counts (map, Where,
	// narratives, brief) non-zero, since the built-in classifier scores
	// these synthetic posts below HarmfulAt and an analyst's label decides
	// when there is one (integrity.Harmful).
	label := map[string]string{"demo-radio-calm-00": integrity.LabelNormal, "demo-road-cut-01": integrity.LabelNormal}
	for _, it := range posts {
		if strings.HasPrefix(it.SourceID, "demo-displaced-fr-") || strings.HasPrefix(it.SourceID, "demo-displaced-en-") {
			label[it.SourceID] = integrity.HarmfulLabel
		}
	}
	for _, it := range posts {
		if l := label[it.SourceID]; l != "" {
			if _, err := s.LabelItem(ctx, user, integrity.Label{Item: it.ID, Label: l}); err != nil {
				return res, fmt.Errorf("demo label %s: %w", it.SourceID, err)
			}
		}
	}
	return res, nil
}

func applySteps(step func(string, integrity.CheckUpdate) error, key string, us []integrity.CheckUpdate) error {
	for _, u := range us {
		if err := step(key, u); err != nil {
			return err
		}
	}
	return nil
}

// placedEvent is a recent event with the named place nearest it.
type placedEvent struct {
	e     gedEvent
	place geotext.Place
}

// pickEvents takes n of the newest events of the last three demo months,
// one country after another, each within 30 km of a named place (distinct
// places).
func pickEvents(g *geotext.Gazetteer, n int) ([]placedEvent, error) {
	evs, err := readEvents()
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(evs, func(a, b gedEvent) int { return b.date.Compare(a.date) }) // newest first
	from := evs[0].date.AddDate(0, -3, 0)
	var countries []string
	byCountry := map[string][]gedEvent{}
	for _, e := range evs {
		if e.date.Before(from) {
			break
		}
		if _, ok := byCountry[e.country]; !ok {
			countries = append(countries, e.country)
		}
		byCountry[e.country] = append(byCountry[e.country], e)
	}
	slices.Sort(countries)
	var out []placedEvent
	used := map[string]bool{}
	next := map[string]int{}
	for more := true; more && len(out) < n; {
		more = false
		for _, c := range countries {
			list := byCountry[c]
			for next[c] < len(list) && len(out) < n {
				e := list[next[c]]
				next[c]++
				if l, ok := g.Label(e.lat, e.lon); ok && l.DistanceM <= 30000 && !used[l.Place.Name] {
					used[l.Place.Name] = true
					out = append(out, placedEvent{e, l.Place})
					more = true
					break
				}
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("demo integrity: no recent event near a named place")
	}
	return out, nil
}

// titleTiplineIncidents marks the incidents the tipline messages formed
// (the intake files them as alerts too) as DEMO rumours.
func titleTiplineIncidents(ctx context.Context, db *storage.DB, as *alerts.Service, user string) error {
	ins, err := db.Incidents(ctx, alerts.IncidentFilter{Limit: 10000})
	if err != nil {
		return err
	}
	u := &auth.User{Name: user, Role: auth.Admin}
	for _, in := range ins {
		if strings.HasPrefix(in.Title, "DEMO") {
			continue
		}
		title, cat := "DEMO: rumour sent to the tipline / rumeur reçue par la ligne de signalement", "threat_rumour"
		if in.Location.Place != "" {
			title += " — " + in.Location.Place
		}
		if _, err := as.UpdateIncident(ctx, u, in.ID, alerts.Update{Title: &title, Category: &cat, Note: "DEMO: a rumour forwarded to the tipline (synthetic) / une rumeur transmise à la ligne de signalement (synthétique)"}); err != nil {
			return fmt.Errorf("demo tipline incident %d: %w", in.ID, err)
		}
		st := alerts.Triaged // triaged: the Integrity page verifies the claim
		if _, err := as.UpdateIncident(ctx, u, in.ID, alerts.Update{Status: &st}); err != nil {
			return fmt.Errorf("demo tipline incident %d: %w", in.ID, err)
		}
	}
	return nil
}

// FrenchTexts is the French of the demo's integrity material as the pages
// show it, by where it comes from: the French narratives' names and posts
// (written from a sample event at Bria), the demo lexicon's groups and
// meanings, and the claim and French summary of the demo fact-check the
// radio script quotes. Web's typography tests read it (TestFrenchGuillemets).
func FrenchTexts() map[string]string {
	out := map[string]string{"check claim": armsClaim, "check summary_fr": armsSummaryFR}
	e := gedEvent{id: "271759", date: time.Date(2018, 12, 3, 0, 0, 0, 0, time.UTC)}
	for _, dn := range demoNarratives {
		if dn.lang == "fr" {
			out["narrative "+dn.key+" name"] = dn.name
			out["narrative "+dn.key+" post"] = dn.text(e, "Bria", lang.Day(e.date, "fr"))
		}
	}
	for _, t := range demoTerms {
		out["lexicon "+t.Term+" group"] = t.Group
		out["lexicon "+t.Term+" meaning"] = t.Meaning
	}
	return out
}
