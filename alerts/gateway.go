package alerts

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/vigil-project/vigil/internal/apperr"
)

// The gateways' protocols: what each intake URL /intake/<kind>/<key>
// checks (the channel's secret or signature), in which order, what it
// stores and what it answers. The HTTP edge reads the request and writes
// the answer.

// GatewayRequest is a gateway's request to an intake URL.
type GatewayRequest struct {
	Key    string      // the channel key of the URL
	Query  url.Values  // the URL's query
	Header http.Header // the request headers
	URL    string      // the full URL the gateway called, as it signed it (Twilio)
	// Read reads the body (at most MaxBodyBytes): the form fields (none
	// for JSON) and the raw bytes. It is called at most once, only after
	// the checks that need no body (a wrong webhook token is refused
	// before the body is read).
	Read func() (url.Values, []byte, error)
}

func (r GatewayRequest) contentType() string { return r.Header.Get("Content-Type") }

// ErrWrongSecret is an SMSSync request whose secret is not the channel's.
var ErrWrongSecret = apperr.Forbidden("wrong secret")

// RetryLater turns a store error that will pass (apperr.KindUnavailable:
// the database is locked past the busy timeout, or cannot be written now)
// into one saying the message was not kept, so that a gateway sends it
// again instead of taking a failure as final; any other error is returned
// as it is.
func RetryLater(err error) error {
	if k, ok := apperr.KindOf(err); ok && k == apperr.KindUnavailable {
		e := apperr.Say(apperr.KindUnavailable, "", "alerts.refusal.retry")
		e.Whole, e.Err = false, err
		return e
	}
	return err
}

// SMSSyncPost answers an SMSSync POST: task "sent" (the phone sent the
// queued messages the body lists), "result" (what became of them:
// ParseMessageResults, recorded per message by Results; acknowledged
// only when the service has none) or none (an incoming message, stored before
// the answer says success). The answer is SMSSync's JSON; an error is to
// be answered with SMSSyncError.
func (s *Service) SMSSyncPost(ctx context.Context, req GatewayRequest) (any, error) {
	c, err := s.IntakeChannel(ctx, SMSSync, req.Key)
	if errors.Is(err, ErrUnknownChannel) && req.Query.Get("task") == "" {
		// An opt-out reply to a disabled channel is honoured (success:
		// the phone need not keep it); any other message is refused.
		if c, form, _, ok := s.disabledForm(ctx, SMSSync, req); ok {
			if in, _, perr := ParseSMSSync(form); perr == nil && s.disabledOptOut(ctx, c, in) != nil {
				return SMSSyncOK(), nil
			}
		}
	}
	if err != nil {
		return nil, err
	}
	form, body, err := req.Read()
	if err != nil {
		return nil, err
	}
	switch task := req.Query.Get("task"); task {
	case "sent":
		secret := form.Get("secret")
		if secret == "" {
			secret = req.Query.Get("secret")
		}
		if !SecretMatches(c, secret) {
			return nil, ErrWrongSecret
		}
		uuids, err := ParseQueuedMessages(req.contentType(), body, form)
		if err != nil {
			return nil, err
		}
		done, err := s.MarkSent(ctx, c, uuids)
		if err != nil {
			return nil, RetryLater(err)
		}
		return map[string]any{"message_uuids": done}, nil
	case "result":
		if !SecretMatches(c, form.Get("secret")) && !SecretMatches(c, req.Query.Get("secret")) {
			return nil, ErrWrongSecret
		}
		rs, err := ParseMessageResults(req.contentType(), body, form)
		if err != nil {
			return nil, err
		}
		if s.Results != nil {
			if _, err := s.Results.RecordResults(ctx, c, rs); err != nil {
				return nil, RetryLater(err)
			}
		}
		return SMSSyncOK(), nil
	case "":
	default:
		return nil, apperr.Refuse(apperr.KindInvalid, "task", "unknown task %q (want send, sent or result)", task)
	}
	in, secret, err := ParseSMSSync(form)
	// The secret is checked before anything else is said about the body.
	if !SecretMatches(c, secret) {
		return nil, ErrWrongSecret
	}
	if _, err := s.receiveParsed(ctx, c, in, err); err != nil {
		return nil, err
	}
	return SMSSyncOK(), nil
}

