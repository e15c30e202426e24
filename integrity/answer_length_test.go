package integrity

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr"
)

// TestCheckTextLimitsInCharacters: a check's text limits (the answer, the
// claim, a note) count characters, as the Verify form's counter and its
// maxlength do, not bytes: a French answer of 480 accented letters (960
// bytes) is taken, one of 481 refused, naming the field and the limit in
// English and French.
func TestCheckTextLimitsInCharacters(t *testing.T) {
	ctx := context.Background()
	str := func(v string) *string { return &v }
	rate := func(en, fr string) CheckUpdate {
		return CheckUpdate{State: str(CheckRated), Rating: str("false"), SummaryEN: str(en), SummaryFR: str(fr)}
	}
	fr := func(n int) string { return strings.Repeat("é", n) }
	cases := []struct {
		name  string
		state string
		u     CheckUpdate
		field string // "" when taken
		en    string // the refusal's English, when refused
		frMsg string // its French
	}{
		{"English answer at the limit", CheckVerifying, rate(strings.Repeat("x", MaxSummary), ""), "", "", ""},
		{"French answer of 480 accented letters", CheckVerifying, rate("", fr(MaxSummary)), "", "", ""},
		{"French answer with a decomposed accent at the limit", CheckVerifying, rate("", strings.Repeat("e\u0301", MaxSummary/2)), "", "", ""},
		{"French answer of 481 accented letters", CheckVerifying, rate("", fr(MaxSummary+1)), "summary_fr",
			"summary_fr: is 481 characters long; at most 480", "summary_fr\u00a0: fait 481 caractères\u202f; au plus 480"},
		{"English answer one over", CheckVerifying, rate(strings.Repeat("x", MaxSummary+1), ""), "summary_en",
			"summary_en: is 481 characters long; at most 480", "summary_en\u00a0: fait 481 caractères\u202f; au plus 480"},
		{"claim of 1000 accented letters", CheckNew, CheckUpdate{Claim: str(fr(MaxClaim))}, "", "", ""},
		{"claim of 1001 accented letters", CheckNew, CheckUpdate{Claim: str(fr(MaxClaim + 1))}, "claim",
			"claim: is 1001 characters long; at most 1000", "claim\u00a0: fait 1001 caractères\u202f; au plus 1000"},
		{"note of 4000 accented letters", CheckNew, CheckUpdate{Note: str(fr(MaxNote))}, "", "", ""},
		{"note of 4001 accented letters", CheckNew, CheckUpdate{Note: str(fr(MaxNote + 1))}, "note", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cs := &Service{Store: itemlessStore{&checkStore{c: Check{Narrative: 1, State: c.state, Claim: "claim"}}}}
			_, err := cs.UpdateCheck(ctx, "a", 1, c.u)
			if c.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			ae := apperr.As(err)
			if ae == nil || ae.Kind != apperr.KindInvalid || ae.Field != c.field {
				t.Fatalf("got %v, want invalid input naming %s", err, c.field)
			}
			if c.en == "" {
				return
			}
			m, ok := apperr.MessageOf(ae)
			if !ok {
				t.Fatalf("%v: no catalog message", err)
			}
			if got := m.Text("en"); got != c.en {
				t.Errorf("English %q, want %q", got, c.en)
			}
			if got := m.Text("fr"); got != c.frMsg {
				t.Errorf("French %q, want %q", got, c.frMsg)
			}
		})
	}
}

// itemlessStore is a checkStore whose narrative has no items (GetCheck
// reads them after a change).
type itemlessStore struct{ *checkStore }

func (itemlessStore) Items(context.Context, ItemFilter) ([]Item, error) { return nil, nil }

// TestAnswerTextKeepsTheLink: the SMS answer of the longest answer the
// form takes, in French with accents, keeps the page's link whole (it was
// cut at 640 bytes).
func TestAnswerTextKeepsTheLink(t *testing.T) {
	for _, c := range []struct {
		name, lang, sum string
	}{
		{"English", "en", strings.Repeat("x", MaxSummary)},
		{"French, accented", "fr", strings.Repeat("é", MaxSummary)},
		{"French, four-byte characters", "fr", strings.Repeat("🙂", MaxSummary)},
	} {
		t.Run(c.name, func(t *testing.T) {
			ch := Check{Rating: "false", Slug: "abcdefghijklmnopqrstuv", SummaryEN: c.sum, SummaryFR: c.sum}
			link := PublicURL("https://vigil.example.org/mission-name", ch.Slug, c.lang)
			got := AnswerText(ch, c.lang, "https://vigil.example.org/mission-name")
			if !strings.HasSuffix(got, " "+link) || !strings.Contains(got, c.sum) {
				t.Errorf("answer %d characters, does not end with the whole answer and %s: …%s", len([]rune(got)), link, string([]rune(got)[max(0, len([]rune(got))-80):]))
			}
		})
	}
}
