package contacts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/netguard"
	"github.com/vigil-project/vigil/internal/textcheck"
	"github.com/vigil-project/vigil/internal/textscan"
)

// Sending through the gateways. SMSSync phones take queued messages when
// they poll (task=send) and confirm them (task=sent); Twilio's Messages API
// and a generic webhook are pushed to by Service.Drain, at each gateway's
// rate, with bounded retries on 5xx answers and timeouts, and delivery
// receipts (Twilio's StatusCallback, a webhook's status POST) recorded
// per message.

// DefaultTwilioAPI is where Twilio's REST API is.
const DefaultTwilioAPI = "https://api.twilio.com"

// DefaultRatePerS is a gateway's rate when none is set (messages/second).
const DefaultRatePerS = 1.0

// GatewaySettings are how one channel sends broadcasts.
type GatewaySettings struct {
	ChannelID int64 `json:"channel_id"`
	// RatePerS bounds the messages per second pushed (0.01 to 100).
	RatePerS float64 `json:"rate_per_s"`
	// SendURL: the webhook's URL (required for a webhook); for Twilio, the
	// API's base URL ("" is DefaultTwilioAPI).
	SendURL string `json:"send_url,omitempty"`
	// AccountSID and From: Twilio's account and sender number.
	AccountSID string    `json:"account_sid,omitempty"`
	From       string    `json:"from,omitempty"`
	Updated    time.Time `json:"updated"`
	// Paused: the gateway keeps its settings but sends no broadcast.
	Paused bool `json:"paused"`
	// MaxAttempts is how many times a message is tried (1 to 20; 0: the
	// server's default).
	MaxAttempts int `json:"max_attempts"`
	// Secret, when given, replaces the channel's secret (Twilio's auth
	// token, the webhook's or SMSSync's shared secret). It is sealed at
	// rest and never returned: SetGateway answers with it empty.
	Secret       string `json:"secret,omitempty"`
	SecretSealed []byte `json:"-"`
}

// Delivery statuses recorded per message (Reach counts them).
const (
	StatusSent        = "sent"
	StatusDelivered   = "delivered"
	StatusUndelivered = "undelivered"
	StatusFailed      = "failed"
)

// Push is one outbox message due to be pushed to a gateway: a broadcast's
// (BroadcastID) or a reply to the reporter of an alert (AlertID, in
// incident IncidentID: an analyst's reply or a fact-check answer).
type Push struct {
	ID          int64
	UUID        string
	Message     string
	ToSealed    []byte
	BroadcastID int64
	AlertID     int64
	IncidentID  int64
	Attempts    int
}

// webhookBody is the JSON a webhook gateway is posted for message m to
// to: uuid (also the Idempotency-Key header), to, message and status_url
// (where to POST its delivery receipt; "" when the server's public
// address is not known), then what the message is: broadcast_id for a
// broadcast's; reply_id (the outgoing message's id), alert_id and
// incident_id for a reply to an alert's reporter, which is no broadcast.
func webhookBody(m Push, to, statusURL string) []byte {
	v := map[string]any{"uuid": m.UUID, "to": to, "message": m.Message, "status_url": statusURL}
	if m.BroadcastID != 0 || m.AlertID == 0 {
		v["broadcast_id"] = m.BroadcastID
	} else {
		v["reply_id"], v["alert_id"], v["incident_id"] = m.ID, m.AlertID, m.IncidentID
	}
	body, _ := json.Marshal(v)
	return body
}

// PushResult is what a gateway answered to one push.
type PushResult struct {
	Sent   bool   // the gateway took it
	Ref    string // the gateway's id for it (Twilio MessageSid)
	Final  bool   // not sent and not to be tried again
	Error  string // why not, in English (Failure.Error)
	Code   string // why not, as a stable reason code (Failure.Code)
	Said   string // the gateway's words, numbers masked (Failure.Said)
	NextAt time.Time
}

