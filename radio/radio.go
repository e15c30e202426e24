// Package radio writes plain-text scripts a radio station can read on air from the mission's responses: a published fact-check or a broadcast message, in English or French.
package radio

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/lang"
)

// FactChecks finds a published fact-check (integrity.Service).
type FactChecks interface {
	FactCheck(ctx context.Context, slug string) (integrity.Check, error)
}

// Broadcasts finds a broadcast (contacts.Service).
type Broadcasts interface {
	Get(ctx context.Context, id int64) (contacts.Broadcast, error)
}

// DefaultHelp is where listeners get help, by language, when the mission
// has not said.
var DefaultHelp = map[string]string{
	"en": "If you are in danger or have seen violence, call the community alert network or go to the nearest mission base. If you hear a rumour, check it before you share it: send it to the mission's tipline.",
	"fr": "Si vous êtes en danger ou avez été témoin de violences, appelez le réseau d’alerte communautaire ou rendez-vous à la base de la mission la plus proche. Si vous entendez une rumeur, vérifiez-la avant de la partager\u00a0: envoyez-la à la ligne de signalement de la mission.",
}

// Service writes radio scripts.
type Service struct {
	Checks     FactChecks // nil: no fact-check scripts
	Broadcasts Broadcasts // nil: no broadcast scripts
	Mission    string
	// Help is where to get help, by language ("en", "fr"); nil: DefaultHelp.
	Help map[string]string
}

// Script is one radio script: its text and a file name for it.
type Script struct {
	Name string
	Text string
}

var words = map[string]map[string]string{
	"en": {"head": "RADIO SCRIPT", "factcheck": "FACT-CHECK", "broadcast": "MESSAGE TO THE COMMUNITY", "date": "Date:",
		"title": "Title:", "read": "[READ ON AIR]", "end": "[END]", "heard": "You may have heard this:", "true": "What is true:",
		"message": "The message:", "help": "Where to get help:", "by": "This message comes from %s, on %s.",
		"false": "This is false.", "misleading": "This is misleading.", "true_r": "This is true.", "unverifiable": "This could not be verified.",
		"titleF": "%s — %s", "titleB": "A message to the community"},
	"fr": {"head": "TEXTE POUR LA RADIO", "factcheck": "VÉRIFICATION DES FAITS", "broadcast": "MESSAGE À LA COMMUNAUTÉ", "date": "Date\u00a0:",
		"title": "Titre\u00a0:", "read": "[À LIRE À L’ANTENNE]", "end": "[FIN]", "heard": "Vous avez peut-être entendu ceci\u00a0:", "true": "Ce qui est vrai\u00a0:",
		"message": "Le message\u00a0:", "help": "Où trouver de l’aide\u00a0:", "by": "Ce message vous est transmis par %s, le %s.",
		"false": "C’est faux.", "misleading": "C’est trompeur.", "true_r": "C’est vrai.", "unverifiable": "Cela n’a pas pu être vérifié.",
		"titleF": "%s — %s", "titleB": "Un message à la communauté"},
}

// clean keeps a text on the lines of a script: control characters become
// spaces, runs of spaces one (no-break spaces are kept: « 10 h », « : »).
func clean(s string) string {
	return strings.Join(strings.FieldsFunc(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s), integrity.BreakingSpace), " ")
}

// mission is who the script says it comes from, in l: the configured
// name, else the default's name in l (a French script read on air named
// "United Nations peace operation").
func (s *Service) mission(l string) string {
	if m := clean(s.Mission); m != "" {
		return m
	}
	if l == "fr" {
		return integrity.DefaultMissionFR
	}
	return integrity.DefaultMission
}

func (s *Service) help(lang string) string {
	if h := clean(s.Help[lang]); h != "" {
		return h
	}
	return DefaultHelp[lang]
}

// write lays a script out: heading, title, date, then what to read.
func (s *Service) write(l, kind, title string, date time.Time, body []string) string {
	w := words[l]
	var b strings.Builder
	fmt.Fprintf(&b, "%s — %s\n%s\n%s %s\n\n%s %s\n\n%s\n\n", w["head"], w[kind], s.mission(l), w["date"], lang.Day(date, l), w["title"], title, w["read"])
	for _, p := range body {
		b.WriteString(p + "\n\n")
	}
	fmt.Fprintf(&b, "%s %s\n\n%s\n\n%s\n", w["help"], s.help(l), fmt.Sprintf(w["by"], s.mission(l), lang.Day(date, l)), w["end"])
	return b.String()
}

// FactCheck is the script of the published fact-check slug in lang.
func (s *Service) FactCheck(ctx context.Context, slug, lang string) (Script, error) {
	if s.Checks == nil {
		return Script{}, fmt.Errorf("radio: no fact-checks")
	}
	lang = integrity.Lang(lang)
	c, err := s.Checks.FactCheck(ctx, slug)
	if err != nil {
		return Script{}, err
	}
	w := words[lang]
	truth := c.SummaryEN
	if (lang == "fr" && c.SummaryFR != "") || truth == "" {
		truth = c.SummaryFR
	}
	verdict := w[c.Rating]
	if c.Rating == "true" {
		verdict = w["true_r"]
	}
	date := time.Now().UTC()
	if c.PublishedAt != nil {
		date = *c.PublishedAt
	}
	// A claim or summary may carry markup (from a feed or an edit): read
	// on air as text, never tags.
	claim := integrity.PlainTextNoBreak(c.Claim)
	title := fmt.Sprintf(w["titleF"], integrity.RatingName(c.Rating, lang), clip(claim, 80))
	// French quotes the claim in guillemets holding it with narrow no-break
	// spaces (U+202F), so that no line breaks between « and its words.
	body := []string{w["heard"] + " «\u202f" + claim + "\u202f»", clean(verdict), w["true"] + " " + integrity.PlainTextNoBreak(truth)}
	if lang == "en" {
		body[0] = w["heard"] + " \"" + claim + "\""
	}
	return Script{Name: fmt.Sprintf("radio-factcheck-%s-%s.txt", slug, lang), Text: s.write(lang, "factcheck", title, date, body)}, nil
}

// Broadcast is the script of broadcast id in lang: its message in that
// language, else in its fallback language.
func (s *Service) Broadcast(ctx context.Context, id int64, lang string) (Script, error) {
	if s.Broadcasts == nil {
		return Script{}, fmt.Errorf("radio: no broadcasts")
	}
	lang = integrity.Lang(lang)
	b, err := s.Broadcasts.Get(ctx, id)
	if err != nil {
		return Script{}, err
	}
	text, ok := b.Messages[lang]
	if !ok {
		text = b.Messages[b.Fallback]
	}
	date := b.ScheduledAt
	if b.QueuedAt != nil {
		date = *b.QueuedAt
	}
	w := words[lang]
	return Script{Name: fmt.Sprintf("radio-broadcast-%d-%s.txt", id, lang),
		Text: s.write(lang, "broadcast", w["titleB"], date, []string{w["message"] + " " + clean(text)})}, nil
}

// clip shortens s to n runes, marking a cut with "…".
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
