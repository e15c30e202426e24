package contacts

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigil-project/vigil/internal/apperr"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/geo"
)

// MaxMessageChars bounds one broadcast text in characters (Unicode code
// points, as the form's maxlength and counter count them): about four SMS.
const MaxMessageChars = 640

// BroadcastRequest asks for a broadcast.
type BroadcastRequest struct {
	ChannelID int64 `json:"channel_id"`
	Audience        // one audience; checked and normalised into the broadcast's
	// Messages per language; Fallback is the language used for contacts
	// whose language has no text (default: the only one, else "fr").
	Messages map[string]string `json:"messages"`
	Fallback string            `json:"fallback"`
	// At schedules the broadcast; zero or past: now.
	At time.Time `json:"at"`
	// Check is the narrative whose check the broadcast answers (0 none):
	// set by the check's route only (integrity.Service.LinkBroadcast
	// logs it there), never by the broadcast's body.
	Check int64 `json:"-"`
}

// Send validates req and queues it now, or stores it for its time.
func (s *Service) Send(ctx context.Context, actor string, req BroadcastRequest) (Broadcast, error) {
	b, err := s.check(ctx, actor, req)
	if err != nil {
		return Broadcast{}, err
	}
	// The audience read once: queued to now, or refused when it reaches
	// no one. A scheduled broadcast's is read again when it is due: one
	// that reaches no one now is kept, and says so (NoOneNow); still no
	// one then, it is queued to no one (RunDue).
	cs, skipped, err := s.audience(ctx, b)
	if err != nil {
		return Broadcast{}, err
	}
	if b.ScheduledAt.After(s.now()) {
		if err := s.Store.SaveBroadcast(ctx, &b); err != nil {
			return Broadcast{}, err
		}
		b.NoOneNow = len(cs) == 0
		return s.named(ctx, b), nil
	}
	if len(cs) == 0 {
		return Broadcast{}, noOneReached(b, skipped)
	}
	if err := s.queueTo(ctx, &b, cs, skipped); err != nil {
		return Broadcast{}, err
	}
	return s.named(ctx, b), nil
}

