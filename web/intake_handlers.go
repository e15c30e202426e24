package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"html/template"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
)

// Gateway intake: each channel has a public URL /intake/<kind>/<key> that
// checks the channel's own secret or signature (SMSSync secret, Twilio
// X-Twilio-Signature, webhook token) or, for the web form, a CSRF token.
func (s *Server) alertsSvc() (*alerts.Service, error) {
	if s.Alerts == nil {
		return nil, sayError(http.StatusServiceUnavailable, "alerts.refusal.not-configured")
	}
	return s.Alerts, nil
}

// intakeChannel loads the channel named by the URL and checks its kind.
func (s *Server) intakeChannel(r *http.Request, kind alerts.Kind) (*alerts.Service, alerts.Channel, error) {
	svc, err := s.alertsSvc()
	if err != nil {
		return nil, alerts.Channel{}, err
	}
	c, err := svc.IntakeChannel(r.Context(), kind, r.PathValue("key"))
	if err != nil {
		return nil, alerts.Channel{}, err
	}
	return svc, c, nil
}

// readForm reads a form body of at most alerts.MaxBodyBytes.
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, []byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, alerts.MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, nil, tooLarge(alerts.MaxBodyBytes)
		}
		return nil, nil, badRequest("", "cannot read the request body")
	}
	form, err := alerts.ParseBody(r.Header.Get("Content-Type"), body)
	if err != nil {
		return nil, nil, err
	}
	return form, body, nil
}

// retryAfter is the Retry-After (seconds) of a 503 while the database
// cannot take a write.
const retryAfter = "5"

// smssyncFail answers SMSSync's JSON error shape with a status.
func smssyncFail(w http.ResponseWriter, err error) error {
	if e := httpError(w, err); e != nil {
		writeJSON(w, e.Status, alerts.SMSSyncError(e.Msg))
		return nil
	}
	return err
}

// gateway is what the alert network needs of a gateway's request to
// /intake/<kind>/{key}; it reads the body when the gateway's protocol asks.
func (s *Server) gateway(w http.ResponseWriter, r *http.Request) alerts.GatewayRequest {
	return alerts.GatewayRequest{Key: r.PathValue("key"), Query: r.URL.Query(), Header: r.Header, URL: s.requestURL(r),
		Read: func() (url.Values, []byte, error) { return readForm(w, r) }}
}

// smssync answers an SMSSync request with what call returns for it, or its
// error in SMSSync's shape.
func smssync(call func(*alerts.Service, context.Context, alerts.GatewayRequest) (any, error)) serverMethod {
	return func(s *Server, w http.ResponseWriter, r *http.Request) error {
		svc, err := s.alertsSvc()
		if err != nil {
			return smssyncFail(w, err)
		}
		out, err := call(svc, r.Context(), s.gateway(w, r))
		if err != nil {
			return smssyncFail(w, err)
		}
		writeJSON(w, http.StatusOK, out)
		return nil
	}
}

// requestURL is the URL the gateway called, as it signed it.
func (s *Server) requestURL(r *http.Request) string {
	if s.Alerts != nil && s.Alerts.BaseURL != "" {
		return strings.TrimRight(s.Alerts.BaseURL, "/") + r.URL.RequestURI()
	}
	scheme := "http"
	if r.TLS != nil || s.Secure {
		scheme = "https"
	}
	return scheme + "://" + r.Host + r.URL.RequestURI()
}

