package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/surveys"
)

// testSurveyAnswerStream: EachSubmissionAnswer reads a form's sealed
// answers a batch at a time (storage.AnswersBatch) and gives each
// submission once, as SubmissionAnswers has it, none of another form's nor
// any stored once it has begun; it stops at the first error of start, of
// fn (in the second batch) or of the database (the context ended in the
// first batch), and tells an empty form's 0. EachSubmissionAnswerByID
// reads the form's submissions among ids given (three batches, another
// form's and ids of none left out) in id order, as SubmissionAnswers has
// them, stops at fn's first error and refuses ids out of order.
func testSurveyAnswerStream(t *testing.T, ctx context.Context, db *storage.DB) {
	svc := &surveys.Service{Store: db}
	var forms []surveys.Form
	for _, id := range []string{"streamed", "other", "empty"} {
		f, _, err := svc.AddForm(ctx, "admin", []byte(fmt.Sprintf(`<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"><h:head><h:title>%s</h:title><model><instance><data id="%s" version="1"><meta><instanceID/></meta><name/></data></instance></model></h:head><h:body><input ref="/data/name"/></h:body></h:html>`, id, id)), nil)
		if err != nil {
			t.Fatal(err)
		}
		forms = append(forms, f)
	}
	streamed, other, empty := forms[0], forms[1], forms[2]
	// Three batches, the last of one; instanceIDs whose order is not the
	// rows' (uuid:s-10 before uuid:s-9), another form's rows among them.
	n := 2*storage.AnswersBatch + 1
	t0 := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	put := func(f surveys.Form, id string, i int) {
		t.Helper()
		st := surveys.StoredSubmission{FormID: f.ID, InstanceID: id, FormVersion: "1", XMLSealed: []byte("xml " + id), AnswersSealed: []byte("answers " + id),
			Enumerator: "enum1", Received: t0.Add(time.Duration(i) * time.Second)}
		if _, _, err := db.PutSubmission(ctx, "enum1", st, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		put(streamed, fmt.Sprintf("uuid:s-%d", i), i)
		if i%100 == 0 {
			put(other, fmt.Sprintf("uuid:o-%d", i), i)
		}
	}
	all, err := db.SubmissionAnswers(ctx, streamed.ID)
	if err != nil || len(all) != n {
		t.Fatalf("SubmissionAnswers = %d, %v; want %d", len(all), err, n)
	}
	want := map[string]surveys.StoredSubmission{}
	for _, s := range all {
		want[s.InstanceID] = s
	}

	// The whole form, a submission stored by fn on its first call not read.
	var told, calls int
	seen := map[string]bool{}
	err = db.EachSubmissionAnswer(ctx, streamed.ID, func(n int) error { told = n; return nil }, func(s surveys.StoredSubmission) error {
		calls++
		if calls == 1 {
			put(streamed, "uuid:s-late", n)
		}
		if seen[s.InstanceID] {
			t.Fatalf("%s read twice", s.InstanceID)
		}
		seen[s.InstanceID] = true
		if w, ok := want[s.InstanceID]; !ok || !reflect.DeepEqual(s, w) {
			t.Errorf("read %+v, want %+v (SubmissionAnswers')", s, w)
		}
		return nil
	})
	if err != nil || told != n || calls != n || len(seen) != n {
		t.Fatalf("EachSubmissionAnswer: told %d, %d calls, %d submissions, %v; want %d of each", told, calls, len(seen), err, n)
	}
	if all, err := db.SubmissionAnswers(ctx, streamed.ID); err != nil || len(all) != n+1 {
		t.Fatalf("after the stream: %d submissions, %v; want %d", len(all), err, n+1)
	}

	errStop := errors.New("stop")
	// By id: every submission of the form but every seventh, with the
	// other form's and ids of none among them, in ascending order.
	otherSubs, err := db.SubmissionAnswers(ctx, other.ID)
	if err != nil || len(otherSubs) == 0 {
		t.Fatalf("the other form's submissions: %d, %v", len(otherSubs), err)
	}
	var ids []int64
	var wantByID []surveys.StoredSubmission
	for i, s := range all {
		if i%7 != 3 {
			ids, wantByID = append(ids, s.ID), append(wantByID, s)
		}
	}
	ids = append(ids, otherSubs[0].ID, all[len(all)-1].ID+1_000_000)
	slices.Sort(ids)
	var gotByID []surveys.StoredSubmission
	err = db.EachSubmissionAnswerByID(ctx, streamed.ID, ids, func(s surveys.StoredSubmission) error {
		s.AnswersSealed = slices.Clone(s.AnswersSealed) // the store reuses its bytes
		gotByID = append(gotByID, s)
		return nil
	})
	if err != nil || !reflect.DeepEqual(gotByID, wantByID) {
		t.Errorf("EachSubmissionAnswerByID: %d submissions, %v; want %d, in id order, as SubmissionAnswers has them", len(gotByID), err, len(wantByID))
	}
	calls = 0
	err = db.EachSubmissionAnswerByID(ctx, streamed.ID, ids, func(surveys.StoredSubmission) error {
		calls++
		if calls == storage.AnswersBatch+2 {
			return errStop
		}
		return nil
	})
	if !errors.Is(err, errStop) || calls != storage.AnswersBatch+2 {
		t.Errorf("EachSubmissionAnswerByID with fn failing in the second batch: %d calls, %v", calls, err)
	}
	if err := db.EachSubmissionAnswerByID(ctx, streamed.ID, []int64{ids[1], ids[0]}, func(surveys.StoredSubmission) error { return nil }); err == nil {
		t.Error("EachSubmissionAnswerByID with ids out of order: no error")
	}
	for _, c := range []struct {
		name      string
		ctx       func() (context.Context, context.CancelFunc)
		form      surveys.Form
		start     error
		stopAt    int // fn's call that fails (0: none), or that ends ctx
		cancel    bool
		want      error
		told      int
		callsFrom int // fn's calls, at least
		callsTo   int // and at most
	}{
		{name: "fn fails in the second batch", form: streamed, stopAt: storage.AnswersBatch + 10, want: errStop, told: n + 1,
			callsFrom: storage.AnswersBatch + 10, callsTo: storage.AnswersBatch + 10},
		{name: "start fails", form: streamed, start: errStop, want: errStop, told: n + 1},
		{name: "context ended in the first batch", form: streamed, stopAt: 1, cancel: true, want: context.Canceled, told: n + 1,
			callsFrom: 1, callsTo: storage.AnswersBatch},
		{name: "empty form", form: empty, told: 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(ctx)
			defer cancel()
			told, calls := -1, 0
			err := db.EachSubmissionAnswer(ctx, c.form.ID, func(n int) error { told = n; return c.start }, func(s surveys.StoredSubmission) error {
				calls++
				if calls == c.stopAt {
					if c.cancel {
						cancel()
					} else {
						return errStop
					}
				}
				return nil
			})
			if !errors.Is(err, c.want) || (c.want == nil && err != nil) {
				t.Errorf("err = %v, want %v", err, c.want)
			}
			if told != c.told || calls < c.callsFrom || calls > c.callsTo {
				t.Errorf("told %d, %d calls; want %d, %d to %d calls", told, calls, c.told, c.callsFrom, c.callsTo)
			}
		})
	}
}
