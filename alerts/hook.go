package alerts

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
)

// The escalation webhook is set either by the server's flag (vigil serve
// --alerts-escalation-url, Service.EscalationURL) or by an administrator
// on Administration → Escalation notices, stored in the database
// (alert_escalation_hook, migration 0072) with its URL sealed under
// AADEscalationHook (it often carries a token). A URL set in the browser
// wins over the flag. It is read from the store at each use (a post, a
// pass of the outbox, an escalation), so a change reaches every server on
// the database at its next post, without a restart. The URL is never
// logged nor answered whole: only its scheme and host (HookView.Shown).

// AADEscalationHook is the aad of the escalation webhook's sealed URL.
const AADEscalationHook = "alert_escalation_hook.url"

// MaxHookURL bounds the webhook URL set in the browser, in bytes.
const MaxHookURL = 2000

// StoredHook is the escalation webhook set in the browser, as stored.
type StoredHook struct {
	URLSealed []byte
	Updated   time.Time
	UpdatedBy string
}

// HookStore keeps the escalation webhook set in the browser (one row).
type HookStore interface {
	// EscalationHook answers the stored webhook; apperr.ErrNotFound when
	// none is set.
	EscalationHook(ctx context.Context) (StoredHook, error)
	// SetEscalationHook stores h (replacing any), audited in actor's name
	// (alerts.hook.set, or alerts.hook.change when one was set) with
	// detail (the URL's scheme and host, never its path), and makes the
	// unsent notices that are not being posted due at h.Updated with
	// their tries counted anew (given up no more): they go to the new URL.
	SetEscalationHook(ctx context.Context, actor string, h StoredHook, detail string) error
	// RemoveEscalationHook deletes the stored webhook, audited
	// (alerts.hook.remove); apperr.ErrNotFound when none was set.
	RemoveEscalationHook(ctx context.Context, actor string, detail string) error
	// AuditHookTest records a test notice posted by actor (alerts.hook.test)
	// with detail (where and how it went).
	AuditHookTest(ctx context.Context, actor string, detail string) error
}

// Where the webhook in force was set (HookView.Source).
const (
	HookSetHere = "here" // in the browser (stored)
	HookSetFlag = "flag" // by vigil serve --alerts-escalation-url
	HookNone    = ""     // nowhere: notices wait
)

// hookTarget is the webhook in force: its URL ("" for none) and where it
// was set.
type hookTarget struct {
	URL    string
	Source string
}

// HookView is what Administration → Escalation notices shows of the
// webhook: where the one in force was set, its scheme and host
// ("https://ops.example.org/…"), when and by whom it was set here, and
// whether the server's flag gives one too (shown so, never whole).
type HookView struct {
	Source    string     `json:"source"`
	Shown     string     `json:"shown,omitempty"`
	Updated   *time.Time `json:"updated,omitempty"`
	UpdatedBy string     `json:"updated_by,omitempty"`
	Flag      string     `json:"flag,omitempty"`
}

// HookRequest is the body of PUT /api/v1/alerts/escalation-hook.
type HookRequest struct {
	URL string `json:"url"`
}

// HookTest is the answer of POST /api/v1/alerts/escalation-hook/test: the
// webhook's HTTP status (0 when no answer came) or why the post failed
// (no URL in it).
type HookTest struct {
	Shown  string `json:"shown"`
	Status int    `json:"status,omitempty"`
	OK     bool   `json:"ok"`
	Error  string `json:"error,omitempty"`
}

// ShownURL is raw's scheme and host, followed by "/…" when it has more
// (a path, a query): what the pages and the audit log show of a webhook
// URL, whose path or query is often its secret.
func ShownURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	s := strings.ToLower(u.Scheme) + "://" + u.Host
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		s += "/…"
	}
	return s
}

// hookStore is the store of the webhook set in the browser; false for a
// Service without a store (tests of the posting alone).
func (s *Service) hookStore() (HookStore, bool) {
	return s.Store, s.Store != nil && s.Keys != nil
}

// webhook is the escalation webhook in force: the one set in the browser,
// else the flag's. A stored URL that cannot be opened (a key removed from
// the ring) is an error: the notices wait rather than go to the flag's.
func (s *Service) webhook(ctx context.Context) (hookTarget, error) {
	_, raw, found, err := s.storedHook(ctx, true)
	switch {
	case err != nil:
		return hookTarget{}, err
	case found:
		return hookTarget{URL: raw, Source: HookSetHere}, nil
	case s.EscalationURL != "":
		return hookTarget{URL: s.EscalationURL, Source: HookSetFlag}, nil
	}
	return hookTarget{}, nil
}

// storedHook reads the webhook set in the browser (found: there is one)
// and, when open, its URL opened with the key ring (an error when it
// cannot be).
func (s *Service) storedHook(ctx context.Context, open bool) (h StoredHook, raw string, found bool, err error) {
	hs, ok := s.hookStore()
	if !ok {
		return h, "", false, nil
	}
	h, err = hs.EscalationHook(ctx)
	if errors.Is(err, apperr.ErrNotFound) {
		return h, "", false, nil
	}
	if err != nil || !open {
		return h, "", err == nil, err
	}
	b, err := s.Keys.Open(h.URLSealed, []byte(AADEscalationHook))
	if err != nil {
		return h, "", true, errors.New("escalation webhook: the stored URL cannot be opened with the key ring")
	}
	return h, string(b), true, nil
}

