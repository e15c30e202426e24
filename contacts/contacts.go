// Package contacts keeps the community contacts a mission talks with (phones sealed, language, area, groups, consent, opt-out by reply) and sends them broadcasts through the alert gateways' outbox.
package contacts

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/internal/apperr"
)

// AAD strings bind each sealed value to its use.
const (
	AADPhone = "contacts.phone"
	AADName  = "contacts.name"
)

// Contact is one person (or radio station) the mission may message.
type Contact struct {
	ID          int64      `json:"id"`
	PhoneSealed []byte     `json:"-"`
	PhoneMAC    string     `json:"-"`
	NameSealed  []byte     `json:"-"`
	Phone       string     `json:"-"` // clear, in memory only
	Name        string     `json:"-"` // clear, in memory only
	PhoneMasked string     `json:"phone"`
	NameMasked  string     `json:"name"`
	Language    string     `json:"language"`
	Place       string     `json:"place,omitempty"`
	Lat         *float64   `json:"lat,omitempty"`
	Lon         *float64   `json:"lon,omitempty"`
	Groups      []string   `json:"groups"`
	Consent     Consent    `json:"consent"`
	OptedOutAt  *time.Time `json:"opted_out_at,omitempty"`
	OptOutHow   string     `json:"opt_out_how,omitempty"`
	Created     time.Time  `json:"created"`
	// Demo marks a fictitious contact of serve --demo (+000 numbers).
	Demo bool `json:"demo,omitempty"`

	// Near names where a contact given by coordinates is, by the nearest
	// notable place ("near Bunia, Ituri (DR Congo)"), in English and
	// French, for lists; empty without a gazetteer or a place within
	// 100 km.
	Near   string `json:"near,omitempty"`
	NearFR string `json:"near_fr,omitempty"`
}

// Audience is whom a broadcast reaches, one of: a Group; every contact
// within RadiusKM of NearPlace (a gazetteer name) or of (Lat, Lon); every
// contact in these PRIO-GRID Cells; or in this first-level AdminArea (named
// in the gazetteer). A request and the broadcast it makes share it.
type Audience struct {
	Group     string   `json:"group,omitempty"`
	NearPlace string   `json:"near_place,omitempty"`
	Lat       *float64 `json:"lat,omitempty"`
	Lon       *float64 `json:"lon,omitempty"`
	RadiusKM  float64  `json:"radius_km,omitempty"`
	Cells     []int    `json:"cells,omitempty"`
	AdminArea string   `json:"admin_area,omitempty"`
	// AdminAreaFR is AdminArea's French name where French writes it
	// otherwise (North Darfur: Darfour-Nord), in answers only: a request's
	// is ignored (AdminAreaFR, set from AdminArea).
	AdminAreaFR string `json:"admin_area_fr,omitempty"`
}

// AdminAreaFR is the French name of the first-level area name where it
// differs from name (geotext.UnitName), "" otherwise.
func AdminAreaFR(name string) string {
	if fr := geotext.UnitName(name, "fr"); fr != name {
		return fr
	}
	return ""
}

// Consent records how a contact agreed to be messaged.
type Consent struct {
	At  time.Time `json:"at"`
	How string    `json:"how"` // e.g. "verbal, community meeting", "signed form", "sms"
	By  string    `json:"by"`  // who recorded it
}

