package web

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/lang"
)

//go:embed templates/login.html templates/login.css templates/head.html
var loginFS embed.FS

var loginTmpl = template.Must(template.ParseFS(loginFS, "templates/login.html", "templates/head.html"))

var loginCSS = func() []byte {
	b, err := loginFS.ReadFile("templates/login.css")
	if err != nil {
		panic(err)
	}
	return b
}()

// loginText is the login page's wording per language. French writes the
// apostrophe curly (’), as the app's French does.
type loginText struct {
	Title, Tagline, Name, Password, Submit  string
	BadLogin, RateLimited, BadCSRF, Missing string
}

var loginTexts = map[string]loginText{
	"en": {
		Title: "Vigil — log in", Tagline: "Conflict events, early warning and coverage for peace operations.",
		Name: "User name", Password: "Password", Submit: "Log in",
		BadLogin: "Wrong user name or password.", RateLimited: "Too many failed attempts. Wait 15 minutes and try again.",
		BadCSRF: "The form expired. Please try again.", Missing: "Enter your user name and password.",
	},
	"fr": {
		Title: "Vigil — connexion", Tagline: "Événements de conflit, alerte précoce et couverture pour les opérations de paix.",
		Name: "Nom d’utilisateur", Password: "Mot de passe", Submit: "Se connecter",
		BadLogin: "Nom d’utilisateur ou mot de passe incorrect.", RateLimited: "Trop de tentatives échouées. Attendez 15 minutes puis réessayez.",
		BadCSRF: "Le formulaire a expiré. Veuillez réessayer.", Missing: "Saisissez votre nom d’utilisateur et votre mot de passe.",
	},
}

// pickLang chooses "en" or "fr" from ?lang= (or the form's lang field), then
// Accept-Language, then English (lang.Pick).
func pickLang(r *http.Request, explicit string) string {
	return lang.Pick(explicit, r.Header.Get("Accept-Language"))
}

// safeNext returns next if it is a local path ("/…", not "//…"), else "/".
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

type loginPage struct {
	Lang  string
	T     loginText
	CSRF  string
	Next  string
	Name  string
	Error string
	// Chosen: the language was asked for (?lang=, the page's language
	// links, the app's own redirects), not guessed from Accept-Language;
	// the form then posts it and the app opens in it after the login.
	Chosen bool
}

// serveLoginCSS serves GET /login.css.
func serveLoginCSS(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, err := w.Write(loginCSS)
	return err
}

// keyring is the data directory's keyring, nil when the server has none.
func (s *Server) keyring() *crypt.Keyring {
	switch {
	case s.Surveys != nil && s.Surveys.Keys != nil:
		return s.Surveys.Keys
	case s.Alerts != nil && s.Alerts.Keys != nil:
		return s.Alerts.Keys
	}
	return nil
}

// renderLogin writes the login page with a fresh double-submit CSRF token.
func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, p loginPage) error {
	p.T = loginTexts[p.Lang]
	p.CSRF = auth.NewCSRFToken()
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: p.CSRF, Path: "/login", MaxAge: 3600,
		HttpOnly: true, Secure: s.Secure || r.TLS != nil, SameSite: http.SameSiteStrictMode})
	if p.Next == "/" {
		p.Next = ""
	}
	var buf bytes.Buffer
	if err := loginTmpl.Execute(&buf, p); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	l := q.Get("lang")
	// Without ?lang=, the language last chosen in the app on this browser
	// is a choice too: it comes before the browser's Accept-Language.
	if c, err := r.Cookie(langPrefCookie); err == nil && !slices.Contains(lang.Supported, l) && slices.Contains(lang.Supported, c.Value) {
		l = c.Value
	}
	return s.renderLogin(w, r, http.StatusOK, loginPage{Lang: pickLang(r, l), Chosen: slices.Contains(lang.Supported, l), Next: safeNext(q.Get("next"))})
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBodyBytes)
	err := r.ParseForm()
	chosen := r.PostForm.Get("lang") // what of the form could be read
	lang := pickLang(r, chosen)
	next := safeNext(r.URL.Query().Get("next"))
	if err != nil {
		// A browser gets the login page again, the refusal in its
		// language; a script the refusal as JSON, keyed.
		no := sayError(http.StatusBadRequest, "refusal.http.login-form", apperr.Detail(err))
		if !strings.Contains(r.Header.Get("Accept"), "text/html") {
			return no
		}
		return s.renderLogin(w, r, no.Status, loginPage{Lang: lang, Chosen: chosen == lang, Next: next, Error: (apperr.Message{Key: no.Key, Args: no.Args}).Text(lang)})
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	page := loginPage{Lang: lang, Chosen: chosen == lang, Next: next, Name: name}
	f := auth.LoginForm{Name: name, Password: r.PostForm.Get("password"), CSRF: r.PostForm.Get(csrfFormField), IP: clientIP(r)}
	if c, err := r.Cookie(loginCSRFCookie); err == nil {
		f.CSRFCookie = c.Value
	}
	ns, err := s.Auth.LoginWithForm(r.Context(), f)
	for _, no := range loginRefusals {
		if errors.Is(err, no.err) {
			page.Error = no.text(loginTexts[lang])
			if no.status == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", "900")
			}
			return s.renderLogin(w, r, no.status, page)
		}
	}
	if err != nil {
		return err
	}
	s.clearCookie(w, r, loginCSRFCookie, "/login")
	s.setSessionCookie(w, r, ns.ID, ns.Expires)
	if page.Chosen {
		// The app (web/ui/core/vigil.js) opens in the language the user
		// logged in with, then forgets this cookie: it keeps the choice.
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 600,
			Secure: s.Secure || r.TLS != nil, SameSite: http.SameSiteStrictMode})
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// loginRefusals are the login page's answers to a refused login.
var loginRefusals = []struct {
	err    error
	status int
	text   func(loginText) string
}{
	{auth.ErrLoginExpired, http.StatusForbidden, func(t loginText) string { return t.BadCSRF }},
	{auth.ErrLoginMissing, http.StatusBadRequest, func(t loginText) string { return t.Missing }},
	{auth.ErrRateLimited, http.StatusTooManyRequests, func(t loginText) string { return t.RateLimited }},
	{auth.ErrBadLogin, http.StatusUnauthorized, func(t loginText) string { return t.BadLogin }},
}

// logout ends the session. A form post is redirected to the login page; a
// JS request (X-CSRF-Token header) gets 204.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.Auth.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.clearCookie(w, r, sessionCookie, "/")
	if r.Header.Get(csrfHeader) != "" {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}