// failedWith is the result of a try that failed with f.
func failedWith(f Failure, final bool) PushResult {
	return PushResult{Final: final, Error: f.Error(), Code: f.Code, Said: f.Said}
}

// SenderStore is what pushing needs from the store (see storage).
type SenderStore interface {
	// SaveGateway stores (replaces) a channel's settings, audited.
	SaveGateway(ctx context.Context, actor string, g GatewaySettings) error
	GatewaySettings(ctx context.Context) ([]GatewaySettings, error)
	// PushPending lists up to limit messages of channelID to push at now:
	// not sent, not failed, their retry time come, not claimed by a push
	// after claimedBefore, and whose contact or number has not opted out
	// (read now: a contact who opted out after the broadcast was queued
	// is never handed to the gateway).
	PushPending(ctx context.Context, channelID int64, now, claimedBefore time.Time, limit int) ([]Push, error)
	// ClaimPush marks message id claimed at now unless it was sent,
	// failed, opted out or claimed after claimedBefore; false when another
	// push has it.
	ClaimPush(ctx context.Context, id int64, now, claimedBefore time.Time) (bool, error)
	// RecordPush stores a push's result (and clears the claim).
	RecordPush(ctx context.Context, id int64, r PushResult, now time.Time) error
	// RecordReceipt sets the delivery status of channelID's message
	// r.UUID (or, with r.UUID "", the one the gateway calls r.Ref), and
	// why it failed (f, for a failed or undelivered one); false when
	// unknown.
	RecordReceipt(ctx context.Context, channelID int64, r Receipt, f Failure, now time.Time) (bool, error)
	// AuditDrain audits what one drain of a gateway did, in counts.
	AuditDrain(ctx context.Context, channelID int64, sent, failed, retried int) error
	// FailInDoubt fails channelID's messages whose push began (claimed)
	// before claimedBefore and never recorded a result (the server died
	// or stopped mid-send), with errText (and reason FailInDoubt); it
	// returns how many.
	FailInDoubt(ctx context.Context, channelID int64, claimedBefore, now time.Time, errText string) (int, error)
}

// InDoubt is the error of a Twilio message whose push began and never
// recorded an answer (the server died or stopped in the middle of the
// call). Twilio's Messages API takes no idempotency key, so sending it
// again might deliver it twice: it is failed instead, and a StatusCallback
// from Twilio, if the message did reach it, records it sent or delivered.
const InDoubt = "in doubt: the server stopped during the send; not sent again (Twilio takes no idempotency key)"

// SetGateway validates and stores a channel's sending settings.
func (s *Service) SetGateway(ctx context.Context, actor string, g GatewaySettings) (GatewaySettings, error) {
	st, ok := s.Store.(SenderStore)
	if !ok || s.Channels == nil {
		return g, errors.New("contacts: this store cannot send broadcasts")
	}
	chs, err := s.Channels.Channels(ctx)
	if err != nil {
		return g, err
	}
	var ch *alerts.Channel
	for i := range chs {
		if chs[i].ID == g.ChannelID {
			ch = &chs[i]
		}
	}
	if ch == nil {
		return g, fieldErr("channel_id", "no channel with this id")
	}
	if math.IsNaN(g.RatePerS) || g.RatePerS < 0.01 || g.RatePerS > 100 {
		return g, fieldErr("rate_per_s", "give a rate between 0.01 and 100 messages per second")
	}
	if g.MaxAttempts < 0 || g.MaxAttempts > 20 {
		return g, fieldErr("max_attempts", "give between 1 and 20 tries per message (0: the server's default)")
	}
	if err := s.sealGatewaySecret(&g); err != nil {
		return GatewaySettings{ChannelID: g.ChannelID}, err
	}
	g.SendURL, g.AccountSID, g.From = strings.TrimSpace(g.SendURL), strings.TrimSpace(g.AccountSID), strings.TrimSpace(g.From)
	switch ch.Kind {
	case alerts.Twilio:
		if !validSID(g.AccountSID) {
			return g, fieldErr("account_sid", "a Twilio account SID is AC followed by 32 letters or digits")
		}
		p, err := NormalizePhone(g.From)
		if err != nil {
			return g, fieldErrOf("from", err)
		}
		g.From = p
	case alerts.Webhook:
		if g.SendURL == "" {
			return g, fieldErr("send_url", "give the URL the webhook gateway takes messages at")
		}
		g.AccountSID, g.From = "", ""
	case alerts.SMSSync:
		g.SendURL, g.AccountSID, g.From = "", "", ""
	default:
		return g, fieldErr("channel_id", "a web form channel cannot send messages")
	}
	if g.SendURL != "" {
		if err := alerts.CheckEscalationURL(g.SendURL, false); err != nil {
			return g, fieldErrOf("send_url", err)
		}
	}
	g.Updated = s.now()
	err = st.SaveGateway(ctx, actor, g)
	if err == nil && s.GatewayChanged != nil {
		s.GatewayChanged()
	}
	g.Secret, g.SecretSealed = "", nil
	return g, err
}

