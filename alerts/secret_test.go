package alerts_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/testutil"
)

// TestRotateSecretLength: a new secret is 8 to 200 characters, as its
// refusal says — characters, not bytes, so a French passphrase of 150
// characters (more than 200 bytes in UTF-8) is taken and 201 ASCII ones
// are not.
func TestRotateSecretLength(t *testing.T) {
	ctx := context.Background()
	svc := alerts.NewService(testutil.Store(t), testutil.Keys(t, "k"))
	c, err := svc.NewChannel(ctx, "a", alerts.SMSSync, "Bunia SMS", "secret-1", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, secret string
		ok           bool
	}{
		{"8 ASCII", "abcdefgh", true},
		{"7 ASCII", "abcdefg", false},
		{"7 accented (14 bytes)", "éééééée", false},
		{"8 accented", "éèêëàâîï", true},
		{"150 accented (300 bytes)", strings.Repeat("é", 150), true},
		{"200 accented (400 bytes)", strings.Repeat("é", 200), true},
		{"200 ASCII", strings.Repeat("a", 200), true},
		{"201 ASCII", strings.Repeat("a", 201), false},
		{"201 accented", strings.Repeat("é", 201), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := svc.RotateSecret(ctx, "a", c.ID, alerts.SecretRequest{Secret: tc.secret})
			if tc.ok {
				if err != nil || got.Secret != tc.secret {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if e := apperr.As(err); e == nil || !errors.Is(err, apperr.ErrInvalid) || e.Key != "alerts.refusal.secret-length" {
				t.Fatalf("err %v, want alerts.refusal.secret-length", err)
			}
		})
	}
}
