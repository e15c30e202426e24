package main

import (
	"regexp"
	"testing"

	"github.com/vigil-project/vigil/demo"
)

// TestDemoGatewayName: the demo broadcast's gateway has one short name,
// the same in English and in French, as the demo's other channels (the
// French Administration → Channels listed « DEMO SMS gateway (fictitious)
// / passerelle SMS DEMO (fictive) »), and not another demo channel's.
func TestDemoGatewayName(t *testing.T) {
	if !regexp.MustCompile(`^DEMO-[A-Z]+-[0-9]$`).MatchString(demoGateway) || demoGateway == demo.ReplyGatewayName {
		t.Errorf("demo gateway %q: want one short name DEMO-KIND-N, not the reply gateway's", demoGateway)
	}
}
