package integrity

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"

	"github.com/vigil-project/vigil/internal/apperr"
)

// A feed's last failure is stored as its English text (Feed.LastError:
// what the poll's error said). The list of feeds says it again as a
// catalog message (LastErrorKey, LastErrorArgs), read back from that text
// by the formats the poll wrote it with, so that a French page says what
// went wrong in French: an HTTP status in words, malformed XML at its
// line, no answer in time, a server out of reach; Go's own text is kept
// only as technical detail (apperr.Detail: its cause in words before it).

// feedFailures are the poll's failures as stored, each a catalog message:
// the text's pattern, its key and how each argument is said (by say,
// by its index; the rest as written).
var feedFailures = []struct {
	re  *regexp.Regexp
	key string
	say map[int]func(string) any
}{
	{regexp.MustCompile(`^(?:feed: )?(\S+):(\d+): not an RSS or Atom feed: (.+)$`), "integrity.refusal.feed-not", map[int]func(string) any{2: xmlDetail}},
	{regexp.MustCompile(`^(?:feed: )?(\S+):1: <(.+)> is not an RSS or Atom feed$`), "integrity.refusal.feed-root", nil},
	{regexp.MustCompile(`^(?:feed: )?(\S+): larger than (\d+) bytes$`), "integrity.refusal.feed-large", nil},
	{regexp.MustCompile(`^(?:feed: )?(\S+): the feed stopped before its end: (.+)$`), "integrity.refusal.feed-short", map[int]func(string) any{1: apperr.DetailText}},
	{regexp.MustCompile(`^(?:feed: )?(\S+): entry (\d+): (.+)$`), "integrity.refusal.feed-entry", map[int]func(string) any{2: entryReason}},
	{regexp.MustCompile(`^feed (\S+): HTTP (.+)$`), "integrity.refusal.feed-http", map[int]func(string) any{1: httpStatusWord}},
	{regexp.MustCompile(`^feed (\S+): timed out before the whole feed arrived$`), "integrity.refusal.feed-cut", nil},
	{regexp.MustCompile(`^feed (\S+): timed out: (.+)$`), "integrity.refusal.feed-timeout", nil},
	{regexp.MustCompile(`^feed (\S+): (.+)$`), "integrity.refusal.feed-failed", map[int]func(string) any{1: apperr.DetailText}},
}

// FeedErrorSaid is a feed's stored error (LastError) as a catalog message
// (without the "feed: " field a parse error starts with: the page shows it
// in the feed's row); false for a text no poll writes.
func FeedErrorSaid(text string) (apperr.Message, bool) {
	for _, f := range feedFailures {
		m := f.re.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		out := apperr.Message{Key: f.key, Args: map[string]string{}}
		for i, v := range m[1:] {
			var arg any = v
			if say := f.say[i]; say != nil {
				arg = say(v)
			}
			nest(out.Args, strconv.Itoa(i), arg)
		}
		return out, true
	}
	return apperr.Message{}, false
}

// nest sets argument n of a message's args to v: v's English, and when v
// is a message its key and arguments under n.
func nest(args map[string]string, n string, v any) {
	m, ok := apperr.MessageOf(v)
	if !ok {
		args[n] = fmt.Sprint(v)
		return
	}
	args[n], args[n+".key"] = m.Text("en"), m.Key
	for k, x := range m.Args {
		args[n+"."+k] = x
	}
}

// entryReason is why a feed's entry was refused (an item's check, its
// date), said by the catalog message its English is (apperr.Reread), else
// kept as technical detail.
func entryReason(s string) any {
	if m, ok := apperr.Reread(s); ok {
		return m
	}
	return apperr.DetailText(s)
}

var xmlSyntax = regexp.MustCompile(`^XML syntax error on line (\d+): (.+)$`)

// xmlDetail is Go's XML decoder's error: malformed XML at a line, Go's
// words as technical detail.
func xmlDetail(s string) any {
	if m := xmlSyntax.FindStringSubmatch(s); m != nil {
		line, _ := strconv.Atoi(m[1])
		return apperr.MustMsg("integrity.refusal.feed-xml", line, apperr.DetailText(m[2]))
	}
	return apperr.DetailText(s)
}

// feedHTTPCodes are the statuses a feed's server answers that the
// catalog says in words (integrity.refusal.http-NNN).
var feedHTTPCodes = []int{401, 403, 404, 410, 429, 500, 502, 503, 504}

// httpStatusWord is an HTTP status as Go writes it ("404 Not Found"),
// said in words when the catalog has it.
func httpStatusWord(s string) any {
	return apperr.Word("integrity.refusal.http-"+strconv.Itoa(statusCode(s)), s)
}

func statusCode(s string) int {
	if len(s) < 3 {
		return 0
	}
	n, _ := strconv.Atoi(s[:3])
	return n
}

// httpStatusWords are the catalog's words of feedHTTPCodes: English as
// Go writes the status, French the code and what it means.
var httpStatusWords = func() apperr.Catalog {
	fr := map[int]string{
		401: "le flux demande un identifiant",
		403: "accès refusé par le serveur du flux",
		404: "adresse introuvable\u202f; vérifiez l’adresse du flux",
		410: "le flux n’existe plus à cette adresse",
		429: "trop de demandes\u202f; le serveur du flux demande d’attendre",
		500: "erreur du serveur du flux",
		502: "le serveur du flux est en erreur derrière sa passerelle",
		503: "le serveur du flux est indisponible pour l’instant",
		504: "le serveur du flux n’a pas répondu à temps à sa passerelle",
	}
	c := apperr.Catalog{}
	for _, code := range feedHTTPCodes {
		c["integrity.refusal.http-"+strconv.Itoa(code)] = [2]string{strconv.Itoa(code) + " " + http.StatusText(code), strconv.Itoa(code) + " (" + fr[code] + ")"}
	}
	return apperr.Register(c)
}()

// sayFeedError sets f's LastErrorKey and LastErrorArgs from its LastError.
func sayFeedError(f *Feed) {
	if m, ok := FeedErrorSaid(f.LastError); ok {
		f.LastErrorKey, f.LastErrorArgs = m.Key, m.Args
	}
}
