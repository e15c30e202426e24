package alerts

import (
	"context"
	"fmt"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/internal/apperr"
)

// KeyStatus is the ids of the keys that seal personal data and the one new
// data is sealed with (never the keys themselves).
func (s *Service) KeyStatus() map[string]any {
	ids := s.Keys.IDs()
	if ids == nil {
		ids = []string{}
	}
	return map[string]any{"active": s.Keys.Active(), "keys": ids}
}

// RotateKeys makes a new active key, saves the key file, records the
// rotation in log (nil: not recorded) and re-encrypts the alert network's
// sealed values with it. Old keys stay in the key file so other sealed data
// still opens. Keys from the environment (VIGIL_KEYS) cannot be rotated: a
// conflict.
func (s *Service) RotateKeys(ctx context.Context, actor string, log audit.Log) (map[string]any, error) {
	id, err := s.Keys.Rotate()
	if err != nil {
		return nil, wholeRefusal(apperr.KindConflict, "", err, "alerts.refusal.keys-env", crypt.EnvVar)
	}
	if log != nil {
		if err := log.Record(ctx, audit.Entry{Actor: actor, Action: "keys.rotate", Object: "key:" + id, Detail: "new active key"}); err != nil {
			return nil, err
		}
	}
	n, err := s.Reseal(ctx, actor)
	if err != nil {
		return nil, fmt.Errorf("new key %s is active but re-encryption failed (rotate again): %w", id, err)
	}
	return map[string]any{"active": id, "keys": s.Keys.IDs(), "resealed": n}, nil
}
