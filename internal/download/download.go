// Package download is a file a service answers a request with (an export,
// a brief, a public page), for the HTTP edge to send as it is.
package download

import "io"

// File is a file to send: its body with its Content-Type, the name it is
// saved under (an attachment) and any other response headers.
type File struct {
	Name   string            // the attachment's file name ("": shown, not saved)
	Type   string            // Content-Type
	Header map[string]string // other headers, e.g. a page's Content-Security-Policy
	Body   []byte

	// Write, when set, writes the body to w instead of Body, a piece at
	// a time. It is called once the status and headers are sent: all that
	// can refuse the request must have passed before, so that an error
	// from Write is the connection's (the edge then breaks it off rather
	// than end a shorter body that looks whole).
	Write func(w io.Writer) error
}

// SafeName keeps the letters, digits, - and _ of s (def when none is left):
// a name fit for an attachment's file name.
func SafeName(s, def string) string {
	b := []byte{}
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			b = append(b, c)
		}
	}
	if len(b) == 0 {
		return def
	}
	return string(b)
}