// Broadcast is one message to an audience, in each contact's language.
type Broadcast struct {
	ID        int64  `json:"id"`
	ChannelID int64  `json:"channel_id"`
	Actor     string `json:"actor"`
	Audience
	// Messages is the text per language; Fallback names the language used
	// for contacts whose own language has no text.
	Messages    map[string]string `json:"messages"`
	Fallback    string            `json:"fallback"`
	ScheduledAt time.Time         `json:"scheduled_at"`
	QueuedAt    *time.Time        `json:"queued_at,omitempty"`
	// SentAt is when the last of its messages was handed to a gateway;
	// nil until one is.
	SentAt  *time.Time `json:"sent_at,omitempty"`
	Reach   Reach      `json:"reach"`
	Created time.Time  `json:"created"`
	// Check is the narrative whose check (integrity) the broadcast
	// answers: sent from it or linked to it afterwards; 0 none.
	Check int64 `json:"check,omitempty"`
	// NoOneNow says that a scheduled broadcast's audience reaches no one
	// now (nobody in it, or everyone in it opted out): accepted all the
	// same, as the audience is read again when it is due (a group filled
	// before then). Set in Send's answer and the list (RecentBroadcasts),
	// never stored.
	NoOneNow bool `json:"no_one_now,omitempty"`
	// CellsAround names an audience of grid cells by place: the
	// gazetteer places nearest the cells' centres, the one most of them
	// are nearest first (CellsAround). Filled when read, never stored;
	// empty with no gazetteer or no place within 100 km.
	CellsAround []string `json:"cells_around,omitempty"`
}

// Reach counts what a broadcast did.
type Reach struct {
	Queued int `json:"queued"` // messages put in the gateway's outbox
	// Sent are handed to the gateway; Withheld were queued but their
	// contact opted out before the gateway took them (never sent).
	Sent     int `json:"sent"`
	Withheld int `json:"withheld"`
	// Delivered and Failed are what the gateways reported (delivery
	// receipts; failed includes undelivered and messages the gateway
	// refused or that failed every try).
	Delivered int `json:"delivered"`
	Failed    int `json:"failed"`
	// SkippedOptedOut were in the audience but had opted out at queue time.
	SkippedOptedOut int `json:"skipped_opted_out"`
	// Pending are queued and still waiting for a gateway: not sent, not
	// failed, their contact not opted out. A queued broadcast with none
	// pending is done.
	Pending int `json:"pending"`
	// Retrying are pending after a failed try: the gateway did not take
	// them yet and they will be tried again (Service.Failures says why).
	Retrying int `json:"retrying"`
}

// Message is one queued SMS of a broadcast (recipient sealed for the
// outbox under the alerts outbox's AAD).
type Message struct {
	ContactID int64
	UUID      string
	Text      string
	ToSealed  []byte
}

// Filter selects contacts.
type Filter struct {
	Group      string
	ActiveOnly bool // not opted out
	Limit      int  // 0: all
}

// Store persists contacts and broadcasts. Every change writes its audit
// entry in the same transaction; audit entries carry counts and ids, never
// numbers or names.
type Store interface {
	// CreateContacts stores cs in one transaction (all or none); a number
	// already stored (same PhoneMAC) fails with ErrDuplicate naming its
	// index in cs. IDs are set on success. A number that opted out while
	// no contact had it (OptOut, found false) makes its contact opted out
	// with that opt-out's time and words (OptedOutAt, OptOutHow set on
	// success), audited "contacts.opt-out" of the contact; an opt-in
	// (UpdateContact) clears both.
	CreateContacts(ctx context.Context, actor string, cs []*Contact) error
	Contacts(ctx context.Context, f Filter) ([]Contact, error)
	// Contact reads contact id (sealed, as Contacts lists it); an
	// unknown id fails with ErrNoContact.
	Contact(ctx context.Context, id int64) (Contact, error)
	// UpdateContact replaces the number, name, language, place, groups
	// and consent of contact c.ID and audits it ("contacts.edit", detail
	// without the number); optIn also clears its opt-out (and a kept
	// opt-out of its number) and audits "contacts.opt-in", sending none
	// of the replies and answers queued while it was opted out (they
	// stay withheld, alerts.WithheldStatus). A contact opted out whose
	// number changes (in any edit, an opt-in's too) leaves its old number
	// opted out, kept as a number that is no contact's (as OptOut keeps
	// one, audited the same). Without optIn, a new number that opted out
	// while no contact had it makes the contact opted out, as
	// CreateContacts does (OptedOutAt, OptOutHow set on c). A number
	// another contact has fails with ErrDuplicate (Index 0); an unknown
	// id with ErrNoContact.
	UpdateContact(ctx context.Context, actor string, c *Contact, optIn bool, detail string) error
	// OptOut marks the contact with this phone MAC opted out at at (once:
	// a second opt-out changes nothing) and audits it. found is false when
	// no contact has that number (the number's MAC is then kept as opted out).
	OptOut(ctx context.Context, actor, phoneMAC, how string, at time.Time) (id int64, found bool, err error)
	// ContactLanguage is the language of the contact with this phone MAC
	// ("" when no contact has that number).
	ContactLanguage(ctx context.Context, phoneMAC string) (string, error)
	// OptedOut reports whether the number with this phone MAC opted out,
	// as a contact or by an opt-out reply from a number that is not a
	// contact (a tipline sender; OptOut keeps its MAC, found false).
	OptedOut(ctx context.Context, phoneMAC string) (bool, error)
	// SaveBroadcast stores a broadcast not yet queued (a scheduled one).
	SaveBroadcast(ctx context.Context, b *Broadcast) error
	// QueueBroadcast writes the messages to the outbox of b's channel,
	// marks b queued with its counts (inserting b first when its ID is 0)
	// and audits the recipients' count, in one transaction.
	QueueBroadcast(ctx context.Context, b *Broadcast, ms []Message, now time.Time) error
	// DueBroadcasts lists broadcasts not queued whose time is at or before now.
	DueBroadcasts(ctx context.Context, now time.Time) ([]Broadcast, error)
	Broadcast(ctx context.Context, id int64) (Broadcast, error)
	Broadcasts(ctx context.Context, limit int) ([]Broadcast, error)
}