func (s *Server) intakeTwilio(w http.ResponseWriter, r *http.Request, svc *alerts.Service) error {
	twiml, busy, err := svc.TwilioPost(r.Context(), s.gateway(w, r))
	if err != nil {
		return err
	}
	status := http.StatusOK
	if busy {
		w.Header().Set("Retry-After", retryAfter)
		status = http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	_, err = w.Write(twiml)
	return err
}

func (s *Server) intakeWebhook(w http.ResponseWriter, r *http.Request, svc *alerts.Service) error {
	return reply(w, http.StatusOK)(svc.WebhookPost(r.Context(), s.gateway(w, r)))
}

//go:embed templates/alerts_form.html templates/head.html
var alertsFormFS embed.FS

var alertsFormTmpl = template.Must(template.ParseFS(alertsFormFS, "templates/alerts_form.html", "templates/head.html"))

// alertFormTexts is the form's wording per language.
var alertFormTexts = alerts.WebFormTexts

type alertFormPage struct {
	Lang, Action, CSRF, Error, Message, Location, From, Name string
	Done, Closed, Tipline                                    bool // Tipline: the channel is a tipline
	Ref                                                      int64
	T                                                        alerts.WebFormText
}

const alertFormCookie = "vigil_alert_csrf"

func (s *Server) renderAlertForm(w http.ResponseWriter, r *http.Request, status int, p alertFormPage) error {
	p.CSRF = auth.NewCSRFToken()
	p.Action = r.URL.Path + "?lang=" + p.Lang // the page's language, even for a post whose body cannot be read
	p.T = alertFormTexts[p.Lang]
	if p.Tipline {
		// The answer is promised by SMS only when it can be sent.
		svc, err := s.alertsSvc()
		if err != nil {
			return err
		}
		sms, err := svc.AnswersBySMS(r.Context())
		if err != nil {
			return err
		}
		if sms {
			p.T = p.T.ForTipline()
		} else {
			p.T = p.T.ForTiplineNoSMS()
		}
	}
	http.SetCookie(w, &http.Cookie{Name: alertFormCookie, Value: p.CSRF, Path: r.URL.Path, MaxAge: 4 * 3600,
		HttpOnly: true, Secure: s.Secure, SameSite: http.SameSiteStrictMode})
	var b bytes.Buffer
	if err := alertsFormTmpl.Execute(&b, p); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(b.Bytes())
	return err
}

// webFormClosed answers a browser that asks for (or posts) a web form whose
// link names no open channel with the form's page saying so in its
// language (404), not the API's JSON; any other err as it is.
func (s *Server) webFormClosed(w http.ResponseWriter, r *http.Request, lang string, err error) error {
	if !errors.Is(err, alerts.ErrUnknownChannel) {
		return err
	}
	return s.renderAlertForm(w, r, http.StatusNotFound, alertFormPage{Lang: pickLang(r, lang), Closed: true})
}

func (s *Server) intakeWebForm(w http.ResponseWriter, r *http.Request) error {
	_, c, err := s.intakeChannel(r, alerts.Web)
	if err != nil {
		return s.webFormClosed(w, r, r.URL.Query().Get("lang"), err)
	}
	return s.renderAlertForm(w, r, http.StatusOK, alertFormPage{Lang: pickLang(r, r.URL.Query().Get("lang")), Tipline: c.Tipline})
}

func (s *Server) intakeWebSubmit(w http.ResponseWriter, r *http.Request) error {
	svc, c, err := s.intakeChannel(r, alerts.Web)
	if err != nil {
		r.Body = http.MaxBytesReader(w, r.Body, alerts.MaxBodyBytes)
		return s.webFormClosed(w, r, r.FormValue("lang"), err)
	}
	form, _, err := readForm(w, r)
	if err != nil {
		// Nothing typed can be kept: the form again, empty, saying why in
		// the page's language (?lang= of its action, else Accept-Language).
		p := alertFormPage{Lang: pickLang(r, r.URL.Query().Get("lang")), Tipline: c.Tipline}
		status, t := http.StatusBadRequest, alertFormTexts[p.Lang]
		p.Error = t.Unreadable
		if e := httpError(w, err); e != nil && e.Status == http.StatusRequestEntityTooLarge {
			status, p.Error = e.Status, t.TooLarge
		}
		return s.renderAlertForm(w, r, status, p)
	}
	p := alertFormPage{Lang: pickLang(r, form.Get("lang")), Message: form.Get("message"), Location: form.Get("location"),
		From: form.Get("from"), Name: form.Get("name"), Tipline: c.Tipline}
	post := alerts.WebFormPost{IP: clientIP(r), CSRF: form.Get("csrf"), Lang: p.Lang,
		In: alerts.Inbound{Message: p.Message, Location: p.Location, From: p.From, Name: p.Name}}
	if ck, err := r.Cookie(alertFormCookie); err == nil {
		post.CSRFCookie = ck.Value
	}
	ref, no, err := svc.PostWebForm(r.Context(), c, post)
	if err != nil {
		return err
	}
	if no == nil {
		return s.renderAlertForm(w, r, http.StatusOK, alertFormPage{Lang: p.Lang, Done: true, Ref: ref, Tipline: c.Tipline})
	}
	// The page again, with what was typed kept, so sending again is one click.
	if no.Wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(no.Wait.Seconds()))))
	}
	p.Error = no.Msg
	return s.renderAlertForm(w, r, webFormStatus[no.Outcome], p)
}

// webFormStatus is the status of each refusal of the web form.
var webFormStatus = map[alerts.FormOutcome]int{alerts.FormThrottled: http.StatusTooManyRequests,
	alerts.FormExpired: http.StatusForbidden, alerts.FormInvalid: http.StatusBadRequest, alerts.FormBusy: http.StatusServiceUnavailable}