func (s *Service) check(ctx context.Context, actor string, req BroadcastRequest) (Broadcast, error) {
	now := s.now()
	b := Broadcast{ChannelID: req.ChannelID, Actor: actor, Created: now, ScheduledAt: now, Messages: map[string]string{}, Check: req.Check}
	if req.ChannelID <= 0 {
		return b, fieldErr("channel_id", "choose the gateway channel to send through")
	}
	if s.Channels != nil {
		gws, err := s.Gateways(ctx)
		if err != nil {
			return b, err
		}
		ok := false
		for _, g := range gws {
			ok = ok || (g.ID == req.ChannelID && g.Ready)
		}
		if !ok {
			return b, fieldErr("channel_id", "no gateway ready to send with this id: an SMSSync phone, or a Twilio or webhook channel with its sending settings (Administration → Channels → Broadcast gateways)")
		}
	}
	if !req.At.IsZero() && req.At.After(now) {
		b.ScheduledAt = req.At.UTC()
	}
	group := strings.ToLower(strings.TrimSpace(req.Group))
	near := strings.TrimSpace(req.NearPlace)
	admin := strings.TrimSpace(req.AdminArea)
	area := near != "" || req.Lat != nil || req.Lon != nil
	kinds := 0
	for _, given := range []bool{group != "", area, len(req.Cells) > 0, admin != ""} {
		if given {
			kinds++
		}
	}
	switch {
	case kinds > 1:
		return b, fieldErr("group", "give one audience: a group, a place with a radius, cells or an admin area")
	case len(req.Cells) > 0:
		cells, err := checkCells(req.Cells)
		if err != nil {
			return b, err
		}
		b.Cells = cells
	case admin != "":
		name, err := s.adminArea(ctx, admin)
		if err != nil {
			return b, fieldErrOf("admin_area", err)
		}
		b.AdminArea, b.AdminAreaFR = name, AdminAreaFR(name)
	case group != "":
		if err := checkGroup(group); err != nil {
			return b, fieldErrOf("group", err)
		}
		b.Group = group
	case area:
		if !(req.RadiusKM > 0 && req.RadiusKM <= 500) || math.IsNaN(req.RadiusKM) {
			return b, fieldErr("radius_km", "give a radius between 0 and 500 km")
		}
		b.RadiusKM = req.RadiusKM
		if req.Lat != nil || req.Lon != nil {
			if req.Lat == nil || req.Lon == nil {
				return b, fieldErr("lat", "give both lat and lon")
			}
			if err := checkLatLon(*req.Lat, *req.Lon); err != nil {
				return b, fieldErrOf("lat", err)
			}
			la, lo := *req.Lat, *req.Lon
			b.Lat, b.Lon, b.NearPlace = &la, &lo, near
		} else {
			var gz *geotext.Gazetteer
			la, lo, err := s.resolve(ctx, near, &gz)
			if err != nil {
				return b, fieldErrOf("near_place", err)
			}
			b.Lat, b.Lon, b.NearPlace = &la, &lo, near
		}
	default:
		return b, fieldErr("group", "give a group, a place (or lat,lon) with a radius, cells or an admin area")
	}
	if len(req.Messages) == 0 {
		return b, fieldErr("messages", "write the message (at least one language)")
	}
	var langs []string
	for l, m := range req.Messages {
		l = strings.ToLower(strings.TrimSpace(l))
		if err := checkLanguage("messages."+l, l); err != nil {
			return b, err
		}
		m = strings.TrimSpace(m)
		if m == "" {
			continue
		}
		if utf8.RuneCountInString(m) > MaxMessageChars {
			return b, fieldErrf("messages."+l, "longer than %d characters", MaxMessageChars)
		}
		b.Messages[l] = m
		langs = append(langs, l)
	}
	if len(langs) == 0 {
		return b, fieldErr("messages", "write the message (at least one language)")
	}
	sort.Strings(langs)
	b.Fallback = strings.ToLower(strings.TrimSpace(req.Fallback))
	switch {
	case b.Fallback == "" && len(langs) == 1:
		b.Fallback = langs[0]
	case b.Fallback == "" && b.Messages["fr"] != "":
		b.Fallback = "fr"
	case b.Fallback == "":
		b.Fallback = langs[0]
	case b.Messages[b.Fallback] == "":
		return b, fieldErrf("fallback", "no message in %q, the fallback language", b.Fallback)
	}
	return b, nil
}

// noOneReached is the refusal (422, naming the audience's field) of a
// broadcast whose audience has no contact, or only contacts who opted out
// (skipped of them): it would be queued to no one.
func noOneReached(b Broadcast, skipped int) error {
	field := "lat"
	switch {
	case b.Group != "":
		field = "group"
	case len(b.Cells) > 0:
		field = "cells"
	case b.AdminArea != "":
		field = "admin_area"
	case b.NearPlace != "":
		field = "near_place"
	}
	why := apperr.Text("no contact with a known place is in this area: add some on the Contacts page, or choose another audience")
	switch {
	case skipped > 0:
		why = apperr.Textf("every contact in this audience opted out (%d): no one would receive the broadcast", skipped)
	case b.Group != "":
		why = apperr.Textf("no contact is in the group %q: add some on the Contacts page, or choose another audience", b.Group)
	}
	return apperr.FieldErr(apperr.KindUnprocessable, field, why)
}

// audience returns the contacts b reaches and how many of them opted out.
func (s *Service) audience(ctx context.Context, b Broadcast) ([]Contact, int, error) {
	cs, err := s.Store.Contacts(ctx, Filter{Group: b.Group})
	if err != nil {
		return nil, 0, err
	}
	in, err := s.member(ctx, b)
	if err != nil {
		return nil, 0, err
	}
	out := cs[:0]
	skipped := 0
	for _, c := range cs {
		if b.Group == "" && (c.Lat == nil || c.Lon == nil || !in(*c.Lat, *c.Lon)) {
			continue
		}
		if c.OptedOutAt != nil {
			skipped++
			continue
		}
		out = append(out, c)
	}
	return out, skipped, nil
}

