package integrity

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/integrity/classify"
	"github.com/vigil-project/vigil/integrity/lexicon"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/syncx"
)

// Learning from analysts: an analyst labels items harmful or normal (not
// harmful), with the class of harm if they wish; retraining fits a model on
// the built-in model's training data plus the labels, in the background,
// and measures it on the labels it held out beside the model in use on the
// same labels; an analyst may then activate it (the models are stored and
// versioned), and every stored item is scored again (a pass, pass.go). The
// classifier still never decides alone: a score flags an item for people.

// Label values.
const (
	LabelNormal = "normal" // not harmful
)

// Retraining rules, stated.
const (
	// MinLabelsPerClass: retraining needs at least this many items
	// labelled harmful and as many labelled normal.
	MinLabelsPerClass = 5
	// HeldOutShare of each label's items (chosen by classify.SplitByID on
	// the item ids, so the same labels are held out every time) is kept
	// out of training to measure the new model beside the current one.
	HeldOutShare = 0.2
	// BuiltinName names the built-in model.
	BuiltinName = "built-in"
)

// Label is an analyst's label of an item.
type Label struct {
	Item  int64  `json:"item"`
	Label string `json:"label"` // harmful or normal; "" removes the label
	Class string `json:"class,omitempty"`
}

// LabelledItem is what training needs of a labelled item.
type LabelledItem struct {
	ID    int64
	Text  string
	Lang  string
	Label string
}

