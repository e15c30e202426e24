package alerts

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/netguard"
)

// The escalation webhook is a URL an operator types; a mistake (or a
// hostile configuration) must not turn it into a way to read local files or
// a cloud instance's metadata service (its credentials). Only http and
// https are accepted, and link-local and cloud metadata addresses are
// refused unless explicitly allowed, both when the URL is given and at
// every connection, after DNS resolution (so a name that later resolves to
// such an address — DNS rebinding — is refused too).

// metadataHosts are cloud metadata service names.
var metadataHosts = map[string]bool{
	"metadata.google.internal": true,
	"metadata.goog":            true,
	"metadata":                 true,
}

// ErrForbiddenTarget is returned for a link-local or metadata target.
var ErrForbiddenTarget = netguard.ErrForbidden

// forbiddenAddr reports why ip may not be an escalation target ("" if it may).
func forbiddenAddr(ip netip.Addr) string { return netguard.Forbidden(ip) }

// CheckEscalationURL checks an escalation webhook URL: absolute http or
// https with a host, and (unless allowLinkLocal) not a link-local or cloud
// metadata host. The error names what is wrong without quoting the URL,
// whose path or query is often the webhook's secret.
func CheckEscalationURL(raw string, allowLinkLocal bool) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return apperr.Text("the URL does not parse")
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	default:
		return apperr.Textf("scheme %q is not allowed: use http or https", u.Scheme)
	}
	host := u.Hostname()
	if host == "" {
		return apperr.Text("the URL has no host")
	}
	if allowLinkLocal {
		return nil
	}
	if metadataHosts[strings.TrimSuffix(strings.ToLower(host), ".")] {
		return apperr.Textf("host %s is a cloud metadata service: %w", host, ErrForbiddenTarget)
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if why := forbiddenAddr(ip); why != "" {
			return apperr.Textf("host %s is %s: %w", host, apperr.Text(why), ErrForbiddenTarget)
		}
	}
	return nil
}

// dialControl refuses a connection to a link-local or metadata address; it
// runs for every address a name resolves to, just before connecting.
var dialControl = netguard.DialControl("escalation webhook")

// escalationClient is the HTTP client of the escalation webhook: it
// connects directly (no proxy from the environment: the check must apply to
// the webhook's own address) and, unless allowLinkLocal, refuses
// link-local and metadata addresses at connection time.
func escalationClient(allowLinkLocal bool) *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second}
	if !allowLinkLocal {
		d.Control = dialControl
	}
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         d.DialContext,
		TLSHandshakeTimeout: 10 * time.Second,
		MaxIdleConns:        2,
		IdleConnTimeout:     time.Minute,
	}
	return &http.Client{Timeout: 10 * time.Second, Transport: tr, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= 3 {
			return errors.New("too many redirects")
		}
		return CheckEscalationURL(req.URL.String(), allowLinkLocal)
	}}
}