// queue writes b's messages to the outbox, each in its contact's language.
func (s *Service) queue(ctx context.Context, b *Broadcast) error {
	cs, skipped, err := s.audience(ctx, *b)
	if err != nil {
		return err
	}
	return s.queueTo(ctx, b, cs, skipped)
}

// queueTo writes b's messages to the outbox for cs, its audience read now
// (skipped of it opted out).
func (s *Service) queueTo(ctx context.Context, b *Broadcast, cs []Contact, skipped int) error {
	ms := make([]Message, 0, len(cs))
	for i := range cs {
		p, err := s.Keys.Open(cs[i].PhoneSealed, []byte(AADPhone))
		if err != nil {
			return fmt.Errorf("contact %d: %w", cs[i].ID, err)
		}
		to, err := s.Keys.Seal(p, []byte(alerts.AADOutgoingTo))
		if err != nil {
			return err
		}
		text, ok := b.Messages[cs[i].Language]
		if !ok {
			text = b.Messages[b.Fallback]
		}
		ms = append(ms, Message{ContactID: cs[i].ID, UUID: randomKey(), Text: text, ToSealed: to})
	}
	b.Reach = Reach{Queued: len(ms), SkippedOptedOut: skipped}
	now := s.now()
	b.QueuedAt = &now
	return s.Store.QueueBroadcast(ctx, b, ms, now)
}

// RunDue queues the scheduled broadcasts whose time has come; opt-outs are
// read at that moment, so a contact who opted out after the broadcast was
// scheduled is not messaged. One whose audience then reaches no one is
// queued to no one: done, with 0 queued (and the opted out it skipped),
// which the lists say. Returns how many broadcasts it queued.
func (s *Service) RunDue(ctx context.Context) (int, error) {
	bs, err := s.Store.DueBroadcasts(ctx, s.now())
	if err != nil {
		return 0, err
	}
	for i := range bs {
		if err := s.queue(ctx, &bs[i]); err != nil && !errors.Is(err, ErrAlreadyQueued) {
			return i, fmt.Errorf("broadcast %d: %w", bs[i].ID, err)
		}
	}
	return len(bs), nil
}

// Run queues due broadcasts every interval until ctx ends.
func (s *Service) Run(ctx context.Context, every time.Duration, logf func(error)) {
	runEvery(ctx, every, logf, func() error {
		_, err := s.RunDue(ctx)
		return err
	})
}

