package storetest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/integrity/classify"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
)

// testIntegrityLearn: analysts label items; retraining fits a model on the
// built-in training data plus the labels and measures it on held-out
// labels beside the model in use; activating it (or the built-in model
// again) re-scores the stored items and is remembered across restarts;
// every step is audited.
func testIntegrityLearn(t *testing.T, ctx context.Context, db *storage.DB) {
	s := integrityService(t, db)
	s.PassBatch = 4

	// A tiny stand-in for the built-in training files (the real ones take
	// minutes to train on): the same names, columns and labels.
	dir := t.TempDir()
	base := map[string]string{
		"davidson2017_train.csv": "id,text,label\n1,you people are trash and should be beaten,hate\n2,what a lovely day at the market,neither\n3,shut up you stupid idiot,offensive\n4,the meeting is on thursday,neither\n",
		"mlma2019_fr_train.csv":  "id,text,label\n1,ces gens sont des ordures,toxic\n2,la réunion est jeudi,normal\n",
		"mlma2019_en_train.csv":  "id,text,label\n1,get out of our country vermin,toxic\n2,thanks for the help today,normal\n",
		"mlma2019_ar_train.csv":  "id,text,label\n1,انتم حثالة,toxic\n2,شكرا لكم,normal\n",
	}
	for name, body := range base {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	// The mission's items: a local slur ("zorblat") the built-in model
	// never saw, and ordinary news.
	var items []*integrity.Item
	for i := range 8 {
		items = append(items,
			&integrity.Item{Text: fmt.Sprintf("the zorblat people of block %d must be chased out tonight", i), Lang: "en"},
			&integrity.Item{Text: fmt.Sprintf("water distribution at point %d starts at nine tomorrow", i), Lang: "en"})
	}
	probe := &integrity.Item{Text: "zorblat zorblat chased out of the market", Lang: "en"}
	items = append(items, probe)
	for i, it := range items {
		it.Source, it.SourceID, it.Via, it.Time = "s", fmt.Sprint(i), integrity.ViaImport, time.Date(2026, 3, 1+i, 9, 0, 0, 0, time.UTC)
	}
	testutil.AddItems(t, s, "alice", items...)
	before, _ := s.Item(ctx, probe.ID)

	// Labels: bad ones are refused, naming the field.
	for _, tc := range []struct {
		l     integrity.Label
		field string
	}{
		{integrity.Label{Item: items[0].ID, Label: "toxic"}, "label"},
		{integrity.Label{Item: items[1].ID, Label: "normal", Class: "hate"}, "class"},
		{integrity.Label{Item: items[0].ID, Label: "harmful", Class: strings.Repeat("x", 101)}, "class"},
		{integrity.Label{Label: "harmful"}, "item"},
	} {
		if _, err := s.LabelItem(ctx, "alice", tc.l); !apperr.IsInvalid(err) || apperr.FieldOf(err) != tc.field {
			t.Errorf("label %+v: %v, want invalid %s", tc.l, err, tc.field)
		}
	}
	if _, err := s.LabelItem(ctx, "alice", integrity.Label{Item: 99999, Label: "harmful"}); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("label of an unknown item: %v", err)
	}
	// Too few labels to train.
	s.TrainingDir = dir
	if _, err := s.Train(ctx, "alice"); !apperr.IsInvalid(err) || apperr.FieldOf(err) != "labels" {
		t.Errorf("train with no labels: %v", err)
	}
	for i := 0; i < 16; i += 2 {
		got, err := s.LabelItem(ctx, "alice", integrity.Label{Item: items[i].ID, Label: "harmful", Class: "incitement"})
		if err != nil || got.Labelled != "harmful" || got.LabelClass != "incitement" {
			t.Fatalf("label: %+v %v", got, err)
		}
		if _, err := s.LabelItem(ctx, "alice", integrity.Label{Item: items[i+1].ID, Label: "normal"}); err != nil {
			t.Fatal(err)
		}
	}
	// A label can be removed (and set again).
	if got, err := s.LabelItem(ctx, "alice", integrity.Label{Item: items[1].ID}); err != nil || got.Labelled != "" {
		t.Fatalf("remove label: %+v %v", got, err)
	}
	if _, err := s.LabelItem(ctx, "alice", integrity.Label{Item: items[1].ID, Label: "normal"}); err != nil {
		t.Fatal(err)
	}
	if n := len(auditActions(t, db, "integrity.item.label")); n != 18 {
		t.Errorf("%d label audit entries, want 18", n)
	}

	// Without the training data, retraining is unavailable.
	s.TrainingDir = ""
	if _, err := s.Train(ctx, "alice"); !errors.Is(err, apperr.ErrUnavailable) {
		t.Errorf("train with no training data: %v", err)
	}
	s.TrainingDir = dir
	if _, err := s.Train(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitTraining(ctx); err != nil {
		t.Fatal(err)
	}
	l, err := s.Learning(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if l.Training.Error != "" || l.Training.Running || len(l.Models) != 1 || l.Active != 0 || l.Harmful != 8 || l.Normal != 8 || !l.CanTrain {
		t.Fatalf("learning %+v", l)
	}
	m := l.Models[0]
	// built-in training examples: the 10 posts of the files above and the
	// 115 background paragraphs classify.ReadTraining adds (UDHR articles
	// 0–20: ar 38, en 39, fr 38)
	if m.ID != l.Training.Model || m.Examples != 10+115 || m.Labels != 12 || m.HeldOut != 4 || m.Base != integrity.BuiltinName ||
		m.MacroF1 < 0 || m.MacroF1 > 1 || len(m.Classes) != 2 || len(m.BaseCls) != 2 || m.Classes[0].Support != 2 || m.Active {
		t.Fatalf("model %+v", m)
	}
	// The new model learnt the mission's word: on the held-out labels it
	// does at least as well as the built-in model.
	if m.MacroF1 < m.BaseF1 {
		t.Errorf("held-out macro-F1 %.3f below the built-in model's %.3f", m.MacroF1, m.BaseF1)
	}
	if len(auditActions(t, db, "integrity.model.train")) != 1 {
		t.Error("training not audited")
	}

	// Activating it re-scores the stored items.
	if _, err := s.ActivateModel(ctx, "bob", 12345); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("activate unknown model: %v", err)
	}
	if _, err := s.ActivateModel(ctx, "bob", m.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitRescore(ctx); err != nil {
		t.Fatal(err)
	}
	after, _ := s.Item(ctx, probe.ID)
	if !(after.Score > before.Score) || after.Score < integrity.HarmfulAt {
		t.Errorf("probe score %.3f before, %.3f after activating the retrained model", before.Score, after.Score)
	}
	if p := s.RescoreStatus(); p.Running || p.Total != len(items) || p.Done != len(items) || p.Changed == 0 {
		t.Errorf("re-score progress %+v", p)
	}
	if len(auditActions(t, db, "integrity.model.activate")) != 1 || len(auditActions(t, db, "integrity.items.rescore")) == 0 {
		t.Error("activation or re-scoring not audited")
	}

	// A restarted server scores new items with the active model.
	s2 := integrityService(t, db)
	if l, _ := s2.Learning(ctx); l.Active != m.ID {
		t.Errorf("active after restart %d, want %d", l.Active, m.ID)
	}
	fresh := &integrity.Item{Source: "s", SourceID: "fresh", Via: integrity.ViaImport, Text: "zorblat zorblat chased out of the market", Lang: "en", Time: time.Date(2026, 3, 30, 9, 0, 0, 0, time.UTC)}
	testutil.AddItems(t, s2, "alice", fresh)
	if got, _ := s2.Item(ctx, fresh.ID); got.Score != after.Score {
		t.Errorf("after restart the same text scores %.3f, want %.3f", got.Score, after.Score)
	}

	// Back to the built-in model: the scores come back.
	if _, err := s.ActivateModel(ctx, "bob", 0); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitRescore(ctx); err != nil {
		t.Fatal(err)
	}
	builtin, err := classify.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	want := builtin.Predict(probe.Text).Probs[integrity.HarmfulLabel]
	if got, _ := s.Item(ctx, probe.ID); fmt.Sprintf("%.3f", got.Score) != fmt.Sprintf("%.3f", want) {
		t.Errorf("back on the built-in model the probe scores %.3f, want %.3f", got.Score, want)
	}
	if l, _ := s.Learning(ctx); l.Active != 0 || l.Models[0].Active {
		t.Errorf("still active after going back: %+v", l.Models)
	}

	// A stored model whose weights cannot be read is refused before
	// anything changes: 409 said by its key, the built-in model still
	// active, no activation audited. (It answered 500 after making the
	// unreadable model active, so every later score failed too.)
	bad := &integrity.ModelInfo{Created: time.Now(), Base: integrity.BuiltinName, Langs: []string{"en"}}
	if err := db.SaveModel(ctx, "alice", bad, []byte("not a model")); err != nil {
		t.Fatal(err)
	}
	activations := len(auditActions(t, db, "integrity.model.activate"))
	_, err = s.ActivateModel(ctx, "bob", bad.ID)
	if k, _ := apperr.KindOf(err); k != apperr.KindConflict {
		t.Errorf("activate an unreadable model: %v (kind %v), want a conflict", err, k)
	}
	if m, ok := apperr.MessageOf(err); !ok || !strings.HasSuffix(m.Key, "model-unreadable") {
		t.Errorf("activate an unreadable model: %v, not said by integrity.refusal.model-unreadable (%+v)", err, m)
	}
	if l, _ := s.Learning(ctx); l.Active != 0 {
		t.Errorf("after the refusal model %d is active, want the built-in one", l.Active)
	}
	if n := len(auditActions(t, db, "integrity.model.activate")); n != activations {
		t.Errorf("the refused activation was audited (%d entries, %d before)", n, activations)
	}
	later := &integrity.Item{Source: "s", SourceID: "after-refusal", Via: integrity.ViaImport, Text: "what a lovely day at the market", Lang: "en", Time: time.Date(2026, 3, 30, 10, 0, 0, 0, time.UTC)}
	testutil.AddItems(t, s, "alice", later) // scored by the built-in model
	if got, _ := s.Item(ctx, later.ID); got.Score != builtin.Predict(later.Text).Probs[integrity.HarmfulLabel] {
		t.Errorf("an item added after the refusal scores %.3f, not the built-in model's score", got.Score)
	}
}
