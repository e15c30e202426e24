package netguard_test

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
	"github.com/vigil-project/vigil/internal/netguard"
)

// TestRefusalMessages: the reasons Forbidden gives (passed as
// apperr.Text(why)) and ErrForbidden say their text by Refusals, in
// French too; a DialControl refusal still wraps ErrForbidden.
func TestRefusalMessages(t *testing.T) {
	reached := map[string]bool{}
	apperrtest.SaidAll(t, reached,
		apperrtest.Case{Name: "metadata", Err: apperr.Text(netguard.Forbidden(netip.MustParseAddr("169.254.169.254"))), FR: "une adresse de métadonnées du cloud"},
		apperrtest.Case{Name: "metadata IPv6", Err: apperr.Text(netguard.Forbidden(netip.MustParseAddr("fd00:ec2::254"))), FR: "une adresse de métadonnées du cloud"},
		apperrtest.Case{Name: "link-local", Err: apperr.Text(netguard.Forbidden(netip.MustParseAddr("169.254.3.4"))), FR: "une adresse lien-local"},
		apperrtest.Case{Name: "refused", Err: netguard.ErrForbidden, FR: "les adresses lien-local et de métadonnées du cloud sont refusées"},
	)
	apperrtest.Catalog(t, netguard.Refusals, reached)
	if why := netguard.Forbidden(netip.MustParseAddr("192.0.2.1")); why != "" {
		t.Errorf("192.0.2.1 forbidden: %s", why)
	}
	if err := netguard.DialControl("feed")("tcp", "169.254.169.254:80", nil); !errors.Is(err, netguard.ErrForbidden) {
		t.Errorf("dial: %v", err)
	}
}
