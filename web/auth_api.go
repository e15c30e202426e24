package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
)

// me answers the caller's name, role, (for browser sessions) the CSRF
// token the JS app sends back as X-CSRF-Token, and the optional services
// this server runs, so the app does not call the routes of one it lacks
// (they answer 503).
func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	u, _ := auth.UserFrom(r.Context())
	writeJSON(w, http.StatusOK, map[string]any{"name": u.Name, "role": string(u.Role), "csrf": csrfFrom(r.Context()), "services": s.services()})
	return nil
}

// services names the optional services s runs, in a fixed order.
func (s *Server) services() []string {
	out := []string{}
	for _, c := range []struct {
		name string
		on   bool
	}{{"alerts", s.Alerts != nil}, {"contacts", s.Contacts != nil}, {"integrity", s.Integrity != nil},
		{"performance", s.Performance != nil}, {"surveys", s.Surveys != nil}} {
		if c.on {
			out = append(out, c.name)
		}
	}
	return out
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) error {
	u, _ := auth.UserFrom(r.Context())
	toks, err := s.Auth.Tokens(r.Context(), u.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": toks})
	return nil
}

type tokenRequest struct {
	User    string `json:"user"`     // default: the caller
	Name    string `json:"name"`     // a label, e.g. "nightly import"
	TTLDays int    `json:"ttl_days"` // 0: no expiry
}

// createToken makes an API token for the caller, or (admins only) for
// another user. The token is in this answer only; it is never shown again.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	u, _ := auth.UserFrom(r.Context())
	var req tokenRequest
	if err := decodeJSON(w, r, 4096, &req); err != nil {
		return err
	}
	if req.User == "" {
		req.User = u.Name
	}
	if req.User != u.Name && !u.Role.AtLeast(auth.Admin) {
		return errorf(http.StatusForbidden, "only an admin can create tokens for another user")
	}
	if req.TTLDays < 0 || req.TTLDays > 3650 {
		return badRequest("ttl_days", "ttl_days must be between 0 (no expiry) and 3650")
	}
	tok, t, err := s.Auth.CreateToken(r.Context(), u.Name, req.User, req.Name, time.Duration(req.TTLDays)*24*time.Hour)
	if errors.Is(err, auth.ErrNoUser) {
		return badRequest("user", "no user named %q", req.User)
	}
	if err != nil {
		return err
	}
	out := map[string]any{"token": tok, "id": t.ID, "name": t.Name, "user": req.User, "created": t.Created}
	if !t.Expires.IsZero() {
		out["expires"] = t.Expires
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, out)
	return nil
}

// revokeToken deletes one of the caller's tokens (admins: anyone's).
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	u, _ := auth.UserFrom(r.Context())
	v := r.PathValue("id")
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return badRequest("id", "id: %q is not a positive integer", v)
	}
	err = s.Auth.RevokeToken(r.Context(), u, id)
	if errors.Is(err, auth.ErrNoToken) {
		return errorf(http.StatusNotFound, "no token %d of yours", id)
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := s.Auth.Users(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": users})
	return nil
}

type newUserRequest struct {
	Name     string `json:"name"`
	Role     string `json:"role"`
	Password string `json:"password"`
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	u, _ := auth.UserFrom(r.Context())
	var req newUserRequest
	if err := decodeJSON(w, r, 8192, &req); err != nil {
		return err
	}
	a, err := s.Auth.CreateUser(r.Context(), u.Name, req.Name, auth.Role(req.Role), req.Password)
	if errors.Is(err, auth.ErrUserExists) {
		return &Error{Status: http.StatusConflict, Field: "name", Msg: fmt.Sprintf("a user named %q already exists", req.Name)}
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, a)
	return nil
}

type userChangeRequest struct {
	Role     *string `json:"role"`
	Disabled *bool   `json:"disabled"`
	Password *string `json:"password"`
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) error {
	u, _ := auth.UserFrom(r.Context())
	name := r.PathValue("name")
	var req userChangeRequest
	if err := decodeJSON(w, r, 8192, &req); err != nil {
		return err
	}
	var ch auth.Change
	if req.Role != nil {
		role, err := auth.ParseRole(*req.Role)
		if err != nil {
			return badRequest("role", "%v", err)
		}
		ch.Role = &role
	}
	ch.Disabled, ch.Password = req.Disabled, req.Password
	// An admin cannot lock themselves out.
	if name == u.Name {
		if ch.Disabled != nil && *ch.Disabled {
			return badRequest("disabled", "you cannot disable your own account")
		}
		if ch.Role != nil && *ch.Role != auth.Admin {
			return badRequest("role", "you cannot remove your own admin role")
		}
	}
	a, err := s.Auth.UpdateUser(r.Context(), u.Name, name, ch)
	if errors.Is(err, auth.ErrNoUser) {
		return errorf(http.StatusNotFound, "no user named %q", name)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

// auditLog answers audit records, newest first, filtered by actor, action
// (exact, or a prefix ending in "."), object, since/until (RFC 3339 or
// YYYY-MM-DD) and paged by cursor (the "next" of the previous page).
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := onlyParams(q, "actor", "action", "object", "since", "until", "cursor", "limit"); err != nil {
		return err
	}
	f := audit.Filter{Actor: q.Get("actor"), Action: q.Get("action"), Object: q.Get("object"), Limit: 100}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"since", &f.Since}, {"until", &f.Until}} {
		v := q.Get(p.name)
		if v == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			t, err = time.Parse("2006-01-02", v)
		}
		if err != nil {
			return badRequest(p.name, "%s: %q is not an RFC 3339 time or a YYYY-MM-DD date", p.name, v)
		}
		*p.dst = t
	}
	if v := q.Get("cursor"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return badRequest("cursor", "cursor: %q is not a positive integer from a previous answer's next", v)
		}
		f.Before = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > audit.MaxLimit {
			return badRequest("limit", "limit: %q must be an integer from 1 to %d", v, audit.MaxLimit)
		}
		f.Limit = n
	}
	recs, err := s.Audit.AuditLog(r.Context(), f)
	if err != nil {
		return err
	}
	out := map[string]any{"records": recs}
	if recs == nil {
		out["records"] = []audit.Record{}
	}
	if len(recs) == f.Limit {
		out["next"] = strconv.FormatInt(recs[len(recs)-1].ID, 10)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// onlyParams answers 400 naming the first query parameter not in allowed, so
// that a misspelt filter is not silently ignored.
func onlyParams(q map[string][]string, allowed ...string) error {
	for k := range q {
		ok := false
		for _, a := range allowed {
			if k == a {
				ok = true
				break
			}
		}
		if !ok {
			return badRequest(k, "unknown parameter %q (allowed: %s)", k, strings.Join(allowed, ", "))
		}
	}
	return nil
}
