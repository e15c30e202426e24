//go:build unix

package testutil

import (
	"syscall"
	"time"
)

// CPUTime is the process's user+system CPU time so far: per operation, a
// benchmark figure that other processes on a shared machine inflate far
// less than wall time.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
