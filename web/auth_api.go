package web

import (
	"net/http"
	"strconv"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/query"
	"github.com/vigil-project/vigil/openrosa"
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
	toks, err := s.Auth.Tokens(r.Context(), mustUser(r).ID)
	return reply(w, http.StatusOK)(map[string]any{"tokens": toks}, err)
}

// createToken makes an API token for the caller, or (admins only) for
// another user. The token is in this answer only; it is never shown again.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	var req auth.TokenRequest
	if err := decodeJSON(w, r, 4096, &req); err != nil {
		return err
	}
	out, err := s.Auth.IssueToken(r.Context(), mustUser(r), req)
	if err == nil {
		w.Header().Set("Cache-Control", "no-store")
	}
	return reply(w, http.StatusCreated)(out, err)
}

// revokeToken deletes one of the caller's tokens (admins: anyone's).
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	v := r.PathValue("id")
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return apperr.Fieldf(apperr.KindInvalid, "id", "%q is not a positive integer", v)
	}
	return noContent(w, s.Auth.WithdrawToken(r.Context(), mustUser(r), id))
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := s.Auth.Users(r.Context())
	return reply(w, http.StatusOK)(map[string]any{"users": users}, err)
}

// integrityAssignees names the users a check may be given to (the Verify
// page's « Confié à » list): names only, for analysts.
func (s *Server) integrityAssignees(w http.ResponseWriter, r *http.Request) error {
	names, err := s.Auth.Verifiers(r.Context())
	return reply(w, http.StatusOK)(map[string]any{"names": names}, err)
}

// createUser adds a user; with the surveys' keys, the HTTP Digest
// credential of its password is sealed first and stored with it in one
// transaction (auth.Service.SealDigest, set by Handler: sealDigest).
func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	var req auth.UserRequest
	if err := decodeJSON(w, r, 8192, &req); err != nil {
		return err
	}
	return reply(w, http.StatusCreated)(s.Auth.AddUser(r.Context(), mustUser(r), req))
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) error {
	var req auth.UserChangeRequest
	if err := decodeJSON(w, r, 8192, &req); err != nil {
		return err
	}
	return reply(w, http.StatusOK)(s.Auth.ChangeUser(r.Context(), mustUser(r), r.PathValue("name"), req))
}

// sealDigest seals, with the surveys' keys, the HTTP Digest HA1 of a
// password the users API sets, as the command line does for the passwords
// it sets: ODK Collect on plain HTTP logs in with Digest only (Basic needs
// TLS), and an enumerator made in Administration could not log in without
// it. nil when the server runs no surveys (no keys to seal with, no
// OpenRosa logins): then no HA1 is kept. The keys are read at each call.
func (s *Server) sealDigest() func(name, password string) ([]byte, error) {
	if s.Surveys == nil || s.Surveys.Keys == nil {
		return nil
	}
	return func(name, password string) ([]byte, error) { return openrosa.SealHA1(s.Surveys.Keys, name, password) }
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
			return query.Unknown(k, allowed...)
		}
	}
	return nil
}
