package contacts

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/geo"
)

// Places resolves place names (the gazetteer index).
type Places interface {
	Gazetteer(ctx context.Context) (*geotext.Gazetteer, error)
}

// DefaultOptOutWords are the replies that opt a contact out, by language;
// every list is honoured whatever the contact's language.
var DefaultOptOutWords = map[string][]string{
	"en": {"STOP", "UNSUBSCRIBE"},
	"fr": {"ARRET", "ARRETER", "STOP"},
}

// Service is the contacts capability.
type Service struct {
	Store  Store
	Keys   *crypt.Keyring
	Places Places // nil: place names are refused, coordinates only
	// Channels lists the gateways (nil: none listed).
	Channels ChannelLister
	// GatewayChanged, when set, is told that SetGateway saved a channel's
	// settings: a new secret, that the alert intake stops taking the old
	// one at once; sending settings, which decide what can answer a web
	// form's sender (alerts.Service.AnswersBySMS) (alerts.Service.ForgetChannels;
	// web.Server sets it).
	GatewayChanged func()
	// OptOutWords are the opt-out replies per language (matched whole,
	// ignoring case, accents and punctuation); nil means DefaultOptOutWords.
	OptOutWords map[string][]string
	Now         func() time.Time

	// Pushing to Twilio and webhook gateways (gateway.go): HTTP is the
	// client (nil: a guarded default); BaseURL the server's public address
	// for delivery receipts ("" : none asked); MaxAttempts, Backoff and
	// Lease (how long a push in progress holds its message) default to
	// DefaultMaxAttempts, DefaultBackoff and DefaultLease.
	HTTP        *http.Client
	BaseURL     string
	MaxAttempts int
	Backoff     time.Duration
	Lease       time.Duration

	pollMu   sync.Mutex
	lastPoll map[int64]time.Time // SMSSync polls, for PollLimit
	pushOnce sync.Once
	pushHTTP *http.Client // the default push client (httpClient)
}

