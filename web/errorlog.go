package web

import (
	"context"
	"log"
	"log/slog"
	"regexp"
	"strings"
	"time"
)

// clientAddr matches an IPv4 or bracketed IPv6 address with its port, as
// net/http prints a client's RemoteAddr ("http: TLS handshake error from
// 203.0.113.5:51234: EOF", "http2: server: error reading preface from
// client [2001:db8::1]:443: …").
var clientAddr = regexp.MustCompile(`\[[0-9A-Fa-f:.]+(%[0-9A-Za-z._~-]+)?\]:\d+|\b\d{1,3}(\.\d{1,3}){3}:\d+`)

// ErrorLog returns a logger for http.Server.ErrorLog that writes to l at
// warning level with client addresses withheld: a reporter's IP address
// (the web alert form is public) is personal data and stays out of logs.
func ErrorLog(l *slog.Logger) *log.Logger {
	return log.New(addrWithholder{l.Handler()}, "", 0)
}

type addrWithholder struct{ h slog.Handler }

func (w addrWithholder) Write(p []byte) (int, error) {
	ctx := context.Background()
	if !w.h.Enabled(ctx, slog.LevelWarn) {
		return len(p), nil
	}
	msg := clientAddr.ReplaceAllString(strings.TrimSuffix(string(p), "\n"), "(client address withheld)")
	return len(p), w.h.Handle(ctx, slog.NewRecord(time.Now(), slog.LevelWarn, msg, 0))
}