// ClassScore is a model's precision, recall and F1 on one label of the
// held-out items.
type ClassScore struct {
	Label     string  `json:"label"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
}

// ModelInfo is a model trained in Vigil (its weights are stored apart).
type ModelInfo struct {
	ID       int64     `json:"id"`
	Created  time.Time `json:"created"`
	Actor    string    `json:"actor"`
	Examples int       `json:"examples"` // built-in training examples
	Labels   int       `json:"labels"`   // analysts' labels trained on
	HeldOut  int       `json:"held_out"` // analysts' labels held out to measure
	MacroF1  float64   `json:"macro_f1"` // on the held-out labels
	// BaseF1 is the macro-F1 of the model in use when this one was
	// trained (Base: "built-in" or "model N"), on the same held-out labels.
	BaseF1    float64      `json:"base_f1"`
	Base      string       `json:"base"`
	Langs     []string     `json:"langs"` // languages it scores
	Classes   []ClassScore `json:"classes"`
	BaseCls   []ClassScore `json:"base_classes"`
	Active    bool         `json:"active"`
	Activated *time.Time   `json:"activated,omitempty"`
}

// ScoreRow is an item's text and score, as re-scoring reads and writes them.
type ScoreRow struct {
	ID      int64
	Text    string
	Lang    string
	Score   float64
	Label   string
	Reasons []Reason
}

// LearnStore keeps labels and models (implemented by the store).
type LearnStore interface {
	// SetLabel sets (or, with an empty label, removes) an item's label,
	// audited (apperr.ErrNotFound for an unknown item).
	SetLabel(ctx context.Context, actor string, l Label) error
	// LabelledItems lists the labelled items in id order.
	LabelledItems(ctx context.Context) ([]LabelledItem, error)
	// SaveModel stores a trained model and its weights, audited; it sets m.ID.
	SaveModel(ctx context.Context, actor string, m *ModelInfo, weights []byte) error
	// Models lists the trained models, newest first.
	Models(ctx context.Context) ([]ModelInfo, error)
	// ActiveModel returns the active model and its weights (ID 0: none,
	// the built-in model scores).
	ActiveModel(ctx context.Context) (ModelInfo, []byte, error)
	// ModelWeights returns a stored model's weights (apperr.ErrNotFound
	// for an unknown id).
	ModelWeights(ctx context.Context, id int64) ([]byte, error)
	// ActivateModel makes model id the active one (0: back to the
	// built-in model), audited (apperr.ErrNotFound for an unknown id).
	ActivateModel(ctx context.Context, actor string, id int64) error
	// CountItems is the number of stored items.
	CountItems(ctx context.Context) (int, error)
	// ScoreRows returns at most limit items with ids above after, in id order.
	ScoreRows(ctx context.Context, after int64, limit int) ([]ScoreRow, error)
	// SetScores rewrites the score, label and reasons of the given items
	// in one transaction, audited as one entry (detail).
	SetScores(ctx context.Context, actor, detail string, rows []ScoreRow) error
}

// TrainStatus says how the current (or last) retraining went.
type TrainStatus struct {
	Running  bool       `json:"running"`
	Started  *time.Time `json:"started,omitempty"`
	Finished *time.Time `json:"finished,omitempty"`
	Model    int64      `json:"model,omitempty"` // the model it stored
	Error    string     `json:"error,omitempty"`
	// Key and Args say Error as a catalog message (a training file's
	// refusal: classify.Refusals, textcsv.Refusals), as a refusal's
	// answer does, so that the page says it in its language.
	Key  string            `json:"key,omitempty"`
	Args map[string]string `json:"args,omitempty"`
}

// Learning is the state of the classifier for the Integrity page.
type Learning struct {
	Active   int64        `json:"active"`    // the active model's id; 0: built-in
	CanTrain bool         `json:"can_train"` // the built-in training data is on this server
	Harmful  int          `json:"harmful"`   // items labelled harmful
	Normal   int          `json:"normal"`    // items labelled normal
	Need     int          `json:"need"`      // MinLabelsPerClass
	Models   []ModelInfo  `json:"models"`
	Training TrainStatus  `json:"training"`
	Rescore  PassProgress `json:"rescore"`
}

func (s *Service) learnStore() (LearnStore, error) {
	ls, ok := s.Store.(LearnStore)
	if !ok {
		return nil, errors.New("integrity: this store cannot keep labels and models")
	}
	return ls, nil
}

// scorer returns the model in use: Service.Model, else the active stored
// model, else the built-in one (loaded once, again after an activation).
func (s *Service) scorer(ctx context.Context) (*scorer, error) {
	if s.Model != nil {
		return &scorer{m: s.Model}, nil
	}
	if sc := s.active.Load(); sc != nil {
		return sc, nil
	}
	sc := &scorer{langs: ScoredLanguages}
	if ls, ok := s.Store.(LearnStore); ok {
		info, w, err := ls.ActiveModel(ctx)
		if err != nil {
			return nil, err
		}
		if info.ID != 0 {
			m, err := classify.Load(bytes.NewReader(w))
			if err != nil {
				return nil, apperr.Textf("integrity: model %d: %w", info.ID, err)
			}
			sc = &scorer{m: m, id: info.ID, langs: map[string]bool{}}
			for _, l := range info.Langs {
				sc.langs[l] = true
			}
		}
	}
	if sc.m == nil {
		m, err := classify.Builtin()
		if err != nil {
			return nil, err
		}
		sc.m = m
	}
	s.active.Store(sc)
	return sc, nil
}

// LabelRequest is the body of POST /api/v1/integrity/labels: the item and
// its label, both required (a label "" removes it), and the class.
type LabelRequest struct {
	Item  *int64  `json:"item"`
	Label *string `json:"label"`
	Class string  `json:"class,omitempty"`
}

// LabelRequested is LabelItem with the label asked for in a request: a
// request naming no item or no label is refused naming the field, and
// nothing is written.
func (s *Service) LabelRequested(ctx context.Context, actor string, r LabelRequest) (Labelled, error) {
	if r.Item == nil {
		return Labelled{}, fieldErr("item", "is required")
	}
	if r.Label == nil {
		return Labelled{}, fieldErr("label", "is required: harmful, normal, or \"\" to remove the label")
	}
	it, err := s.LabelItem(ctx, actor, Label{Item: *r.Item, Label: *r.Label, Class: r.Class})
	if err != nil {
		return Labelled{}, err
	}
	out := Labelled{Item: withAreaNames(it), Harmful: it.Harmful()}
	if it.Narrative != 0 {
		hs, err := s.Store.Items(ctx, ItemFilter{Narrative: it.Narrative, Harmful: true, Limit: 1 << 30})
		if err != nil {
			return Labelled{}, err
		}
		out.NarrativeHarmful = len(hs)
	}
	return out, nil
}

// Labelled is the answer to a label: the item, whether it now counts as
// harmful (Item.Harmful) and its narrative's harmful items as the
// narratives list counts them (NarrativeStats.Harmful), so a page shows
// both changed at once.
type Labelled struct {
	Item
	Harmful          bool `json:"harmful"`
	NarrativeHarmful int  `json:"narrative_harmful"`
}

// LabelItem sets an analyst's label of an item (harmful or normal, with an
// optional class; an empty label removes it), audited.
func (s *Service) LabelItem(ctx context.Context, actor string, l Label) (Item, error) {
	ls, err := s.learnStore()
	if err != nil {
		return Item{}, err
	}
	if l.Item <= 0 {
		return Item{}, fieldErr("item", "%d is not an item id", l.Item)
	}
	l.Label, l.Class = strings.TrimSpace(l.Label), strings.TrimSpace(l.Class)
	switch l.Label {
	case HarmfulLabel, LabelNormal:
	case "":
		l.Class = ""
	default:
		return Item{}, fieldErr("label", "%q is not harmful or normal (not harmful)", l.Label)
	}
	if l.Label == LabelNormal && l.Class != "" {
		return Item{}, fieldErr("class", "a class of harm is only for items labelled harmful")
	}
	if err := checkLine("class", l.Class, 100, false); err != nil {
		return Item{}, err
	}
	if err := ls.SetLabel(ctx, actor, l); err != nil {
		return Item{}, err
	}
	return s.Store.Item(ctx, l.Item)
}

// Learning returns the labels' counts, the models and the progress of
// retraining and re-scoring.
func (s *Service) Learning(ctx context.Context) (Learning, error) {
	ls, err := s.learnStore()
	if err != nil {
		return Learning{}, err
	}
	out := Learning{CanTrain: s.TrainingDir != "", Need: MinLabelsPerClass, Rescore: s.rescorePass.status()}
	items, err := ls.LabelledItems(ctx)
	if err != nil {
		return out, err
	}
	out.Harmful, out.Normal = countLabels(items)
	if out.Models, err = ls.Models(ctx); err != nil {
		return out, err
	}
	if out.Models == nil {
		out.Models = []ModelInfo{}
	}
	for _, m := range out.Models {
		if m.Active {
			out.Active = m.ID
		}
	}
	s.trainMu.Lock()
	out.Training = s.trainSt
	s.trainMu.Unlock()
	return out, nil
}

func countLabels(items []LabelledItem) (harmful, normal int) {
	for _, it := range items {
		if it.Label == HarmfulLabel {
			harmful++
		} else {
			normal++
		}
	}
	return harmful, normal
}

// Train starts retraining in the background: a model fitted on the
// built-in training data plus the labels not held out, measured on the
// held-out labels beside the model in use. It answers at once; Learning
// follows it.
func (s *Service) Train(ctx context.Context, actor string) (TrainStatus, error) {
	ls, err := s.learnStore()
	if err != nil {
		return TrainStatus{}, err
	}
	if s.TrainingDir == "" {
		return TrainStatus{}, apperr.Say(apperr.KindUnavailable, "", "integrity.refusal.no-training", strings.Join(classify.TrainingFiles, ", "))
	}
	items, err := ls.LabelledItems(ctx)
	if err != nil {
		return TrainStatus{}, err
	}
	if h, n := countLabels(items); h < MinLabelsPerClass || n < MinLabelsPerClass {
		return TrainStatus{}, fieldErr("labels", "retraining needs at least %d items labelled harmful and %d labelled not harmful; there are %d and %d",
			MinLabelsPerClass, MinLabelsPerClass, h, n)
	}
	s.trainMu.Lock()
	defer s.trainMu.Unlock()
	if s.trainSt.Running {
		return s.trainSt, apperr.Fieldf(apperr.KindConflict, "train", "a model is already being trained")
	}
	now := s.now()
	s.trainSt = TrainStatus{Running: true, Started: &now}
	s.trainDone = make(chan struct{})
	go func() {
		id, err := s.train(context.WithoutCancel(ctx), ls, actor, items)
		s.trainMu.Lock()
		defer s.trainMu.Unlock()
		t := s.now()
		s.trainSt.Running, s.trainSt.Finished, s.trainSt.Model = false, &t, id
		if err != nil {
			s.trainSt.Error = err.Error()
			if m, ok := apperr.WholeMessage(err); ok {
				s.trainSt.Key, s.trainSt.Args = m.Key, m.Args
			}
			if s.Log != nil {
				s.Log.Error("integrity: retrain the classifier", "err", err)
			}
		}
		close(s.trainDone)
	}()
	return s.trainSt, nil
}

// WaitTraining waits until no retraining runs (or ctx ends).
func (s *Service) WaitTraining(ctx context.Context) error {
	s.trainMu.Lock()
	done := s.trainDone
	s.trainMu.Unlock()
	return syncx.WaitClosed(ctx, done)
}

// train fits, measures and stores a model; it returns the model's id.
func (s *Service) train(ctx context.Context, ls LearnStore, actor string, items []LabelledItem) (int64, error) {
	base, err := classify.ReadTraining(s.TrainingDir)
	if err != nil {
		return 0, err
	}
	ids, labels := make([]string, len(items)), make([]string, len(items))
	for i, it := range items {
		ids[i], labels[i] = strconv.FormatInt(it.ID, 10), it.Label
	}
	test := classify.SplitByID(ids, labels, HeldOutShare)
	ex := base
	langs := map[string]bool{}
	for _, l := range classify.TrainingLanguages {
		langs[l] = true
	}
	var held []LabelledItem
	for i, it := range items {
		if it.Lang != "" {
			langs[it.Lang] = true
		}
		if test[i] {
			held = append(held, it)
		} else {
			ex = append(ex, classify.Example{Text: it.Text, Label: it.Label})
		}
	}
	// the built-in model's design: lexicon-hit features of the starter
	// lexicon's harmful terms (integrity/classify/internal/mkbuiltin)
	m, err := classify.Train(ex, classify.Options{MinDF: 2, Lexicon: classify.HarmfulTerms(lexicon.Starter())})
	if err != nil {
		return 0, err
	}
	cur, err := s.scorer(ctx)
	if err != nil {
		return 0, err
	}
	info := ModelInfo{Created: s.now(), Actor: actor, Examples: len(base), Labels: len(items) - len(held), HeldOut: len(held), Base: BuiltinName}
	if cur.id != 0 {
		info.Base = fmt.Sprintf("model %d", cur.id)
	}
	for l := range langs {
		info.Langs = append(info.Langs, l)
	}
	sort.Strings(info.Langs)
	info.MacroF1, info.Classes = evaluate(&scorer{m: m, langs: langs}, held)
	info.BaseF1, info.BaseCls = evaluate(cur, held)
	var w bytes.Buffer
	if err := m.Save(&w); err != nil {
		return 0, err
	}
	if err := ls.SaveModel(ctx, actor, &info, w.Bytes()); err != nil {
		return 0, err
	}
	return info.ID, nil
}

// evaluate scores the held-out items with m: an item left unscored counts
// as not flagged (normal), as it is on the Integrity page.
func evaluate(m *scorer, held []LabelledItem) (float64, []ClassScore) {
	classes := []string{HarmfulLabel, LabelNormal}
	idx := func(l string) int {
		if l == HarmfulLabel {
			return 0
		}
		return 1
	}
	truth, pred := make([]int, len(held)), make([]int, len(held))
	for i, it := range held {
		truth[i] = idx(it.Label)
		_, label, _ := m.score(it.Text, it.Lang)
		pred[i] = idx(label)
	}
	var out []ClassScore
	for c, l := range classes {
		p, r, n := classify.PrecisionRecall(truth, pred, c)
		out = append(out, ClassScore{Label: l, Precision: round3(p), Recall: round3(r), F1: round3(classify.F1(p, r)), Support: n})
	}
	return round3(classify.MacroF1(truth, pred, len(classes))), out
}

// Activation names the model to activate: a stored model's id, or 0 for
// the built-in model.
type Activation struct {
	Model *int64 `json:"model"` // required
}

// Activate is ActivateModel with the model named in a request: a request
// naming none is refused (it would re-score every item with the built-in
// model).
func (s *Service) Activate(ctx context.Context, actor string, a Activation) (PassProgress, error) {
	if a.Model == nil {
		return PassProgress{}, fieldErr("model", "is required: a model id (0: the built-in model)")
	}
	if *a.Model < 0 {
		return PassProgress{}, fieldErr("model", "%d is not a model id (0: the built-in model)", *a.Model)
	}
	return s.ActivateModel(ctx, actor, *a.Model)
}

// ActivateModel makes a stored model (0: the built-in one) score items from
// now on and scores every stored item again (in the background for a big
// store; RescoreStatus follows it), audited.
func (s *Service) ActivateModel(ctx context.Context, actor string, id int64) (PassProgress, error) {
	ls, err := s.learnStore()
	if err != nil {
		return PassProgress{}, err
	}
	if s.Model != nil {
		return PassProgress{}, apperr.Fieldf(apperr.KindConflict, "model", "this server scores with a model given at start-up")
	}
	if id != 0 {
		// A model whose weights cannot be read is refused before anything
		// changes: made active, it would fail every later score.
		w, err := ls.ModelWeights(ctx, id)
		if err != nil {
			return PassProgress{}, err
		}
		if _, err := classify.Load(bytes.NewReader(w)); err != nil {
			return PassProgress{}, apperr.FieldErr(apperr.KindConflict, "", apperr.Textf("integrity: model %d: %w", id, err))
		}
	}
	if err := ls.ActivateModel(ctx, actor, id); err != nil {
		return PassProgress{}, err
	}
	s.active.Store(nil)
	if _, err := s.scorer(ctx); err != nil {
		return PassProgress{}, err
	}
	if err := s.rescore(ctx, actor); err != nil {
		return PassProgress{}, err
	}
	return s.rescorePass.status(), nil
}

// RescoreStatus returns the progress of the current or last re-scoring.
func (s *Service) RescoreStatus() PassProgress { return s.rescorePass.status() }

// WaitRescore waits until no re-scoring runs (or ctx ends).
func (s *Service) WaitRescore(ctx context.Context) error { return s.rescorePass.wait(ctx) }

// rescore scores every stored item again with the model in use.
func (s *Service) rescore(ctx context.Context, actor string) error {
	ls, err := s.learnStore()
	if err != nil {
		return err
	}
	return s.startPass(ctx, &s.rescorePass, "re-score items", ls.CountItems, func(ctx context.Context, after int64, limit int) (int, int, int64, error) {
		sc, err := s.scorer(ctx)
		if err != nil {
			return 0, 0, after, err
		}
		rows, err := ls.ScoreRows(ctx, after, limit)
		if err != nil || len(rows) == 0 {
			return 0, 0, after, err
		}
		var changed []ScoreRow
		for _, r := range rows {
			score, label, reasons := sc.score(r.Text, r.Lang)
			if round3(score) != round3(r.Score) || label != r.Label || !slices.Equal(reasons, r.Reasons) {
				r.Score, r.Label, r.Reasons = score, label, reasons
				changed = append(changed, r)
			}
		}
		if len(changed) > 0 {
			detail := fmt.Sprintf("%d items re-scored by the %s", len(changed), modelName(sc.id))
			if err := ls.SetScores(ctx, actor, detail, changed); err != nil {
				return 0, 0, after, err
			}
		}
		return len(rows), len(changed), rows[len(rows)-1].ID, nil
	})
}

func modelName(id int64) string {
	if id == 0 {
		return BuiltinName + " model"
	}
	return fmt.Sprintf("model %d", id)
}