// hasWebhook reports whether a webhook is in force; an error reading it
// counts as one (the notice is queued and waits: nothing is lost). A
// stored URL is not opened to say so.
func (s *Service) hasWebhook(ctx context.Context) bool {
	_, _, found, err := s.storedHook(ctx, false)
	return err != nil || found || s.EscalationURL != ""
}

// HasWebhook reports whether an escalation webhook is in force (set in the
// browser or by the flag).
func (s *Service) HasWebhook(ctx context.Context) bool { return s.hasWebhook(ctx) }

// EscalationHook answers the webhook as Administration → Escalation
// notices shows it.
func (s *Service) EscalationHook(ctx context.Context) (HookView, error) {
	v := HookView{Flag: ShownURL(s.EscalationURL)}
	h, raw, found, err := s.storedHook(ctx, true)
	if err != nil {
		return HookView{}, err
	}
	if found {
		at := h.Updated
		v.Source, v.Shown, v.Updated, v.UpdatedBy = HookSetHere, ShownURL(raw), &at, h.UpdatedBy
		return v, nil
	}
	if s.EscalationURL != "" {
		v.Source, v.Shown = HookSetFlag, v.Flag
	}
	return v, nil
}

// SetEscalationHook sets the escalation webhook to req.URL in actor's name:
// checked as the flag is (http or https; link-local and metadata hosts
// refused unless the server allows them), else a keyed 400 naming "url"
// and nothing written. The unsent notices are posted to it at once.
func (s *Service) SetEscalationHook(ctx context.Context, actor string, req HookRequest) (HookView, error) {
	hs := s.Store
	raw := strings.TrimSpace(req.URL)
	if raw == "" {
		return HookView{}, apperr.Say(apperr.KindInvalid, "url", "alerts.refusal.hook-empty")
	}
	if len(raw) > MaxHookURL {
		return HookView{}, apperr.Say(apperr.KindInvalid, "url", "alerts.refusal.hook-long", MaxHookURL)
	}
	if err := CheckEscalationURL(raw, s.EscalationAllowLinkLocal); err != nil {
		return HookView{}, apperr.FieldErr(apperr.KindInvalid, "url", err)
	}
	sealed, err := s.Keys.Seal([]byte(raw), []byte(AADEscalationHook))
	if err != nil {
		return HookView{}, err
	}
	if err := hs.SetEscalationHook(ctx, actor, StoredHook{URLSealed: sealed, Updated: s.now(), UpdatedBy: actor}, "webhook "+ShownURL(raw)); err != nil {
		return HookView{}, err
	}
	s.kickNotices()
	return s.EscalationHook(ctx)
}

// RemoveEscalationHook removes the webhook set in the browser, in actor's
// name: the flag's, if any, is in force again. A keyed 404 when none was
// set here.
func (s *Service) RemoveEscalationHook(ctx context.Context, actor string) (HookView, error) {
	v, err := s.EscalationHook(ctx)
	if err != nil {
		return HookView{}, err
	}
	if v.Source != HookSetHere {
		return HookView{}, apperr.Say(apperr.KindNotFound, "", "alerts.refusal.hook-none-here")
	}
	if err := s.Store.RemoveEscalationHook(ctx, actor, "webhook "+v.Shown); errors.Is(err, apperr.ErrNotFound) {
		return HookView{}, apperr.Say(apperr.KindNotFound, "", "alerts.refusal.hook-none-here")
	} else if err != nil {
		return HookView{}, err
	}
	s.kickNotices()
	return s.EscalationHook(ctx)
}

// TestEscalationHook posts a test notice (type "vigil.test", "test": true)
// to the webhook in force, in actor's name (audited with how it went), and
// answers the webhook's HTTP status or why the post failed. Without a
// webhook, the keyed conflict alerts.refusal.no-webhook.
func (s *Service) TestEscalationHook(ctx context.Context, actor string) (HookTest, error) {
	t, err := s.webhook(ctx)
	if err != nil {
		return HookTest{}, err
	}
	if t.URL == "" {
		return HookTest{}, apperr.Say(apperr.KindConflict, "", "alerts.refusal.no-webhook")
	}
	n := newNotice(map[string]any{"type": "vigil.test", "test": true,
		"message": "Test notice sent from Vigil (Administration → Escalation notices): no incident, nothing to do.",
		"sent_by": actor, "url": s.base() + "/#/admin/notices"})
	status, perr := s.postTo(ctx, t, n.Key, n.Body)
	r := HookTest{Shown: ShownURL(t.URL), Status: status, OK: perr == nil}
	// The audit's detail, in phrases the audit page reads into words.
	detail := "test notice to " + r.Shown + " set here"
	if t.Source == HookSetFlag {
		detail = "test notice to " + r.Shown + " set by the server's flag"
	}
	switch {
	case perr == nil || status != 0:
		detail += fmt.Sprintf("; answered HTTP %d", status)
		if perr != nil {
			r.Error = perr.Error()
		}
	default:
		r.Error = perr.Error()
		detail += "; failed: " + r.Error
	}
	if hs, ok := s.hookStore(); ok {
		if err := hs.AuditHookTest(ctx, actor, detail); err != nil {
			return HookTest{}, err
		}
	}
	return r, nil
}
