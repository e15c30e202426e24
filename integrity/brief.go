package integrity

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"time"

	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/geotext"
)

// The weekly information-environment brief: the week's top narratives,
// spikes, harmful share by language and by place, targeted groups, and the
// responses (published fact-checks, broadcasts) with their reach. Its
// figures are plain numbers so the performance framework can take them.

// BroadcastLister lists the broadcasts sent to communities
// (contacts.Service).
type BroadcastLister interface {
	ListBroadcasts(ctx context.Context, limit int) ([]contacts.Broadcast, error)
}

// TopNarratives is how many narratives the brief lists.
const TopNarratives = 10

// Share is a part of the week's items and how many of them are harmful.
type Share struct {
	Value   string  `json:"value"`
	Items   int     `json:"items"`
	Harmful int     `json:"harmful"`
	Share   float64 `json:"share"` // harmful / items
	// Of a first-level area (by_admin1): the area, its country's ISO3
	// code and the country's English and French names, so that a reader
	// names it in its language ("Ituri, DR Congo", not Value's "Ituri, COD").
	Admin1    string `json:"admin1,omitempty"`
	Admin1FR  string `json:"admin1_fr,omitempty"` // its French name where it differs
	Country   string `json:"country,omitempty"`
	CountryEN string `json:"country_name,omitempty"`
	CountryFR string `json:"country_name_fr,omitempty"`
}

// BriefNarrative is one of the week's top narratives.
type BriefNarrative struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"` // its name, or the start of its first item's text
	Items     int     `json:"items"`
	Harmful   int     `json:"harmful"`
	Reach     int64   `json:"reach"`
	Languages []Count `json:"languages"`
	Spike     bool    `json:"spike"` // flagged in the week
}

// BriefFactCheck is a fact-check published in the week.
type BriefFactCheck struct {
	Narrative int64  `json:"narrative"`
	Claim     string `json:"claim"`
	Rating    string `json:"rating"`
	Published string `json:"published"`
	Answered  int    `json:"answered"` // tipline senders answered
}

// BriefBroadcast is a broadcast made in the week, with its audience as
// the broadcast has it (a group, everyone within a radius of a place,
// everyone in an admin area or in grid cells).
type BriefBroadcast struct {
	ID int64 `json:"id"`
	contacts.Audience
	Created string `json:"created"`
	Queued  int    `json:"queued"`
	Sent    int    `json:"sent"`
	// CellsAround names an audience of grid cells by place
	// (contacts.Broadcast.CellsAround).
	CellsAround []string `json:"cells_around,omitempty"`
}

// Brief is the weekly information-environment brief.
type Brief struct {
	From       string           `json:"from"`
	To         string           `json:"to"`
	Items      int              `json:"items"`
	Harmful    int              `json:"harmful"`
	Share      float64          `json:"share"` // harmful / items
	Reach      int64            `json:"reach"`
	Narratives []BriefNarrative `json:"narratives"`
	Spikes     []SpikeFlag      `json:"spikes"`
	ByLanguage []Share          `json:"by_language"`
	ByArea     []Share          `json:"by_area"` // by the items' place ("" : no place)
	// ByAdmin1 is by the first-level administrative area of the items'
	// places ("Ituri, COD"; "": the gazetteer gives none).
	ByAdmin1   []Share          `json:"by_admin1"`
	Groups     []Count          `json:"groups"` // items matching terms that target each group
	FactChecks []BriefFactCheck `json:"fact_checks"`
	Broadcasts []BriefBroadcast `json:"broadcasts"`
	// ResponseReach: tipline senders answered plus broadcast messages sent.
	ResponseReach int `json:"response_reach"`
}