// DuplicateError is a number already stored, at Index of the batch.
type DuplicateError struct{ Index int }

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("contact %d: this phone number is already a contact", e.Index+1)
}

// fieldErr is bad input naming the field (or FILE:LINE: field for an
// import); the API answers it 400 with the field.
func fieldErr(field, msg string) error { return fieldErrOf(field, apperr.Text(msg)) }

// fieldErrf is fieldErr with a formatted message.
func fieldErrf(field, format string, a ...any) error {
	return fieldErrOf(field, apperr.Textf(format, a...))
}

// placeRE reads an import's place in a field: FILE:LINE[: COLUMN].
var placeRE = regexp.MustCompile(`^(.+):(\d+)(?:: (.+))?$`)

// fieldErrOf is fieldErr with why's text, said by the catalog when why
// carries a message (Refusals): at an import's FILE:LINE[: COLUMN] as the
// place in words ("fichier f.csv, ligne 3, colonne phone : …").
func fieldErrOf(field string, why error) error {
	e := apperr.FieldErr(apperr.KindInvalid, field, why)
	if g := placeRE.FindStringSubmatch(field); g != nil {
		line, _ := strconv.Atoi(g[2])
		if m, ok := apperr.MessageOf(apperr.AtText(g[1], line, g[3], why)); ok && m.Text("en") == e.Error() {
			e.Key, e.Args = m.Key, m.Args
		}
	}
	return e
}

// Languages are the contact languages accepted (ISO 639-1).
var Languages = []string{"en", "fr", "ar", "sw", "ln", "bm", "ha", "pt", "es", "so", "am", "ff", "wo", "sg"}

func checkLanguage(field, l string) error {
	for _, x := range Languages {
		if x == l {
			return nil
		}
	}
	return fieldErrf(field, "%q is not a language code Vigil knows (%s)", l, strings.Join(Languages, ", "))
}

// NormalizePhone keeps digits and a leading '+'; it fails on numbers too
// short or too long to be phone numbers (E.164 has at most 15 digits).
func NormalizePhone(p string) (string, error) {
	var b strings.Builder
	digits := 0
	for i, r := range strings.TrimSpace(p) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
			digits++
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		default:
			return "", apperr.Textf("%q is not a phone number (digits, spaces, dashes and a leading + only)", p)
		}
	}
	if digits < 6 || digits > 15 {
		return "", apperr.Textf("a phone number has 6 to 15 digits, this one has %d", digits)
	}
	return b.String(), nil
}

// ErrAlreadyQueued is returned by QueueBroadcast for a scheduled broadcast
// another server (or run) queued first.
var ErrAlreadyQueued = errors.New("broadcast already queued")
