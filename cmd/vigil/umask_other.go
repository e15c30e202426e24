//go:build !unix

package main

// restrictUmask does nothing where there is no umask (Windows: files take
// the directory's ACL).
func restrictUmask() {}
