//go:build unix

package main

import "syscall"

// restrictUmask makes every file the process creates (database, exports,
// keys, converted forms) readable by its owner only, whatever the shell's
// umask: Vigil's files hold personal data.
func restrictUmask() { syscall.Umask(0o077) }
