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

// TestNewChannelSecret: a gateway channel created without a secret is
// refused with a keyed message naming the secret field as the
// Administration page labels it (Twilio: its auth token), in English and
// French, never the CLI's flags; a new channel's secret is trimmed of
// surrounding spaces as a new secret for an existing channel is
// (RotateSecret), so spaces alone are no secret.
func TestNewChannelSecret(t *testing.T) {
	ctx := context.Background()
	svc := alerts.NewService(testutil.Store(t), testutil.Keys(t, "k"))
	for _, tc := range []struct {
		name   string
		kind   alerts.Kind
		secret string
		key    string // "" when taken
		fr     string // in the French refusal
		kept   string // the secret stored when taken
	}{
		{"smssync none", alerts.SMSSync, "", "alerts.refusal.secret-missing", "secret de 8 à 200 caractères", ""},
		{"webhook spaces", alerts.Webhook, "          ", "alerts.refusal.secret-missing", "secret de 8 à 200 caractères", ""},
		{"twilio none", alerts.Twilio, "", "alerts.refusal.token-missing", "« Jeton d’authentification Twilio »", ""},
		{"twilio spaces", alerts.Twilio, " \t        ", "alerts.refusal.token-missing", "« Jeton d’authentification Twilio »", ""},
		{"smssync padded", alerts.SMSSync, "  padded-secret \n", "", "", "padded-secret"},
		{"twilio padded", alerts.Twilio, " tw-token-1 ", "", "", "tw-token-1"},
		{"padded 7", alerts.SMSSync, "  abcdefg  ", "alerts.refusal.new-secret-length", "de 8 à 200 caractères", ""},
		{"web none", alerts.Web, "", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := svc.NewChannel(ctx, "a", tc.kind, "Chan "+strings.ReplaceAll(tc.name, " ", "-"), tc.secret, "")
			if tc.key == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				got, err := svc.Channel(ctx, c.Key)
				if err != nil || got.Secret != tc.kept {
					t.Fatalf("stored secret %q (%v), want %q", got.Secret, err, tc.kept)
				}
				return
			}
			e := apperr.As(err)
			if e == nil || !errors.Is(err, apperr.ErrInvalid) || e.Key != tc.key || apperr.FieldOf(err) != "secret" {
				t.Fatalf("err %v, want %s naming secret", err, tc.key)
			}
			m, _ := e.Said()
			fr := m.Text("fr")
			if !strings.Contains(fr, tc.fr) || strings.Contains(fr, "--") || strings.Contains(err.Error(), "--") {
				t.Errorf("said %q / %q: want %q and no CLI flag", err.Error(), fr, tc.fr)
			}
		})
	}
}