// runEvery calls fn now and then every interval until ctx ends, giving its
// errors to logf (when not nil).
func runEvery(ctx context.Context, every time.Duration, logf func(error), fn func() error) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := fn(); err != nil && logf != nil {
			logf(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Get returns one broadcast with its reach.
func (s *Service) Get(ctx context.Context, id int64) (Broadcast, error) {
	b, err := s.Store.Broadcast(ctx, id)
	return s.named(ctx, b), err
}

// named is b with its cells named by place (nameCells).
func (s *Service) named(ctx context.Context, b Broadcast) Broadcast {
	bs := []Broadcast{b}
	s.nameCells(ctx, bs)
	return bs[0]
}

// List returns the latest broadcasts with their reach.
func (s *Service) ListBroadcasts(ctx context.Context, limit int) ([]Broadcast, error) {
	bs, err := s.Store.Broadcasts(ctx, limit)
	if err == nil {
		s.nameCells(ctx, bs)
	}
	return bs, err
}

// cellsAroundMax bounds the places a cells audience is named after.
const cellsAroundMax = 2

// CellsAround names grid cells (PRIO-GRID ids) by place: the places of g
// nearest their centres (within 100 km, as the pages name a cell:
// geotext.Gazetteer.Label), the one most cells are nearest first (then by
// name), at most two. nil when g is nil or no cell has a place.
func CellsAround(g *geotext.Gazetteer, cells []int) []string {
	if g == nil {
		return nil
	}
	n := map[string]int{}
	for _, c := range cells {
		lat, lon, err := grid.PrioCenter(c)
		if err != nil {
			continue
		}
		if l, ok := g.Label(lat, lon); ok {
			n[l.Place.Name]++
		}
	}
	names := slices.Collect(maps.Keys(n))
	slices.SortFunc(names, func(a, b string) int { return cmp.Or(n[b]-n[a], strings.Compare(a, b)) })
	return names[:min(len(names), cellsAroundMax)]
}

// nameCells names the cells audiences of bs by place (CellsAround), with
// the gazetteer read once; without one they are named by their count.
func (s *Service) nameCells(ctx context.Context, bs []Broadcast) {
	var g *geotext.Gazetteer
	read := false
	for i := range bs {
		if len(bs[i].Cells) == 0 {
			continue
		}
		if !read {
			g, _ = s.gazetteer(ctx) // none: named by their count
			read = true
		}
		bs[i].CellsAround = CellsAround(g, bs[i].Cells)
	}
}

// markNoOneNow marks the scheduled broadcasts of bs whose audience
// reaches no one now (NoOneNow). One whose audience cannot be read now
// (no gazetteer for its admin area) is left unmarked: a list is not
// refused for it.
func (s *Service) markNoOneNow(ctx context.Context, bs []Broadcast) error {
	for i := range bs {
		if bs[i].QueuedAt != nil {
			continue
		}
		cs, _, err := s.audience(ctx, bs[i])
		if ctx.Err() != nil {
			return ctx.Err()
		}
		bs[i].NoOneNow = err == nil && len(cs) == 0
	}
	return nil
}

// MaxCells bounds the cells of one broadcast's audience.
const MaxCells = 2000

func checkCells(cells []int) ([]int, error) {
	if len(cells) > MaxCells {
		return nil, fieldErrf("cells", "more than %d cells", MaxCells)
	}
	seen := map[int]bool{}
	var out []int
	for i, g := range cells {
		if _, _, err := grid.PrioCenter(g); err != nil {
			return nil, fieldErrf(fmt.Sprintf("cells[%d]", i), "%d is not a PRIO-GRID cell id (1 to 259200)", g)
		}
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	sort.Ints(out)
	return out, nil
}

// adminArea returns the gazetteer's spelling of a first-level admin area.
func (s *Service) adminArea(ctx context.Context, name string) (string, error) {
	g, err := s.gazetteer(ctx)
	if err != nil {
		return "", err
	}
	want := fold(name)
	for _, p := range g.Lookup(name) {
		if p.Kind == "admin1" {
			return p.Name, nil
		}
	}
	for _, p := range g.Places {
		if p.Admin1 != "" && fold(p.Admin1) == want {
			return p.Admin1, nil
		}
	}
	return "", apperr.Textf("no first-level admin area named %q in the gazetteer", name)
}

func (s *Service) gazetteer(ctx context.Context) (*geotext.Gazetteer, error) {
	if s.Places == nil {
		return nil, apperr.Text("no gazetteer loaded")
	}
	g, err := s.Places.Gazetteer(ctx)
	if err == nil && g == nil {
		err = apperr.Text("no gazetteer loaded")
	}
	return g, err
}

// member returns whether a point is in b's area: within its radius, in
// one of its cells, or in its admin area (that of the nearest named place,
// within 100 km: the gazetteer has points, not boundaries).
func (s *Service) member(ctx context.Context, b Broadcast) (func(lat, lon float64) bool, error) {
	switch {
	case len(b.Cells) > 0:
		set := map[int]bool{}
		for _, c := range b.Cells {
			set[c] = true
		}
		return func(lat, lon float64) bool {
			g, err := grid.PrioGID(lat, lon)
			return err == nil && set[g]
		}, nil
	case b.AdminArea != "":
		g, err := s.gazetteer(ctx)
		if err != nil {
			return nil, fmt.Errorf("broadcast %d to %s: %w", b.ID, b.AdminArea, err)
		}
		want := fold(b.AdminArea)
		return func(lat, lon float64) bool {
			l, ok := g.Label(lat, lon)
			return ok && fold(l.Place.Admin1) == want
		}, nil
	case b.Lat != nil && b.Lon != nil:
		return func(lat, lon float64) bool { return geo.DistanceKM(*b.Lat, *b.Lon, lat, lon) <= b.RadiusKM }, nil
	}
	return func(float64, float64) bool { return false }, nil
}