// SMSSyncPoll answers SMSSync's GET ?task=send poll with the channel's
// queued outgoing messages, and GET ?task=result with the uuids of those
// its phone took whose outcome is not known yet ({"message_uuids": […]},
// none when the service records no results).
func (s *Service) SMSSyncPoll(ctx context.Context, req GatewayRequest) (any, error) {
	c, err := s.IntakeChannel(ctx, SMSSync, req.Key)
	if err != nil {
		return nil, err
	}
	task := req.Query.Get("task")
	if task != "send" && task != "result" {
		return nil, apperr.Refuse(apperr.KindInvalid, "task", "GET needs task=send or task=result")
	}
	if !SecretMatches(c, req.Query.Get("secret")) {
		return nil, ErrWrongSecret
	}
	if task == "result" {
		uuids := []string{}
		if s.Results != nil {
			us, err := s.Results.AwaitingResults(ctx, c)
			if err != nil {
				return nil, err
			}
			uuids = append(uuids, us...)
		}
		return map[string]any{"message_uuids": uuids}, nil
	}
	n := 50
	if s.PollLimit != nil {
		n = s.PollLimit(ctx, c.ID)
	}
	ms, err := s.OutboxN(ctx, c.ID, n)
	if err != nil {
		return nil, err
	}
	return SMSSyncSendTask(c.Secret, ms), nil
}

// TwilioPost answers Twilio's inbound-SMS webhook, signed with the
// channel's auth token (X-Twilio-Signature), with the TwiML that texts the
// reporter back in their language (ReporterReply). busy says the store could not take the message: Twilio
// does not retry a message itself (it calls the channel's fallback URL, if
// any), so the TwiML asks the reporter to send again.
func (s *Service) TwilioPost(ctx context.Context, req GatewayRequest) (twiml []byte, busy bool, err error) {
	c, form, _, err := s.GatewayForm(ctx, Twilio, req)
	if errors.Is(err, ErrUnknownChannel) {
		// A disabled channel's reporter is told, in a request Twilio
		// signed, that nothing was stored (Twilio does not send it again),
		// unless the message was an opt-out reply: that is honoured and
		// confirmed.
		if c, form, _, ok := s.disabledForm(ctx, Twilio, req); ok {
			if in, perr := ParseTwilio(form); perr == nil {
				if o := s.disabledOptOut(ctx, c, in); o != nil {
					return TwiML(ReporterTexts[s.ReplyLang(c, in.Message, o)].OptedOut), false, nil
				}
			}
			return TwiML(ReporterTexts[s.ReplyLang(c, form.Get("Body"), nil)].Closed), false, nil
		}
	}
	if err != nil {
		return nil, false, err
	}
	in, err := ParseTwilio(form)
	if err != nil {
		return nil, false, err
	}
	a, err := s.Receive(ctx, c, in)
	if err != nil {
		if k, _ := apperr.KindOf(err); k == apperr.KindUnavailable {
			return TwiML(ReporterTexts[s.ReplyLang(c, in.Message, nil)].Busy), true, nil
		}
		return nil, false, err
	}
	return TwiML(s.ReporterReply(c, a)), false, nil
}

// disabledForm is the disabled channel of kind k (SMSSync, Twilio or
// webhook) req names, its form and body, when req carries that channel's
// SMSSync secret, valid X-Twilio-Signature or webhook secret (checked
// before the body is read).
func (s *Service) disabledForm(ctx context.Context, k Kind, req GatewayRequest) (Channel, url.Values, []byte, bool) {
	c, err := s.Channel(ctx, req.Key)
	if err != nil || len(req.Key) > 64 || c.Kind != k || !c.Disabled || (k == Webhook && !SecretMatches(c, WebhookToken(req.Header))) {
		return c, nil, nil, false
	}
	form, body, err := req.Read()
	switch {
	case err != nil:
		return c, nil, nil, false
	case k == Twilio:
		return c, form, body, TwilioValid(c.Secret, req.Header.Get("X-Twilio-Signature"), req.URL, form)
	case k == SMSSync:
		return c, form, body, SecretMatches(c, form.Get("secret"))
	}
	return c, form, body, true
}