// WeeklyBrief builds the brief of the 7 days ending on day end (zero: the
// newest item's day); broadcasts come from bl (nil: none listed).
func (s *Service) WeeklyBrief(ctx context.Context, end time.Time, bl BroadcastLister) (Brief, error) {
	ps, ok := s.Store.(PlacedItemStore)
	if !ok {
		return Brief{}, errors.New("integrity: this store cannot list a week's items")
	}
	if end.IsZero() {
		var err error
		if end, err = s.newestDay(ctx); err != nil {
			return Brief{}, err
		}
	}
	if end.Year() < 1990 || end.After(s.now().AddDate(0, 0, 1)) {
		return Brief{}, fieldErr("end", "%s is not a day of the data (1990 to today)", end.Format(time.DateOnly))
	}
	from, to := end.AddDate(0, 0, -6).Format(time.DateOnly), end.Format(time.DateOnly)
	b := Brief{From: from, To: to, Narratives: []BriefNarrative{}, Spikes: []SpikeFlag{}, ByLanguage: []Share{}, ByArea: []Share{}, ByAdmin1: []Share{},
		Groups: []Count{}, FactChecks: []BriefFactCheck{}, Broadcasts: []BriefBroadcast{}}
	items, err := ps.WindowItems(ctx, from, to)
	if err != nil {
		return Brief{}, err
	}
	narrs := map[int64]*BriefNarrative{}
	langsOf := map[int64]map[string]int{}
	langs, areas, admins, groups := map[string]*Share{}, map[string]*Share{}, map[string]*Share{}, map[string]int{}
	share := func(m map[string]*Share, k string, harmful bool) *Share {
		sh := m[k]
		if sh == nil {
			sh = &Share{Value: k}
			m[k] = sh
		}
		sh.Items++
		if harmful {
			sh.Harmful++
		}
		return sh
	}
	for _, it := range items {
		harmful := it.Harmful()
		b.Items++
		b.Reach += it.Reach
		n := narrs[it.Narrative]
		if n == nil {
			n = &BriefNarrative{ID: it.Narrative}
			narrs[it.Narrative] = n
			langsOf[it.Narrative] = map[string]int{}
		}
		n.Items++
		n.Reach += it.Reach
		langsOf[it.Narrative][it.Lang]++
		if harmful {
			b.Harmful++
			n.Harmful++
		}
		share(langs, it.Lang, harmful)
		share(areas, it.Place, harmful)
		if sh := share(admins, admin1Label(it.Admin1, it.Country), harmful); sh.Items == 1 && it.Admin1 != "" {
			sh.Admin1, sh.Admin1FR, sh.Country = it.Admin1, admin1French(it.Admin1), it.Country
			if c := geotext.AreaCountry(it.Admin1, it.Country); c != nil {
				sh.CountryEN, sh.CountryFR = c.EN, c.FR
			}
		}
		for _, g := range it.Groups {
			groups[g]++
		}
	}
	b.Share = ratio(b.Harmful, b.Items)
	for _, m := range []struct {
		src map[string]*Share
		dst *[]Share
	}{{langs, &b.ByLanguage}, {areas, &b.ByArea}, {admins, &b.ByAdmin1}} {
		for _, sh := range m.src {
			sh.Share = ratio(sh.Harmful, sh.Items)
			*m.dst = append(*m.dst, *sh)
		}
		sort.Slice(*m.dst, func(i, j int) bool {
			x, y := (*m.dst)[i], (*m.dst)[j]
			if x.Items != y.Items {
				return x.Items > y.Items
			}
			return x.Value < y.Value
		})
	}
	for g, n := range groups {
		b.Groups = append(b.Groups, Count{g, n})
	}
	sortCounts(b.Groups)

	if b.Spikes, err = s.spikesUntil(ctx, to); err != nil {
		return Brief{}, err
	}
	if b.Spikes == nil {
		b.Spikes = []SpikeFlag{}
	}
	spiked := map[string]bool{}
	for _, f := range b.Spikes {
		if f.By == "narrative" {
			spiked[f.Key] = true
		}
	}
	names := s.narrativeNames(ctx)
	for id, n := range narrs {
		n.Name, n.Spike = names[id], spiked[strconv.FormatInt(id, 10)]
		for l, c := range langsOf[id] {
			n.Languages = append(n.Languages, Count{l, c})
		}
		sortCounts(n.Languages)
		b.Narratives = append(b.Narratives, *n)
	}
	sort.Slice(b.Narratives, func(i, j int) bool {
		x, y := b.Narratives[i], b.Narratives[j]
		if x.Items != y.Items {
			return x.Items > y.Items
		}
		return x.ID < y.ID
	})
	if len(b.Narratives) > TopNarratives {
		b.Narratives = b.Narratives[:TopNarratives]
	}

	// Responses of the week.
	inWeek := func(t time.Time) bool { d := t.UTC().Format(time.DateOnly); return d >= from && d <= to }
	if cs, ok := s.Store.(CheckStore); ok {
		checks, err := cs.PublishedChecks(ctx, 1000)
		if err != nil {
			return Brief{}, err
		}
		for _, c := range checks {
			if c.PublishedAt == nil || !inWeek(*c.PublishedAt) {
				continue
			}
			b.FactChecks = append(b.FactChecks, BriefFactCheck{Narrative: c.Narrative, Claim: c.Claim, Rating: c.Rating,
				Published: c.PublishedAt.UTC().Format(time.DateOnly), Answered: c.RepliesSent})
			b.ResponseReach += c.RepliesSent
		}
	}
	if bl != nil {
		bs, err := bl.ListBroadcasts(ctx, 1000)
		if err != nil {
			return Brief{}, err
		}
		for _, x := range bs {
			if !inWeek(x.Created) {
				continue
			}
			b.Broadcasts = append(b.Broadcasts, BriefBroadcast{ID: x.ID, Audience: x.Audience, Created: x.Created.UTC().Format(time.DateOnly),
				Queued: x.Reach.Queued, Sent: x.Reach.Sent, CellsAround: x.CellsAround})
			b.ResponseReach += x.Reach.Sent
		}
	}
	return b, nil
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(int64(float64(a)/float64(b)*10000+0.5)) / 10000
}

// admin1Label names a first-level area with its country ("Ituri, COD"; ""
// when the area is unknown).
func admin1Label(admin1, country string) string {
	if admin1 == "" || country == "" {
		return admin1
	}
	return admin1 + ", " + country
}