// sealGatewaySecret seals g.Secret (when given) for the channel's row and
// clears it from g.
func (s *Service) sealGatewaySecret(g *GatewaySettings) error {
	sec := strings.TrimSpace(g.Secret)
	g.Secret = ""
	if sec == "" {
		return nil
	}
	if len(sec) < 8 || len(sec) > 200 {
		return fieldErr("secret", "a secret is 8 to 200 characters")
	}
	sealed, err := s.Keys.Seal([]byte(sec), []byte(alerts.AADChannelSecret))
	g.SecretSealed = sealed
	return err
}

func validSID(s string) bool {
	if len(s) != 34 || !strings.HasPrefix(s, "AC") {
		return false
	}
	for _, r := range s[2:] {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// settings returns the stored settings by channel.
func (s *Service) settings(ctx context.Context) (map[int64]GatewaySettings, error) {
	out := map[int64]GatewaySettings{}
	st, ok := s.Store.(SenderStore)
	if !ok {
		return out, nil
	}
	gs, err := st.GatewaySettings(ctx)
	for _, g := range gs {
		out[g.ChannelID] = g
	}
	return out, err
}

// TwilioSenders are the channels whose stored settings let Twilio's
// Messages API send their queued messages (account SID and sender number
// set, not paused): the alerts service sends the replies to the reporters
// of a Twilio channel's alerts through it (alerts.Service.PushSenders),
// and Drain pushes them as it pushes broadcasts. A Twilio channel is also
// ready only when enabled: the alerts service checks that on its side.
func (s *Service) TwilioSenders(ctx context.Context) (map[int64]bool, error) {
	return s.senders(ctx, alerts.Twilio)
}

// PushSenders are the channels whose stored settings let their gateway
// send their queued messages itself: TwilioSenders, and the webhook
// channels with their outbound URL (not paused). The alerts service sends
// a reply to the reporter of such a channel's alert back through it
// (alerts.Service.PushSenders); Drain pushes it as it pushes broadcasts.
// A channel is also ready only when enabled: the alerts service checks
// that on its side.
func (s *Service) PushSenders(ctx context.Context) (map[int64]bool, error) {
	return s.senders(ctx, alerts.Twilio, alerts.Webhook)
}

// senders are the channels whose stored settings are ready to send as a
// channel of one of kinds.
func (s *Service) senders(ctx context.Context, kinds ...alerts.Kind) (map[int64]bool, error) {
	set, err := s.settings(ctx)
	if err != nil {
		return nil, err
	}
	out := map[int64]bool{}
	for id, g := range set {
		for _, k := range kinds {
			if ready(alerts.Channel{ID: id, Kind: k}, g, true) {
				out[id] = true
			}
		}
	}
	return out, nil
}

// ready reports whether channel c, with settings g (ok: stored), can send.
func ready(c alerts.Channel, g GatewaySettings, ok bool) bool {
	if c.Disabled || g.Paused {
		return false
	}
	switch c.Kind {
	case alerts.SMSSync:
		return true
	case alerts.Twilio:
		return ok && g.AccountSID != "" && g.From != ""
	case alerts.Webhook:
		return ok && g.SendURL != ""
	}
	return false
}

// httpClient is the client pushes go through: no proxy from the
// environment, no link-local or metadata address, a bounded wait. The
// default is made once per service, so pushes reuse its connections.
func (s *Service) httpClient() *http.Client {
	if s.HTTP != nil {
		return s.HTTP
	}
	s.pushOnce.Do(func() {
		d := &net.Dialer{Timeout: 10 * time.Second, Control: netguard.DialControl("broadcast gateway")}
		s.pushHTTP = &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{Proxy: nil, DialContext: d.DialContext,
			TLSHandshakeTimeout: 10 * time.Second, MaxIdleConnsPerHost: 4, IdleConnTimeout: time.Minute},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	})
	return s.pushHTTP
}

// pushOne sends one message and says what happened; err is a transient
// failure (timeout, network, 5xx, 429) to try again.
func (s *Service) pushOne(ctx context.Context, c alerts.Channel, g GatewaySettings, m Push, to string) (PushResult, error) {
	var req *http.Request
	var err error
	switch c.Kind {
	case alerts.Twilio:
		base := strings.TrimRight(g.SendURL, "/")
		if base == "" {
			base = DefaultTwilioAPI
		}
		from := g.From
		if strings.HasPrefix(to, "whatsapp:") && !strings.HasPrefix(from, "whatsapp:") {
			from = "whatsapp:" + from // a WhatsApp sender is answered on WhatsApp
		}
		form := url.Values{"To": {to}, "From": {from}, "Body": {m.Message}}
		if cb := s.receiptURL(c, m.UUID); cb != "" {
			form.Set("StatusCallback", cb)
		}
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, base+"/2010-04-01/Accounts/"+url.PathEscape(g.AccountSID)+"/Messages.json", strings.NewReader(form.Encode()))
		if err != nil {
			return failedWith(failure(FailBadURL), true), nil
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(g.AccountSID, c.Secret)
	case alerts.Webhook:
		body := webhookBody(m, to, s.receiptURL(c, ""))
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, g.SendURL, strings.NewReader(string(body)))
		if err != nil {
			return failedWith(failure(FailBadURL), true), nil
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Token "+c.Secret)
	default:
		return failedWith(failure(FailNotPushed), true), nil
	}
	// The same uuid on every attempt: a receiver that honours it never
	// delivers a message twice (a retry after a timeout, a push in doubt
	// when the server died).
	req.Header.Set("Idempotency-Key", m.UUID)
	hc := s.httpClient()
	resp, err := hc.Do(req)
	if err != nil {
		return PushResult{}, pushFailure(err, int(hc.Timeout/time.Second))
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var ans struct {
		SID     string `json:"sid"`
		ID      string `json:"id"`
		Message string `json:"message"`
		Code    int    `json:"code"`
	}
	_ = json.Unmarshal(raw, &ans)
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		ref := ans.SID
		if ref == "" {
			ref = ans.ID
		}
		ref = textscan.Clip(ref, 64) // never inside a character
		return PushResult{Sent: true, Ref: ref}, nil
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusRequestTimeout:
		return PushResult{}, statusFailure(c.Kind == alerts.Twilio, resp.StatusCode, ans.Code, ans.Message)
	}
	return failedWith(statusFailure(c.Kind == alerts.Twilio, resp.StatusCode, ans.Code, ans.Message), true), nil
}

// receiptURL is where the gateway reports delivery of a message ("" when
// the server's public address is not known).
func (s *Service) receiptURL(c alerts.Channel, uuid string) string {
	base := strings.TrimRight(s.BaseURL, "/")
	if base == "" {
		return ""
	}
	u := base + "/intake/" + string(c.Kind) + "/" + c.Key + "/status"
	if uuid != "" {
		u += "?m=" + uuid
	}
	return u
}

// Drain pushes channel c's due messages at its rate until none is left
// (or ctx ends) and returns how many the gateway took. A 5xx answer or a
// timeout is tried again later (Backoff, doubling, at most MaxAttempts
// tries); a 4xx answer fails the message at once.
func (s *Service) Drain(ctx context.Context, c alerts.Channel, g GatewaySettings) (sent int, err error) {
	st, ok := s.Store.(SenderStore)
	if !ok {
		return 0, errors.New("contacts: this store cannot send broadcasts")
	}
	if c.Secret == "" && len(c.SecretSealed) > 0 {
		p, err := s.Keys.Open(c.SecretSealed, []byte(alerts.AADChannelSecret))
		if err != nil {
			return 0, fmt.Errorf("channel %d secret: %w", c.ID, err)
		}
		c.Secret = string(p)
	}
	failed, retried := 0, 0
	defer func() {
		if sent+failed+retried > 0 {
			if aerr := st.AuditDrain(context.WithoutCancel(ctx), c.ID, sent, failed, retried); err == nil {
				err = aerr
			}
		}
	}()
	rate := g.RatePerS
	if rate <= 0 {
		rate = DefaultRatePerS
	}
	every := time.Duration(float64(time.Second) / rate)
	next := time.Now()
	for {
		now := s.now()
		if c.Kind == alerts.Twilio {
			// A Twilio push whose claim lapsed may have been taken:
			// at most once (see InDoubt). A webhook's is sent again
			// with the same uuid as its Idempotency-Key.
			n, err := st.FailInDoubt(ctx, c.ID, now.Add(-s.lease()), now, InDoubt)
			if err != nil {
				return sent, err
			}
			failed += n
		}
		ms, err := st.PushPending(ctx, c.ID, now, now.Add(-s.lease()), 100)
		if err != nil || len(ms) == 0 {
			return sent, err
		}
		for _, m := range ms {
			if d := time.Until(next); d > 0 {
				select {
				case <-ctx.Done():
					return sent, ctx.Err()
				case <-time.After(d):
				}
			}
			next = maxTime(next.Add(every), time.Now())
			now := s.now()
			if ok, err := st.ClaimPush(ctx, m.ID, now, now.Add(-s.lease())); err != nil || !ok {
				if err != nil {
					return sent, err
				}
				continue // another server has it, or its contact just opted out
			}
			r, perr := s.pushTo(ctx, c, g, m)
			if perr != nil {
				if ctx.Err() != nil {
					return sent, ctx.Err() // in doubt: the claim lapses (see InDoubt)
				}
				var f Failure
				if !errors.As(perr, &f) {
					f = failure(FailUnreachable)
				}
				r = failedWith(f, m.Attempts+1 >= s.maxAttempts(g))
				if !r.Final {
					r.NextAt = s.now().Add(s.backoff(m.Attempts + 1))
				}
			}
			if err := st.RecordPush(context.WithoutCancel(ctx), m.ID, r, s.now()); err != nil {
				return sent, err
			}
			switch {
			case r.Sent:
				sent++
			case r.Final:
				failed++
			default:
				retried++
			}
		}
	}
}

func (s *Service) pushTo(ctx context.Context, c alerts.Channel, g GatewaySettings, m Push) (PushResult, error) {
	to, err := s.Keys.Open(m.ToSealed, []byte(alerts.AADOutgoingTo))
	if err != nil {
		return failedWith(failure(FailNoKey), true), nil
	}
	return s.pushOne(ctx, c, g, m, string(to))
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Defaults of the push loop.
const (
	DefaultMaxAttempts = 5
	DefaultBackoff     = 5 * time.Second
	DefaultLease       = 2 * time.Minute
	maxBackoff         = 10 * time.Minute
)

func (s *Service) maxAttempts(g GatewaySettings) int {
	if g.MaxAttempts > 0 {
		return g.MaxAttempts
	}
	if s.MaxAttempts > 0 {
		return s.MaxAttempts
	}
	return DefaultMaxAttempts
}

// backoff is the wait before try n+1: Backoff doubling, at most 10 min.
func (s *Service) backoff(n int) time.Duration {
	b := s.Backoff
	if b <= 0 {
		b = DefaultBackoff
	}
	for i := 1; i < n && b < maxBackoff; i++ {
		b *= 2
	}
	return min(b, maxBackoff)
}

func (s *Service) lease() time.Duration {
	if s.Lease > 0 {
		return s.Lease
	}
	return DefaultLease
}

// RunGateways drains every push gateway (Twilio, webhook) with settings
// every interval until ctx ends, one goroutine per gateway.
func (s *Service) RunGateways(ctx context.Context, every time.Duration, logf func(error)) {
	busy := map[int64]chan struct{}{}
	runEvery(ctx, every, logf, func() error { return s.drainAll(ctx, busy, logf) })
}

func (s *Service) drainAll(ctx context.Context, busy map[int64]chan struct{}, logf func(error)) error {
	if s.Channels == nil {
		return nil
	}
	chs, err := s.Channels.Channels(ctx)
	if err != nil {
		return err
	}
	set, err := s.settings(ctx)
	if err != nil {
		return err
	}
	for _, c := range chs {
		g, ok := set[c.ID]
		if c.Kind == alerts.SMSSync || !ready(c, g, ok) {
			continue
		}
		if done, running := busy[c.ID]; running {
			select {
			case <-done:
			default:
				continue
			}
		}
		done := make(chan struct{})
		busy[c.ID] = done
		go func(c alerts.Channel, g GatewaySettings) {
			defer close(done)
			if _, err := s.Drain(ctx, c, g); err != nil && ctx.Err() == nil && logf != nil {
				logf(fmt.Errorf("gateway %d: %w", c.ID, err))
			}
		}(c, g)
	}
	return nil
}

// Receipt is a gateway's report on one message.
type Receipt struct {
	UUID   string
	Ref    string
	Status string
	Error  string
	// TwilioCode is a Twilio StatusCallback's ErrorCode (0: none).
	TwilioCode int
}

// twilioStatus maps Twilio's MessageStatus to ours ("" for the
// intermediate ones: queued, accepted, sending, scheduled).
var twilioStatus = map[string]string{"sent": StatusSent, "delivered": StatusDelivered, "undelivered": StatusUndelivered,
	"failed": StatusFailed, "read": StatusDelivered}

// ParseTwilioReceipt reads a Twilio StatusCallback form (MessageSid,
// MessageStatus, ErrorCode); uuid is the m parameter of the callback URL.
func ParseTwilioReceipt(uuid string, form url.Values) (Receipt, error) {
	r := Receipt{UUID: uuid, Ref: form.Get("MessageSid")}
	st := strings.ToLower(form.Get("MessageStatus"))
	if st == "" {
		st = strings.ToLower(form.Get("SmsStatus"))
	}
	if st == "" {
		return r, fieldErr("MessageStatus", "missing")
	}
	r.Status = twilioStatus[st]
	if code := form.Get("ErrorCode"); code != "" && len(code) <= 10 {
		r.Error = "Twilio error " + code
		if n, err := strconv.Atoi(code); err == nil && n > 0 {
			r.TwilioCode = n
		}
	}
	return r, checkReceipt(r)
}

// ParseWebhookReceipt reads a webhook gateway's status POST: JSON
// {"uuid": …, "status": "sent|delivered|undelivered|failed", "error": …}.
func ParseWebhookReceipt(body []byte) (Receipt, error) {
	var v struct {
		UUID   string `json:"uuid"`
		Status string `json:"status"`
		Error  string `json:"error"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return Receipt{}, fieldErrOf("body", apperr.JSONReason(err)) // in JSON words: no Go type names
	}
	r := Receipt{UUID: v.UUID, Status: strings.ToLower(strings.TrimSpace(v.Status)), Error: v.Error}
	switch r.Status {
	case StatusSent, StatusDelivered, StatusUndelivered, StatusFailed:
	default:
		return r, fieldErr("status", "want sent, delivered, undelivered or failed")
	}
	if r.UUID == "" {
		return r, fieldErr("uuid", "missing")
	}
	return r, checkReceipt(r)
}

func checkReceipt(r Receipt) error {
	if len(r.UUID) > 64 {
		return fieldErr("uuid", "longer than 64 bytes")
	}
	if len(r.Ref) > 64 {
		return fieldErr("MessageSid", "longer than 64 bytes")
	}
	if r.UUID == "" && r.Ref == "" {
		return fieldErr("m", "no message id")
	}
	if len(r.Error) > 200 {
		return fieldErr("error", "longer than 200 bytes")
	}
	// A NUL or bytes that are not UTF-8 match no message and PostgreSQL
	// refuses any statement sent them.
	for _, f := range [...]struct{ name, v string }{{"uuid", r.UUID}, {"MessageSid", r.Ref}, {"error", r.Error}} {
		if err := textcheck.Text(f.v); err != nil {
			return fieldErrOf(f.name, err)
		}
	}
	return nil
}

// GatewayReader reads a gateway's request once its signature or secret is
// checked (alerts.Service.GatewayForm).
type GatewayReader interface {
	GatewayForm(ctx context.Context, k alerts.Kind, req alerts.GatewayRequest) (alerts.Channel, url.Values, []byte, error)
}

// Receipt records the delivery report a gateway of kind k (Twilio's
// StatusCallback, a webhook's status POST) sent about one of its messages.
func (s *Service) Receipt(ctx context.Context, gw GatewayReader, k alerts.Kind, req alerts.GatewayRequest) error {
	c, form, body, err := gw.GatewayForm(ctx, k, req)
	if err != nil {
		return err
	}
	var r Receipt
	if k == alerts.Twilio {
		r, err = ParseTwilioReceipt(req.Query.Get("m"), form)
	} else {
		r, err = ParseWebhookReceipt(body)
	}
	if err != nil {
		return err
	}
	return s.RecordReceipt(ctx, c, r)
}

// RecordReceipt stores a gateway's delivery report for a message of
// channel c; an intermediate status (queued, sending) changes nothing.
func (s *Service) RecordReceipt(ctx context.Context, c alerts.Channel, r Receipt) error {
	st, ok := s.Store.(SenderStore)
	if !ok {
		return errors.New("contacts: this store cannot send broadcasts")
	}
	if r.Status == "" {
		return nil
	}
	f := receiptFailure(r)
	found, err := st.RecordReceipt(ctx, c.ID, r, f, s.now())
	if err == nil && !found {
		return ErrNoMessage
	}
	return err
}

// ErrNoMessage is a receipt for a message the channel never sent.
var ErrNoMessage = apperr.NotFound("no such message on this channel")

// smssyncBatch bounds the messages one SMSSync poll takes.
const smssyncBatch = 50

// PollLimit is how many queued messages an SMSSync phone polling channel
// id may take now (alerts.Service.PollLimit): its rate times the seconds
// since this channel's last poll, at least 1 and at most 50; 50 when the
// channel has no rate set. The phone sends them at its own pace: the rate
// bounds the average.
func (s *Service) PollLimit(ctx context.Context, id int64) int {
	set, err := s.settings(ctx)
	g, ok := set[id]
	if err != nil || !ok || g.RatePerS <= 0 {
		return smssyncBatch
	}
	now := s.now()
	s.pollMu.Lock()
	defer s.pollMu.Unlock()
	if s.lastPoll == nil {
		s.lastPoll = map[int64]time.Time{}
	}
	last, seen := s.lastPoll[id]
	s.lastPoll[id] = now
	if !seen {
		return max(1, min(smssyncBatch, int(g.RatePerS*60))) // first poll: a minute's worth
	}
	return max(1, min(smssyncBatch, int(g.RatePerS*now.Sub(last).Seconds())))
}