// disabledOptOut honours in, a message a disabled SMS channel c took
// with its valid secret or signature, when it is an opt-out reply (STOP,
// ARRET…): the sender asked to get nothing more, which must not wait for
// the channel to be enabled again. Nothing else of it is kept (no alert).
// nil: not an opt-out, or it could not be recorded (logged without
// personal data; the gateway then gets the disabled channel's answer).
func (s *Service) disabledOptOut(ctx context.Context, c Channel, in Inbound) *OptOut {
	if s.Inbound == nil || in.From == "" || c.Kind == Web || in.Validate() != nil {
		return nil
	}
	o, err := s.Inbound.InboundSMS(ctx, in.From, in.Message)
	if err != nil {
		if s.Log != nil {
			s.Log.Error("inbound hook failed on a disabled channel", "channel", c.ID, "err", err)
		}
		return nil
	}
	return o
}

// GatewayForm reads a request of a Twilio or webhook gateway to its
// channel's URL (req.Key, of kind k): the channel, the form fields and the
// body, once the request's X-Twilio-Signature, or the webhook's secret
// (checked before the body is read), is the channel's.
func (s *Service) GatewayForm(ctx context.Context, k Kind, req GatewayRequest) (Channel, url.Values, []byte, error) {
	c, err := s.IntakeChannel(ctx, k, req.Key)
	if err != nil {
		return c, nil, nil, err
	}
	if k == Webhook && !SecretMatches(c, WebhookToken(req.Header)) {
		return c, nil, nil, apperr.Forbidden("wrong or missing secret (Authorization: Token … or X-Vigil-Secret)")
	}
	form, body, err := req.Read()
	if err != nil {
		return c, nil, nil, err
	}
	if k == Twilio && !TwilioValid(c.Secret, req.Header.Get("X-Twilio-Signature"), req.URL, form) {
		return c, nil, nil, apperr.Forbidden("invalid X-Twilio-Signature")
	}
	return c, form, body, nil
}

// WebhookPost answers the generic webhook (WebhookMessage as JSON or a
// form, the channel's secret in Authorization: Token … or X-Vigil-Secret)
// with the stored alert's id and whether it was a repeat.
func (s *Service) WebhookPost(ctx context.Context, req GatewayRequest) (map[string]any, error) {
	c, form, body, err := s.GatewayForm(ctx, Webhook, req)
	if errors.Is(err, ErrUnknownChannel) {
		// An opt-out reply to a disabled channel is honoured; any other
		// message is refused.
		if c, form, body, ok := s.disabledForm(ctx, Webhook, req); ok {
			if in, perr := ParseWebhook(req.contentType(), body, form); perr == nil && s.disabledOptOut(ctx, c, in) != nil {
				return map[string]any{"opted_out": true}, nil
			}
		}
	}
	if err != nil {
		return nil, err
	}
	in, err := ParseWebhook(req.contentType(), body, form)
	a, err := s.receiveParsed(ctx, c, in, err)
	if err != nil {
		return nil, err
	}
	if a.ID == 0 && a.OptOut != nil {
		return map[string]any{"opted_out": true}, nil // an opt-out: no alert
	}
	return map[string]any{"id": a.ID, "duplicate": a.Duplicate}, nil
}

// receiveParsed receives in, which parsing refused with parseErr (nil: it
// did not), on c; a busy store's error says to send the message again.
func (s *Service) receiveParsed(ctx context.Context, c Channel, in Inbound, parseErr error) (*Alert, error) {
	if parseErr != nil {
		return nil, parseErr
	}
	a, err := s.Receive(ctx, c, in)
	return a, RetryLater(err)
}

// ParseBody reads a gateway's body of Content-Type contentType: a form
// (application/x-www-form-urlencoded, or no type) into its fields, JSON
// into none (the caller parses body); any other type is unsupported.
func ParseBody(contentType string, body []byte) (url.Values, error) {
	if strings.HasPrefix(contentType, "application/json") {
		return url.Values{}, nil
	}
	if contentType != "" && !strings.HasPrefix(contentType, "application/x-www-form-urlencoded") {
		return nil, apperr.Refuse(apperr.KindUnsupported, "", "Content-Type must be application/x-www-form-urlencoded or application/json")
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, apperr.Refuse(apperr.KindInvalid, "", "malformed form body: %v", err)
	}
	return form, nil
}
