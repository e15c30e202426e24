// Package auth holds Vigil's users, roles, passwords, sessions, API tokens
// and CSRF protection. Every HTTP route states the least role it needs;
// the server's middleware resolves the caller (session cookie or
// "Authorization: Bearer" token) and puts the *User in the request context.
package auth

import (
	"context"

	"github.com/vigil-project/vigil/internal/apperr"
)

// Role is a user's role. Roles are ordered: each includes the rights of the
// ones below it (viewer < responder < analyst < admin).
//   - viewer: reads maps, events, risk, coverage and aggregate results.
//   - responder: also works the alert queue (triage, dispatch, resolve) and
//     sees reporters' contact details to call them back.
//   - analyst: also imports data, runs forecasts, plans, surveys.
//   - admin: also manages users, channels, forms and keys.
type Role string

const (
	Viewer    Role = "viewer"
	Responder Role = "responder"
	Analyst   Role = "analyst"
	Admin     Role = "admin"
)

var roleLevel = map[Role]int{Viewer: 1, Responder: 2, Analyst: 3, Admin: 4}

// Roles lists the roles from least to most privileged.
var Roles = []Role{Viewer, Responder, Analyst, Admin}

// ParseRole validates a role name.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if _, ok := roleLevel[r]; !ok {
		return "", apperr.Textf("unknown role %q (want viewer, responder, analyst or admin)", s)
	}
	return r, nil
}

// AtLeast reports whether r includes the rights of min.
func (r Role) AtLeast(min Role) bool { return roleLevel[r] >= roleLevel[min] && roleLevel[min] > 0 }

// User is an authenticated principal (a person, or a machine holding a token).
type User struct {
	ID   int64
	Name string
	Role Role
}

type ctxKey struct{}

// WithUser returns a context carrying u.
func WithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, ctxKey{}, u)
}

// UserFrom returns the authenticated user in ctx, if any.
func UserFrom(ctx context.Context) (*User, bool) {
	u, ok := ctx.Value(ctxKey{}).(*User)
	return u, ok && u != nil
}
