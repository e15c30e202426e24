package auth

import (
	"context"
	"errors"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
)

// Requests as the API takes them, and who may make them beyond the route's
// role: tokens and changes to users.

// TokenRequest asks for an API token.
type TokenRequest struct {
	User    string `json:"user"`     // default: the caller
	Name    string `json:"name"`     // a label, e.g. "nightly import"
	TTLDays int    `json:"ttl_days"` // 0: no expiry
}

// MaxTokenDays is the longest life of a token asked for in days.
const MaxTokenDays = 3650

// IssueToken makes an API token for the caller by or (admins only) for
// another user. The answer holds the token, which is never shown again.
func (s *Service) IssueToken(ctx context.Context, by *User, req TokenRequest) (map[string]any, error) {
	if req.User == "" {
		req.User = by.Name
	}
	if req.User != by.Name && !by.Role.AtLeast(Admin) {
		return nil, apperr.Say(apperr.KindForbidden, "", "auth.refusal.token-other")
	}
	if req.TTLDays < 0 || req.TTLDays > MaxTokenDays {
		return nil, apperr.Say(apperr.KindInvalid, "ttl_days", "auth.refusal.token-days", MaxTokenDays)
	}
	tok, t, err := s.CreateToken(ctx, by.Name, req.User, req.Name, time.Duration(req.TTLDays)*24*time.Hour)
	if errors.Is(err, ErrNoUser) {
		return nil, apperr.Say(apperr.KindInvalid, "user", "auth.refusal.no-user", req.User)
	}
	if err != nil {
		return nil, err
	}
	out := map[string]any{"token": tok, "id": t.ID, "name": t.Name, "user": req.User, "created": t.Created}
	if !t.Expires.IsZero() {
		out["expires"] = t.Expires
	}
	return out, nil
}

// UserRequest asks for a new user.
type UserRequest struct {
	Name     string `json:"name"`
	Role     string `json:"role"`
	Password string `json:"password"`
}

// AddUser creates the user req asks for, in by's name; a taken name is a
// conflict on the field name.
func (s *Service) AddUser(ctx context.Context, by *User, req UserRequest) (Account, error) {
	a, err := s.CreateUser(ctx, by.Name, req.Name, Role(req.Role), req.Password)
	if errors.Is(err, ErrUserExists) {
		e := apperr.Say(apperr.KindConflict, "name", "auth.refusal.user-exists", req.Name)
		e.Err = err
		return a, e
	}
	return a, err
}

// UserChangeRequest asks to change a user; absent fields are unchanged.
type UserChangeRequest struct {
	Role     *string `json:"role"`
	Disabled *bool   `json:"disabled"`
	Password *string `json:"password"`
}

// ChangeUser applies req to user name, in by's name. An admin cannot lock
// themselves out: they may not disable their own account or drop their own
// admin role.
func (s *Service) ChangeUser(ctx context.Context, by *User, name string, req UserChangeRequest) (Account, error) {
	var ch Change
	if req.Role != nil {
		role, err := ParseRole(*req.Role)
		if err != nil {
			return Account{}, apperr.Wrap(apperr.KindInvalid, "role", err)
		}
		ch.Role = &role
	}
	ch.Disabled, ch.Password = req.Disabled, req.Password
	if name == by.Name {
		if ch.Disabled != nil && *ch.Disabled {
			return Account{}, apperr.Say(apperr.KindInvalid, "disabled", "auth.refusal.own-disable")
		}
		if ch.Role != nil && *ch.Role != Admin {
			return Account{}, apperr.Say(apperr.KindInvalid, "role", "auth.refusal.own-admin")
		}
	}
	a, err := s.UpdateUser(ctx, by.Name, name, ch)
	if errors.Is(err, ErrNoUser) {
		e := apperr.Say(apperr.KindNotFound, "", "auth.refusal.no-user", name)
		e.Err = err
		return a, e
	}
	return a, err
}

// WithdrawToken is RevokeToken answering a token the caller may not
// revoke, or that does not exist, as not found.
func (s *Service) WithdrawToken(ctx context.Context, by *User, id int64) error {
	err := s.RevokeToken(ctx, by, id)
	if errors.Is(err, ErrNoToken) {
		e := apperr.Say(apperr.KindNotFound, "", "auth.refusal.no-token", id)
		e.Err = err
		return e
	}
	return err
}