// NewService returns a service with the defaults.
func NewService(st Store, keys *crypt.Keyring) *Service {
	return &Service{Store: st, Keys: keys, Now: time.Now}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// PhoneMAC is the keyed hash that finds a contact by number.
func (s *Service) PhoneMAC(normalized string) string {
	m := hmac.New(sha256.New, s.Keys.MACKey("contacts phone"))
	m.Write([]byte(normalized))
	return hex.EncodeToString(m.Sum(nil))
}

// Input is a contact as given by a person (form, API or CSV row).
type Input struct {
	Phone    string   `json:"phone"`
	Name     string   `json:"name"`
	Language string   `json:"language"`
	Groups   []string `json:"groups"`
	Place    string   `json:"place"`
	Lat      *float64 `json:"lat"`
	Lon      *float64 `json:"lon"`
	// ConsentHow says how the person agreed ("verbal, community meeting").
	ConsentHow string `json:"consent_how"`
}

// prepare validates in and seals it; where prefixes field names (FILE:LINE
// for an import).
func (s *Service) prepare(ctx context.Context, actor, where string, in Input, now time.Time, gz **geotext.Gazetteer) (*Contact, error) {
	f := func(field string) string {
		if where == "" {
			return field
		}
		return where + ": " + field
	}
	p, err := NormalizePhone(in.Phone)
	if err != nil {
		return nil, fieldErrOf(f("phone"), err)
	}
	name := strings.TrimSpace(in.Name)
	if utf8.RuneCountInString(name) > 200 {
		return nil, fieldErr(f("name"), "longer than 200 characters")
	}
	if strings.ContainsFunc(name, func(r rune) bool { return unicode.IsControl(r) }) {
		return nil, fieldErr(f("name"), "control characters are not allowed")
	}
	lang := strings.ToLower(strings.TrimSpace(in.Language))
	if lang == "" {
		lang = "fr"
	}
	if err := checkLanguage(f("language"), lang); err != nil {
		return nil, err
	}
	var groups []string
	for _, g := range in.Groups {
		g = strings.ToLower(strings.TrimSpace(g))
		if g == "" {
			continue
		}
		if err := checkGroup(g); err != nil {
			return nil, fieldErrOf(f("groups"), err)
		}
		if !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	sort.Strings(groups)
	how := strings.TrimSpace(in.ConsentHow)
	if how == "" {
		return nil, fieldErr(f("consent_how"), "say how the person agreed to be messaged (e.g. \"verbal, community meeting\")")
	}
	if utf8.RuneCountInString(how) > 200 {
		return nil, fieldErr(f("consent_how"), "longer than 200 characters")
	}
	c := &Contact{Phone: p, Name: name, Language: lang, Groups: groups, PhoneMAC: s.PhoneMAC(p),
		Consent: Consent{At: now, How: how, By: actor}, Created: now}
	switch {
	case in.Lat != nil || in.Lon != nil:
		if in.Lat == nil || in.Lon == nil {
			return nil, fieldErr(f("lat"), "give both lat and lon")
		}
		if err := checkLatLon(*in.Lat, *in.Lon); err != nil {
			return nil, fieldErrOf(f("lat"), err)
		}
		la, lo := *in.Lat, *in.Lon
		c.Lat, c.Lon, c.Place = &la, &lo, strings.TrimSpace(in.Place)
	case strings.TrimSpace(in.Place) != "":
		la, lo, err := s.resolve(ctx, strings.TrimSpace(in.Place), gz)
		if err != nil {
			return nil, fieldErrOf(f("place"), err)
		}
		c.Lat, c.Lon, c.Place = &la, &lo, strings.TrimSpace(in.Place)
	}
	if c.PhoneSealed, err = s.Keys.Seal([]byte(p), []byte(AADPhone)); err != nil {
		return nil, err
	}
	if name != "" {
		if c.NameSealed, err = s.Keys.Seal([]byte(name), []byte(AADName)); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func checkGroup(g string) error {
	if len(g) > 60 {
		return apperr.Textf("group %q is longer than 60 bytes", g)
	}
	for _, r := range g {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == ' ') {
			return apperr.Textf("group %q: letters, digits, spaces, - and _ only", g)
		}
	}
	return nil
}

func checkLatLon(la, lo float64) error {
	if math.IsNaN(la) || math.IsNaN(lo) || la < -90 || la > 90 || lo < -180 || lo > 180 {
		return apperr.Textf("%v,%v is not a latitude,longitude", la, lo)
	}
	return nil
}

// resolve finds a place by name; several places of that name more than
// 10 km apart are refused as ambiguous (a broadcast must not go to the
// wrong town).
func (s *Service) resolve(ctx context.Context, name string, gz **geotext.Gazetteer) (float64, float64, error) {
	if *gz == nil {
		if s.Places == nil {
			return 0, 0, apperr.Textf("no gazetteer loaded: give lat and lon instead of %q", name)
		}
		g, err := s.Places.Gazetteer(ctx)
		if err != nil {
			return 0, 0, err
		}
		if g == nil {
			return 0, 0, apperr.Textf("no gazetteer loaded: give lat and lon instead of %q", name)
		}
		*gz = g
	}
	ps := (*gz).Lookup(name)
	if len(ps) == 0 {
		return 0, 0, apperr.Textf("no place named %q in the gazetteer: check the spelling or give lat and lon", name)
	}
	best := ps[0]
	for _, p := range ps[1:] {
		if p.Population > best.Population {
			best = p
		}
	}
	for _, p := range ps {
		if geo.DistanceKM(p.Lat, p.Lon, best.Lat, best.Lon) > 10 {
			return 0, 0, apperr.Textf("%d places are named %q, more than 10 km apart: give lat and lon", len(ps), name)
		}
	}
	return best.Lat, best.Lon, nil
}

// Create stores one contact, consent recorded as given by actor now.
func (s *Service) Create(ctx context.Context, actor string, in Input) (Contact, error) {
	var gz *geotext.Gazetteer
	c, err := s.prepare(ctx, actor, "", in, s.now(), &gz)
	if err != nil {
		return Contact{}, err
	}
	if err := s.Store.CreateContacts(ctx, actor, []*Contact{c}); err != nil {
		if _, ok := err.(*DuplicateError); ok {
			return Contact{}, apperr.FieldErr(apperr.KindConflict, "phone", apperr.Text("this phone number is already a contact"))
		}
		return Contact{}, err
	}
	return masked(*c), nil
}

// Edit is a PATCH /api/v1/contacts/{id}: a partial update. A field
// absent from the JSON keeps its value; a field present is set, checked
// as an import's row. Clearable fields (name, groups, place with lat and
// lon) are cleared by JSON null or an empty value ("", []). The number,
// the language and the consent cannot be cleared: null or "" keeps them;
// a new ConsentHow records a new consent (by the editor, now). Place,
// lat and lon are one location: any of them present replaces it as a
// whole (a place name alone is looked up; lat and lon go together).
// OptIn opts a contact who opted out in again, and needs a new
// ConsentHow.
type Edit struct {
	Phone      Change[string]   `json:"phone"`
	Name       Change[string]   `json:"name"`
	Language   Change[string]   `json:"language"`
	Groups     Change[[]string] `json:"groups"`
	Place      Change[string]   `json:"place"`
	Lat        Change[*float64] `json:"lat"`
	Lon        Change[*float64] `json:"lon"`
	ConsentHow Change[string]   `json:"consent_how"`
	OptIn      bool             `json:"opt_in"`
}

// Change is one field of an Edit: Set when the JSON has it (JSON null
// sets the zero value), V its value.
type Change[T any] struct {
	Set bool
	V   T
}

// To is a Change that sets v.
func To[T any](v T) Change[T] { return Change[T]{Set: true, V: v} }

// UnmarshalJSON records that the field is present (null: the zero value).
func (c *Change[T]) UnmarshalJSON(b []byte) error {
	c.Set = true
	var zero T
	c.V = zero
	if string(bytes.TrimSpace(b)) == "null" {
		return nil
	}
	return json.Unmarshal(b, &c.V)
}

// MarshalJSON writes the value (an unset Change is its zero value).
func (c Change[T]) MarshalJSON() ([]byte, error) { return json.Marshal(c.V) }

// Update edits contact id (Edit), audited with the names of the fields
// changed, never the number nor the name; the answer has the number and
// name masked.
func (s *Service) Update(ctx context.Context, actor string, id int64, e Edit) (Contact, error) {
	cur, err := s.Store.Contact(ctx, id)
	if err != nil {
		return Contact{}, err
	}
	if err := s.open(&cur); err != nil {
		return Contact{}, err
	}
	// The contact as it is, then each field the edit has.
	in := Input{Phone: cur.Phone, Name: cur.Name, Language: cur.Language, Groups: cur.Groups,
		Place: cur.Place, Lat: cur.Lat, Lon: cur.Lon, ConsentHow: cur.Consent.How}
	if e.Phone.Set && strings.TrimSpace(e.Phone.V) != "" {
		in.Phone = e.Phone.V
	}
	if e.Name.Set {
		in.Name = e.Name.V
	}
	if e.Language.Set && strings.TrimSpace(e.Language.V) != "" {
		in.Language = e.Language.V
	}
	if e.Groups.Set {
		in.Groups = e.Groups.V
	}
	if e.Place.Set || e.Lat.Set || e.Lon.Set {
		in.Place, in.Lat, in.Lon = e.Place.V, e.Lat.V, e.Lon.V
	}
	newConsent := e.ConsentHow.Set && strings.TrimSpace(e.ConsentHow.V) != ""
	optIn := e.OptIn && cur.OptedOutAt != nil
	if optIn && !newConsent {
		return Contact{}, fieldErr("consent_how", "this contact opted out: to opt them in again, record how the person agreed again")
	}
	if newConsent {
		in.ConsentHow = e.ConsentHow.V
	}
	var gz *geotext.Gazetteer
	c, err := s.prepare(ctx, actor, "", in, s.now(), &gz)
	if err != nil {
		return Contact{}, err
	}
	if !newConsent {
		c.Consent = cur.Consent
	}
	c.ID, c.Created, c.Demo = cur.ID, cur.Created, cur.Demo
	if !optIn {
		c.OptedOutAt, c.OptOutHow = cur.OptedOutAt, cur.OptOutHow
	}
	var what []string
	for _, f := range []struct {
		name    string
		changed bool
	}{
		{"number", c.PhoneMAC != cur.PhoneMAC},
		{"name", c.Name != cur.Name},
		{"language", c.Language != cur.Language},
		{"groups", !slices.Equal(c.Groups, cur.Groups)},
		{"place", c.Place != cur.Place || !samePoint(c.Lat, cur.Lat) || !samePoint(c.Lon, cur.Lon)},
		{"consent", newConsent},
	} {
		if f.changed {
			what = append(what, f.name)
		}
	}
	detail := "nothing changed"
	if len(what) > 0 {
		detail = "changed: " + strings.Join(what, ", ")
	}
	if err := s.Store.UpdateContact(ctx, actor, c, optIn, detail); err != nil {
		if _, ok := err.(*DuplicateError); ok {
			return Contact{}, apperr.FieldErr(apperr.KindConflict, "phone", apperr.Text("this phone number is already a contact"))
		}
		return Contact{}, err
	}
	return masked(*c), nil
}

func samePoint(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// Import stores every row or none: the first bad row fails the import
// (its error names FILE:LINE and the field).
func (s *Service) Import(ctx context.Context, actor string, rows []Row) (int, error) {
	now := s.now()
	var gz *geotext.Gazetteer
	cs := make([]*Contact, 0, len(rows))
	seen := map[string]string{}
	for _, r := range rows {
		c, err := s.prepare(ctx, actor, r.Where, r.Input, now, &gz)
		if err != nil {
			return 0, err
		}
		if prev, ok := seen[c.PhoneMAC]; ok {
			return 0, fieldErrf(r.Where+": phone", "the same number as %s", prev)
		}
		seen[c.PhoneMAC] = r.Where
		cs = append(cs, c)
	}
	if err := s.Store.CreateContacts(ctx, actor, cs); err != nil {
		if d, ok := err.(*DuplicateError); ok && d.Index < len(rows) {
			return 0, fieldErr(rows[d.Index].Where+": phone", "this phone number is already a contact")
		}
		return 0, err
	}
	return len(cs), nil
}

// List returns contacts with phones and names masked.
func (s *Service) List(ctx context.Context, f Filter) ([]Contact, error) {
	cs, err := s.Store.Contacts(ctx, f)
	if err != nil {
		return nil, err
	}
	var g *geotext.Gazetteer
	if s.Places != nil {
		if g, err = s.Places.Gazetteer(ctx); err != nil {
			return nil, err
		}
	}
	for i := range cs {
		if err := s.open(&cs[i]); err != nil {
			return nil, err
		}
		cs[i] = masked(cs[i])
		if c := &cs[i]; c.Lat != nil && c.Lon != nil {
			if l, ok := g.Label(*c.Lat, *c.Lon); ok {
				c.Near, c.NearFR = l.Text("en"), l.Text("fr")
			}
		}
	}
	return cs, nil
}

func (s *Service) open(c *Contact) error {
	p, err := s.Keys.Open(c.PhoneSealed, []byte(AADPhone))
	if err != nil {
		return fmt.Errorf("contact %d: %w", c.ID, err)
	}
	c.Phone = string(p)
	if len(c.NameSealed) > 0 {
		n, err := s.Keys.Open(c.NameSealed, []byte(AADName))
		if err != nil {
			return fmt.Errorf("contact %d: %w", c.ID, err)
		}
		c.Name = string(n)
	}
	return nil
}

// masked drops the clear fields and fills the masked ones.
func masked(c Contact) Contact {
	c.PhoneMasked, c.NameMasked = MaskPhone(c.Phone, c.PhoneMAC), alerts.MaskName(c.Name)
	c.Phone, c.Name = "", ""
	if c.Groups == nil {
		c.Groups = []string{}
	}
	return c
}

// IsOptOut reports whether message is an opt-out reply: one of the
// configured words alone, ignoring case, accents and punctuation.
func (s *Service) IsOptOut(message string) bool {
	_, ok := s.optOutLang(message)
	return ok
}

// optOutLang is the language of the opt-out word message is ("" for a
// word of several languages, such as STOP), ok false when it is none.
func (s *Service) optOutLang(message string) (lang string, ok bool) {
	w := fold(message)
	if w == "" {
		return "", false
	}
	words := s.OptOutWords
	if words == nil {
		words = DefaultOptOutWords
	}
	for l, ws := range words {
		for _, x := range ws {
			if fold(x) != w {
				continue
			}
			if ok && lang != l {
				return "", true
			}
			lang, ok = l, true
		}
	}
	return lang, ok
}

// fold is the gazetteer's folding (case, accents, punctuation).
func fold(s string) string { return geotext.Fold(s) }

// InboundSMS honours an opt-out reply from a contact's number at once
// (alerts.InboundHook) and answers it, with the language of its word; a
// word of several languages (STOP) or of one the service does not answer
// in, in the contact's language. Other
// messages change nothing (nil). Contact is set when the number is a
// contact's: intake then files no alert for it.
func (s *Service) InboundSMS(ctx context.Context, from, message string) (*alerts.OptOut, error) {
	lang, ok := s.optOutLang(message)
	if !ok {
		return nil, nil
	}
	p, err := NormalizePhone(senderNumber(from))
	if err != nil {
		return nil, nil // not a number a contact can have
	}
	mac := s.PhoneMAC(p)
	_, found, err := s.Store.OptOut(ctx, "sms-reply", mac, "reply: "+fold(message), s.now())
	if err != nil {
		return nil, err
	}
	if found && !slices.Contains(alerts.ReplyLangs, lang) {
		// A word of several languages (STOP), or of one the service does
		// not answer in: the contact's language when it answers in it.
		// The answer's language only: a failed read leaves it to the
		// message and the mission (alerts.ReplyLang).
		if l, _ := s.Store.ContactLanguage(ctx, mac); slices.Contains(alerts.ReplyLangs, l) {
			lang = l
		}
	}
	return &alerts.OptOut{Lang: lang, Contact: found}, nil
}

func randomKey() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// ChannelLister lists the gateway channels (the alerts store).
type ChannelLister interface {
	Channels(ctx context.Context) ([]alerts.Channel, error)
}

// Gateway is a channel a broadcast can go through (no secret, no key).
type Gateway struct {
	ID       int64   `json:"id"`
	Name     string  `json:"name"`
	Kind     string  `json:"kind"`
	RatePerS float64 `json:"rate_per_s"`
	// Ready: the gateway can send (SMSSync always; Twilio with its account
	// and sender number set; a webhook with its URL set).
	Ready      bool   `json:"ready"`
	SendURL    string `json:"send_url,omitempty"`
	AccountSID string `json:"account_sid,omitempty"`
	From       string `json:"from,omitempty"`
	// Paused, MaxAttempts (0: the server's default) and HasSecret (a
	// secret is set; the secret itself never leaves the server).
	Paused      bool `json:"paused"`
	MaxAttempts int  `json:"max_attempts"`
	HasSecret   bool `json:"has_secret"`
}

// Gateways lists the enabled channels that can carry messages (SMSSync,
// Twilio, webhook) with their sending settings; Ready says which can send now.
func (s *Service) Gateways(ctx context.Context) ([]Gateway, error) {
	if s.Channels == nil {
		return []Gateway{}, nil
	}
	chs, err := s.Channels.Channels(ctx)
	if err != nil {
		return nil, err
	}
	set, err := s.settings(ctx)
	if err != nil {
		return nil, err
	}
	out := []Gateway{}
	for _, c := range chs {
		if c.Disabled || c.Kind == alerts.Web {
			continue
		}
		g, ok := set[c.ID]
		rate := g.RatePerS
		if rate == 0 {
			rate = DefaultRatePerS
		}
		out = append(out, Gateway{ID: c.ID, Name: c.Name, Kind: string(c.Kind), RatePerS: rate, Ready: ready(c, g, ok),
			SendURL: g.SendURL, AccountSID: g.AccountSID, From: g.From, Paused: g.Paused, MaxAttempts: g.MaxAttempts, HasSecret: len(c.SecretSealed) > 0 || c.Secret != ""})
	}
	return out, nil
}

// MaskPhone masks a contact's number for lists and answers: its last
// three digits (two when it has fewer than nine) and the number's
// punctuation, every other character masked, then a tag: the first four
// hex digits of the number's keyed hash (mac, PhoneMAC) ("+243810000001"
// → "+•••••••••001 #5c1e"). Two contacts whose numbers end alike are
// told apart by the tag, which is stable for a number (under one key)
// and says nothing of it: it is a keyed hash, so it can only be checked
// by someone holding the server's key, who can read the number anyway.
// The last two digits alone (alerts.MaskPhone) made 1 in 100 pairs look
// alike.
func MaskPhone(phone, mac string) string {
	digits := 0
	for _, r := range phone {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	show := 2
	if digits >= 9 {
		show = 3
	}
	out := alerts.MaskDigits(phone, show)
	if len(mac) >= 4 {
		return out + " #" + mac[:4]
	}
	return out
}
