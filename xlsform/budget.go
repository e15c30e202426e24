package xlsform

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/vigil-project/vigil/internal/apperr"
)

// DecompressBudget bounds the bytes that all the workbooks being read at
// once may decompress, together: each ReadXLSX reserves the declared
// uncompressed size of the parts it reads (the zip reader refuses a part
// that inflates past its declared size) before inflating anything, and
// waits while the reservations of others leave too little. A workbook
// that alone declares more is refused at once. 256 MB holds thousands of
// real XLSForms (tens of kilobytes each) and two or three of the largest a
// part may be (maxPartBytes).
const DecompressBudget = 256 << 20

// Errors of the decompression budget.
var (
	// ErrTooLarge: the workbook declares more uncompressed bytes than the
	// whole budget.
	ErrTooLarge = said("workbook too large to decompress")
	// ErrBusy: the context ended while other workbooks held the budget.
	ErrBusy = errors.New("too many workbooks being read at once")
)

// budget is a weighted semaphore over bytes, first come first served.
type budget struct {
	mu      sync.Mutex
	size    int64
	used    int64
	waiters []*budgetWaiter

	// inflated counts the bytes actually decompressed and not yet
	// released; peak is its highest value (for tests and tuning).
	inflated, peak atomic.Int64
}

type budgetWaiter struct {
	n     int64
	ready chan struct{}
}

var decompress = &budget{size: DecompressBudget}

func (b *budget) acquire(ctx context.Context, n int64) error {
	if n > b.size {
		return apperr.Textf("%w: its parts declare %d bytes uncompressed, more than the %d bytes allowed for all uploads at once", ErrTooLarge, n, b.size)
	}
	b.mu.Lock()
	if len(b.waiters) == 0 && b.used+n <= b.size {
		b.used += n
		b.mu.Unlock()
		return nil
	}
	w := &budgetWaiter{n: n, ready: make(chan struct{})}
	b.waiters = append(b.waiters, w)
	b.mu.Unlock()
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
		b.mu.Lock()
		select {
		case <-w.ready: // granted meanwhile: give it back
			b.used -= n
			b.grantLocked()
		default:
			for i, x := range b.waiters {
				if x == w {
					b.waiters = append(b.waiters[:i], b.waiters[i+1:]...)
					break
				}
			}
			b.grantLocked() // the head may have changed
		}
		b.mu.Unlock()
		return busyError{ctx.Err()}
	}
}

// busyError is ErrBusy and why the wait ended (ctx.Err()), said by the
// catalog (the page says it in its language, Go's reason kept as
// technical detail).
type busyError struct{ why error }

func (e busyError) Error() string   { return ErrBusy.Error() + ": " + e.why.Error() }
func (e busyError) Unwrap() []error { return []error{ErrBusy, e.why} }

// Said is e's text as a catalog message.
func (e busyError) Said() (apperr.Message, bool) {
	return apperr.Msg("xlsform.refusal.busy", apperr.Detail(e.why))
}

func (b *budget) release(n int64) {
	b.mu.Lock()
	b.used -= n
	b.grantLocked()
	b.mu.Unlock()
}

// grantLocked wakes waiters in order while they fit.
func (b *budget) grantLocked() {
	for len(b.waiters) > 0 && b.used+b.waiters[0].n <= b.size {
		w := b.waiters[0]
		b.waiters = b.waiters[1:]
		b.used += w.n
		close(w.ready)
	}
}

// Reserve takes n bytes of the decompression budget that every workbook
// being read shares, waiting as a workbook does until ctx ends (ErrBusy),
// and answers the function that gives them back. Something else
// decompressed within the same bound takes its share with it; a test holds
// the budget with it as a crowd of uploads would.
func Reserve(ctx context.Context, n int64) (release func(), err error) {
	if err := decompress.acquire(ctx, n); err != nil {
		return nil, err
	}
	var once sync.Once
	return func() { once.Do(func() { decompress.release(n) }) }, nil
}

// inflate records n bytes decompressed.
func (b *budget) inflate(n int64) {
	v := b.inflated.Add(n)
	for {
		p := b.peak.Load()
		if v <= p || b.peak.CompareAndSwap(p, v) {
			return
		}
	}
}

// DecompressedInFlight returns the bytes the workbooks being read hold
// decompressed now, and the most they have held at once since the process
// started (both bounded by DecompressBudget).
func DecompressedInFlight() (now, peak int64) {
	return decompress.inflated.Load(), decompress.peak.Load()
}
