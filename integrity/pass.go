package integrity

import (
	"context"
	"sync"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/syncx"
)

// A pass goes over every stored item in id order, in batches, to bring a
// derived field up to date after a change (the lexicon: rematch.go; the
// active classifier: learn.go). The first batch runs before the change
// answers (a small store is then done); the rest runs in the background
// with its progress readable. A change made while a pass runs restarts it
// from the first item.

// DefaultPassBatch is how many items a pass reads and writes at a time.
const DefaultPassBatch = 1000

// PassProgress says how far the current (or last) pass is.
type PassProgress struct {
	Running  bool       `json:"running"`
	Total    int        `json:"total"`   // items stored when the pass began
	Done     int        `json:"done"`    // items gone over so far
	Changed  int        `json:"changed"` // of which the derived field changed
	Passes   int        `json:"passes"`  // passes begun (a change during a pass starts another)
	Started  time.Time  `json:"started"`
	Finished *time.Time `json:"finished,omitempty"`
	Error    string     `json:"error,omitempty"`
	// Key and Args say Error as a catalog message, so that the page says
	// it in its language: the store's own refusal (busy, read-only), a
	// model that cannot be read, else integrity.refusal.pass-error with
	// the error kept as technical detail (passError).
	Key  string            `json:"key,omitempty"`
	Args map[string]string `json:"args,omitempty"`
}

// passStep goes over at most limit items with ids above after; it returns
// how many it read, how many it changed and the last id read.
type passStep func(ctx context.Context, after int64, limit int) (read, changed int, last int64, err error)

// pass is the state of one kind of pass.
type pass struct {
	mu   sync.Mutex
	gen  uint64 // changes seen
	prog PassProgress
	done chan struct{} // closed when the running pass ends
}

func (p *pass) status() PassProgress {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.prog
}

func (p *pass) wait(ctx context.Context) error {
	p.mu.Lock()
	done := p.done
	p.mu.Unlock()
	return syncx.WaitClosed(ctx, done)
}

// start begins a pass (or tells the running one to start over).
func (s *Service) startPass(ctx context.Context, p *pass, what string, count func(context.Context) (int, error), step passStep) error {
	p.mu.Lock()
	p.gen++
	if p.prog.Running {
		p.mu.Unlock()
		return nil
	}
	p.done = make(chan struct{})
	p.prog = PassProgress{Running: true, Started: s.now()}
	p.mu.Unlock()
	after, gen, err := s.runPass(ctx, p, count, step, 0, 0, true)
	if err != nil || after < 0 {
		s.endPass(p, what, err)
		return err
	}
	go func() {
		ctx := context.WithoutCancel(ctx)
		for {
			var err error
			if after, gen, err = s.runPass(ctx, p, count, step, after, gen, false); err != nil || after < 0 {
				s.endPass(p, what, err)
				return
			}
		}
	}()
	return nil
}

// runPass goes over the items after id after: one batch when once, else
// to the end. It returns the id to go on from (-1: done with no change
// meanwhile; 0: start over) and the generation it worked for.
func (s *Service) runPass(ctx context.Context, p *pass, count func(context.Context) (int, error), step passStep, after int64, gen uint64, once bool) (int64, uint64, error) {
	batch := s.PassBatch
	if batch <= 0 {
		batch = DefaultPassBatch
	}
	for {
		p.mu.Lock()
		if after == 0 || gen != p.gen {
			after, gen = 0, p.gen
			p.prog.Passes++
			p.prog.Done, p.prog.Changed = 0, 0
			p.mu.Unlock()
			n, err := count(ctx)
			if err != nil {
				return 0, gen, err
			}
			p.mu.Lock()
			p.prog.Total = n
		}
		p.mu.Unlock()
		read, changed, last, err := step(ctx, after, batch)
		if err != nil {
			return 0, gen, err
		}
		p.mu.Lock()
		p.prog.Done += read
		p.prog.Changed += changed
		stale := gen != p.gen
		p.mu.Unlock()
		after = last
		switch {
		case stale:
			after = 0
		case read < batch:
			return -1, gen, nil
		}
		if once {
			return after, gen, nil
		}
	}
}

func (s *Service) endPass(p *pass, what string, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	t := s.now()
	p.prog.Running, p.prog.Finished = false, &t
	if err != nil {
		m := passError(err)
		p.prog.Error, p.prog.Key, p.prog.Args = m.Text("en"), m.Key, m.Args
		if s.Log != nil {
			s.Log.Error("integrity: "+what, "err", err)
		}
	}
	if p.done != nil {
		close(p.done)
		p.done = nil
	}
}

// passError is the message a pass that stopped on err reports: err's own
// when a catalog says it, else integrity.refusal.pass-error (the store
// failed in a way nobody foresaw: what to do, and err's text as technical
// detail).
func passError(err error) apperr.Message {
	if m, ok := apperr.WholeMessage(err); ok {
		return m
	}
	return apperr.MustMsg("integrity.refusal.pass-error", apperr.Detail(err))
}
