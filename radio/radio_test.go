package radio

import (
	"context"
	"errors"
	"flag"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/testutil/golden"
)

var update = flag.Bool("update", false, "rewrite the golden scripts")

type checks map[string]integrity.Check

func (c checks) FactCheck(_ context.Context, slug string) (integrity.Check, error) {
	if x, ok := c[slug]; ok {
		return x, nil
	}
	return integrity.Check{}, errors.New("no such fact-check")
}

type broadcasts map[int64]contacts.Broadcast

func (b broadcasts) Get(_ context.Context, id int64) (contacts.Broadcast, error) {
	if x, ok := b[id]; ok {
		return x, nil
	}
	return contacts.Broadcast{}, contacts.ErrNotFound
}

// TestScripts: the radio scripts of a fact-check and of a broadcast, in
// English and French, against golden files (title, claim, verdict, what is
// true, where to get help, date, the mission); a line break or control
// character in a claim cannot break the layout; unknown ids fail.
func TestScripts(t *testing.T) {
	pub := time.Date(2026, 12, 5, 9, 30, 0, 0, time.UTC)
	s := &Service{Mission: "MONUSCO",
		Checks: checks{"0123456789abcdef01234567": {Claim: "The water in Bunia\nhas been poisoned\x07 by the mission", Rating: "false",
			SummaryEN: "Laboratory tests of the town's wells on 3 December found no poison.", SummaryFR: "Les analyses des puits de la ville le 3 décembre n'ont trouvé aucun poison.", PublishedAt: &pub}},
		Broadcasts: broadcasts{7: {ID: 7, Messages: map[string]string{"fr": "Réunion de sécurité demain à 10 h à la mairie de Djugu."}, Fallback: "fr", ScheduledAt: pub}},
	}
	ctx := context.Background()
	for _, c := range []struct {
		name string
		get  func() (Script, error)
		file string
	}{
		{"factcheck en", func() (Script, error) { return s.FactCheck(ctx, "0123456789abcdef01234567", "en") }, "radio-factcheck-0123456789abcdef01234567-en.txt"},
		{"factcheck fr", func() (Script, error) { return s.FactCheck(ctx, "0123456789abcdef01234567", "fr-FR") }, "radio-factcheck-0123456789abcdef01234567-fr.txt"},
		{"broadcast fr", func() (Script, error) { return s.Broadcast(ctx, 7, "fr") }, "radio-broadcast-7-fr.txt"},
		{"broadcast en falls back to fr text", func() (Script, error) { return s.Broadcast(ctx, 7, "") }, "radio-broadcast-7-en.txt"},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc, err := c.get()
			if err != nil {
				t.Fatal(err)
			}
			if sc.Name != c.file {
				t.Fatalf("name %q, want %q", sc.Name, c.file)
			}
			golden.Check(t, filepath.Join("testdata", c.file), []byte(sc.Text), *update)
		})
	}
	if _, err := s.FactCheck(ctx, "nope", "en"); err == nil {
		t.Error("unknown fact-check")
	}
	if _, err := s.Broadcast(ctx, 8, "en"); !errors.Is(err, contacts.ErrNotFound) {
		t.Errorf("unknown broadcast: %v", err)
	}
}

// TestScriptDefaultMission: with no mission name configured, a script says
// who it comes from in its own language (a French script read on air said
// « Ce message vous est transmis par United Nations peace operation »).
func TestScriptDefaultMission(t *testing.T) {
	pub := time.Date(2026, 12, 5, 9, 30, 0, 0, time.UTC)
	s := &Service{Broadcasts: broadcasts{7: {ID: 7, Messages: map[string]string{"fr": "Réunion demain.", "en": "Meeting tomorrow."}, Fallback: "fr", ScheduledAt: pub}}}
	for _, c := range []struct{ lang, want, not string }{
		{"fr", "Ce message vous est transmis par Opération de paix des Nations Unies, le 5 décembre 2026.", "United Nations"},
		{"en", "This message comes from United Nations peace operation, on 5 December 2026.", "Nations Unies"},
	} {
		sc, err := s.Broadcast(context.Background(), 7, c.lang)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(sc.Text, c.want) || strings.Contains(sc.Text, c.not) {
			t.Errorf("%s script, want %q and no %q:\n%s", c.lang, c.want, c.not, sc.Text)
		}
	}
}
