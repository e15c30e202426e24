// Package syncx holds small helpers around channels that several services
// share.
package syncx

import "context"

// WaitClosed waits until done is closed (nil: at once) or ctx ends, when it
// answers ctx's error.
func WaitClosed(ctx context.Context, done <-chan struct{}) error {
	if done == nil {
		return nil
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
