// Package netguard keeps URLs that operators or analysts type (an
// escalation webhook, a media feed) from reaching link-local addresses and
// cloud metadata services, whose answers can be an instance's credentials.
package netguard

import (
	"fmt"
	"net/netip"
	"syscall"

	"github.com/vigil-project/vigil/internal/apperr"
)

// Refusals are the reasons and the refusal below as catalog messages
// (apperr.Catalog: English, French), so a page can say them in its
// language: a caller passes a reason as apperr.Text(why).
var Refusals = apperr.Register(apperr.Catalog{
	"netguard.metadata":   {"a cloud metadata address", "une adresse de métadonnées du cloud"},
	"netguard.link-local": {"a link-local address", "une adresse lien-local"},
	"netguard.refused":    {"link-local and cloud metadata addresses are refused", "les adresses lien-local et de métadonnées du cloud sont refusées"},
})

// metadataAddrs are cloud metadata addresses outside the link-local ranges
// (169.254.169.254, used by most clouds, is link-local).
var metadataAddrs = []netip.Addr{
	netip.MustParseAddr("fd00:ec2::254"),   // AWS over IPv6
	netip.MustParseAddr("100.100.100.200"), // Alibaba Cloud
}

// Forbidden says why ip may not be reached ("" if it may): a cloud metadata
// or a link-local address.
func Forbidden(ip netip.Addr) string {
	ip = ip.Unmap()
	for _, m := range metadataAddrs {
		if ip == m {
			return "a cloud metadata address"
		}
	}
	if ip == netip.MustParseAddr("169.254.169.254") {
		return "a cloud metadata address"
	}
	if ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() {
		return "a link-local address"
	}
	return ""
}

// ErrForbidden is wrapped by the errors of DialControl. It says its text
// by Refusals.
var ErrForbidden = said("link-local and cloud metadata addresses are refused")

// said is apperr.Text(s) once Refusals are registered.
func said(s string) error {
	_ = Refusals
	return apperr.Text(s)
}

// DialControl is a net.Dialer Control refusing a forbidden address; it runs
// for every address a name resolves to, just before connecting (so a name
// that later resolves to such an address — DNS rebinding — is refused too).
// what names the caller in the error.
func DialControl(what string) func(network, address string, _ syscall.RawConn) error {
	return func(_, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("%s: unexpected address %q", what, address)
		}
		if why := Forbidden(ap.Addr()); why != "" {
			return fmt.Errorf("%s: %s is %s: %w", what, ap.Addr(), why, ErrForbidden)
		}
		return nil
	}
}
