package alerts_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/internal/apperr"
)

// gatewayStore is the part of the store the gateways use: channels by key,
// the outbox and the alerts received (or a failure for every write).
type gatewayStore struct {
	alerts.Store
	channels map[string]alerts.Channel
	received []*alerts.Alert
	fail     error // returned by every write
	version  int64
}

func (g *gatewayStore) ChannelByKey(_ context.Context, key string) (alerts.Channel, error) {
	if c, ok := g.channels[key]; ok {
		return c, nil
	}
	return alerts.Channel{}, apperr.NotFound("no channel")
}

func (g *gatewayStore) ReceiveAlerts(_ context.Context, as []*alerts.Alert, _ alerts.Grouping) error {
	if g.fail != nil {
		return g.fail
	}
	for _, a := range as {
		a.ID = int64(len(g.received) + 1)
		g.received = append(g.received, a)
	}
	return nil
}

func (g *gatewayStore) MarkOutgoingSent(_ context.Context, _ int64, uuids []string, _ time.Time) ([]string, error) {
	if g.fail != nil {
		return nil, g.fail
	}
	return uuids, nil
}

func (g *gatewayStore) PendingOutgoing(context.Context, int64, int) ([]alerts.Outgoing, error) {
	return nil, nil
}

func (g *gatewayStore) QueueVersion(context.Context) (int64, error) { return g.version, nil }

func newGatewayService(t *testing.T, fail error) (*alerts.Service, *gatewayStore) {
	t.Helper()
	keys, err := crypt.New(map[string][]byte{"k": make([]byte, 32)}, "k")
	if err != nil {
		t.Fatal(err)
	}
	st := &gatewayStore{fail: fail, channels: map[string]alerts.Channel{
		"sms":  {ID: 1, Key: "sms", Kind: alerts.SMSSync, Secret: "s3cret"},
		"twi":  {ID: 2, Key: "twi", Kind: alerts.Twilio, Secret: "tok"},
		"hook": {ID: 3, Key: "hook", Kind: alerts.Webhook, Secret: "h00k"},
		"off":  {ID: 4, Key: "off", Kind: alerts.SMSSync, Secret: "s3cret", Disabled: true},
	}}
	svc := alerts.NewService(st, keys)
	return svc, st
}

// gatewayCase is a gateway request and what the service must make of it.
type gatewayCase struct {
	name     string
	call     string // smssync, poll, twilio or webhook
	key      string
	query    string
	header   http.Header
	body     string // form-encoded unless header says JSON
	fail     error  // the store's failure
	wantKind apperr.Kind
	wantErr  string // "" : success
	wantOut  string // a substring of the answer (success)
	wantRead bool   // the body was read
	stored   int    // alerts stored
}

func TestGatewayRequests(t *testing.T) {
	busy := apperr.Unavailable("database is locked", nil)
	twURL := "https://vigil.example/intake/twilio/twi"
	twForm := url.Values{"MessageSid": {"SM1"}, "From": {"+243800"}, "Body": {"shooting at Djugu market"}}
	twSigned := http.Header{"X-Twilio-Signature": {alerts.TwilioSignature("tok", twURL, twForm)}}
	for _, tc := range []gatewayCase{
		{name: "smssync message", call: "smssync", key: "sms", body: "secret=s3cret&from=%2B243800&message=shots+near+Bunia&message_id=m1",
			wantOut: "success:true", wantRead: true, stored: 1},
		{name: "smssync wrong secret", call: "smssync", key: "sms", body: "secret=no&from=%2B243800&message=x&message_id=m1",
			wantKind: apperr.KindForbidden, wantErr: "wrong secret", wantRead: true},
		{name: "smssync wrong secret before a bad body", call: "smssync", key: "sms", body: "secret=no&sent_timestamp=soon",
			wantKind: apperr.KindForbidden, wantErr: "wrong secret", wantRead: true},
		{name: "smssync unknown channel", call: "smssync", key: "nope", body: "secret=s3cret",
			wantKind: apperr.KindNotFound, wantErr: "unknown channel"},
		// The body is read for an opt-out reply, which a disabled channel
		// still honours (TestDisabledChannelOptOut).
		{name: "smssync disabled channel", call: "smssync", key: "off", body: "secret=s3cret",
			wantKind: apperr.KindNotFound, wantErr: "unknown channel", wantRead: true},
		{name: "smssync channel of another kind", call: "smssync", key: "twi", body: "secret=tok",
			wantKind: apperr.KindNotFound, wantErr: "unknown channel"},
		{name: "smssync unknown task", call: "smssync", key: "sms", query: "task=dance", body: "secret=s3cret",
			wantKind: apperr.KindInvalid, wantErr: `unknown task "dance" (want send, sent or result)`, wantRead: true},
		{name: "smssync sent", call: "smssync", key: "sms", query: "task=sent&secret=s3cret", body: `queued_messages=["u1","u2"]`,
			wantOut: "message_uuids:[u1 u2]", wantRead: true},
		{name: "smssync sent busy", call: "smssync", key: "sms", query: "task=sent&secret=s3cret", body: `queued_messages=["u1"]`, fail: busy,
			wantKind: apperr.KindUnavailable, wantErr: "the database cannot take the message now (busy or read-only): nothing was stored; send it again later", wantRead: true},
		{name: "smssync result", call: "smssync", key: "sms", query: "task=result",
			body:    `secret=s3cret&message_result=[{"uuid":"u1","sent_result_code":-1,"sent_result_message":"SMS sent","delivered_result_code":-1,"delivered_result_message":"SMS delivered"}]`,
			wantOut: "success:true", wantRead: true},
		// A report SMSSync's protocol cannot hold is refused naming the
		// field (before: acknowledged whatever it said).
		{name: "smssync result without results", call: "smssync", key: "sms", query: "task=result", body: "secret=s3cret",
			wantKind: apperr.KindInvalid, wantErr: "message_result: missing", wantRead: true},
		{name: "smssync result bad code", call: "smssync", key: "sms", query: "task=result", body: `secret=s3cret&message_result=[{"uuid":"u1","sent_result_code":"soon"}]`,
			wantKind: apperr.KindInvalid, wantErr: "message_result[0].sent_result_code: not an integer", wantRead: true},
		{name: "poll results", call: "poll", key: "sms", query: "task=result&secret=s3cret", wantOut: "message_uuids:[]"},
		{name: "smssync result wrong secret", call: "smssync", key: "sms", query: "task=result", body: "secret=x",
			wantKind: apperr.KindForbidden, wantErr: "wrong secret", wantRead: true},
		{name: "smssync message busy", call: "smssync", key: "sms", body: "secret=s3cret&from=%2B243800&message=shots&message_id=m2", fail: busy,
			wantKind: apperr.KindUnavailable, wantErr: "nothing was stored", wantRead: true},
		{name: "poll", call: "poll", key: "sms", query: "task=send&secret=s3cret", wantOut: "task:send"},
		{name: "poll without task", call: "poll", key: "sms", query: "secret=s3cret", wantKind: apperr.KindInvalid, wantErr: "GET needs task=send or task=result"},
		{name: "poll wrong secret", call: "poll", key: "sms", query: "task=send&secret=x", wantKind: apperr.KindForbidden, wantErr: "wrong secret"},
		{name: "twilio", call: "twilio", key: "twi", header: twSigned, body: twForm.Encode(),
			wantOut: "<Message>Message received. Thank you.</Message>", wantRead: true, stored: 1},
		{name: "twilio busy", call: "twilio", key: "twi", header: twSigned, body: twForm.Encode(), fail: busy,
			wantOut: "busy", wantRead: true},
		{name: "twilio bad signature", call: "twilio", key: "twi", header: http.Header{"X-Twilio-Signature": {"AAAA"}}, body: twForm.Encode(),
			wantKind: apperr.KindForbidden, wantErr: "invalid X-Twilio-Signature", wantRead: true},
		{name: "webhook", call: "webhook", key: "hook", header: http.Header{"X-Vigil-Secret": {"h00k"}}, body: "id=w1&from=%2B1&text=armed+men",
			wantOut: "id:1", wantRead: true, stored: 1},
		{name: "webhook json", call: "webhook", key: "hook",
			header: http.Header{"Authorization": {"Token h00k"}, "Content-Type": {"application/json"}}, body: `{"id":"w2","text":"fire"}`,
			wantOut: "duplicate:false", wantRead: true, stored: 1},
		{name: "webhook wrong token, body not read", call: "webhook", key: "hook", header: http.Header{"X-Vigil-Secret": {"no"}}, body: "id=w1",
			wantKind: apperr.KindForbidden, wantErr: "wrong or missing secret"},
		{name: "webhook busy", call: "webhook", key: "hook", header: http.Header{"X-Vigil-Secret": {"h00k"}}, body: "id=w3&text=x", fail: busy,
			wantKind: apperr.KindUnavailable, wantErr: "send it again later", wantRead: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc, st := newGatewayService(t, tc.fail)
			q, _ := url.ParseQuery(tc.query)
			h := tc.header
			if h == nil {
				h = http.Header{}
			}
			read := false
			req := alerts.GatewayRequest{Key: tc.key, Query: q, Header: h, URL: twURL, Read: func() (url.Values, []byte, error) {
				read = true
				if strings.HasPrefix(h.Get("Content-Type"), "application/json") {
					return url.Values{}, []byte(tc.body), nil
				}
				f, err := url.ParseQuery(tc.body)
				return f, []byte(tc.body), err
			}}
			var out any
			var err error
			ctx := context.Background()
			switch tc.call {
			case "smssync":
				out, err = svc.SMSSyncPost(ctx, req)
			case "poll":
				out, err = svc.SMSSyncPoll(ctx, req)
			case "twilio":
				var b []byte
				var busy bool
				b, busy, err = svc.TwilioPost(ctx, req)
				out = string(b)
				if busy {
					out = "busy: " + string(b)
				}
			case "webhook":
				out, err = svc.WebhookPost(ctx, req)
			}
			if read != tc.wantRead {
				t.Errorf("body read: %v, want %v", read, tc.wantRead)
			}
			if len(st.received) != tc.stored {
				t.Errorf("%d alerts stored, want %d", len(st.received), tc.stored)
			}
			if tc.wantErr != "" {
				if k, ok := apperr.KindOf(err); !ok || k != tc.wantKind || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %v containing %q", err, tc.wantKind, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s := fmt.Sprint(out); !strings.Contains(s, tc.wantOut) {
				t.Errorf("answer %s, want it to contain %q", s, tc.wantOut)
			}
		})
	}
}

// TestRetryLater: only a store error that will pass becomes "send it again".
func TestRetryLater(t *testing.T) {
	other := errors.New("disk on fire")
	for _, tc := range []struct {
		in   error
		want apperr.Kind
		ok   bool
	}{
		{apperr.Unavailable("locked", nil), apperr.KindUnavailable, true},
		{fmt.Errorf("wrapped: %w", apperr.Unavailable("locked", nil)), apperr.KindUnavailable, true},
		{apperr.Invalid("message", "empty"), apperr.KindInvalid, true},
		{other, 0, false},
	} {
		got := alerts.RetryLater(tc.in)
		k, ok := apperr.KindOf(got)
		if ok != tc.ok || k != tc.want {
			t.Errorf("RetryLater(%v) = %v (%v, %v)", tc.in, got, k, ok)
		}
		if tc.want == apperr.KindUnavailable && !strings.Contains(got.Error(), "nothing was stored") {
			t.Errorf("RetryLater(%v) = %q: does not say nothing was stored", tc.in, got)
		}
		if !tc.ok && got != tc.in {
			t.Errorf("RetryLater(%v) = %v, want it unchanged", tc.in, got)
		}
	}
}

// streamBuffer is a StreamWriter that sends what was written at each flush
// (only the stream's goroutine writes); after failAfter flushes (0: never)
// writes fail.
type streamBuffer struct {
	b         strings.Builder
	flushed   chan string
	flushes   int
	failAfter int
}

var errGone = errors.New("client gone")

func (s *streamBuffer) Write(p []byte) (int, error) {
	if s.failAfter > 0 && s.flushes >= s.failAfter {
		return 0, errGone
	}
	return s.b.Write(p)
}

func (s *streamBuffer) Flush() error {
	s.flushes++
	out := s.b.String()
	s.b.Reset()
	s.flushed <- out
	return nil
}

func (s *streamBuffer) SetWriteDeadline(time.Time) error { return nil }

// streamCase is a stream and the events it must carry.
type streamCase struct {
	name      string
	receive   bool     // store an alert once the hello is out
	failAfter int      // flushes before the client goes away
	want      []string // substrings of each flushed chunk, in order
}

func TestStream(t *testing.T) {
	for _, tc := range []streamCase{
		{name: "hello then the stored alert", receive: true,
			want: []string{"retry: 3000\nevent: hello\ndata: {\"version\":7}\n\n", "event: queue\ndata: {", `"alerts":[1]`}},
		{name: "hello only", want: []string{"event: hello"}},
		{name: "client gone after hello", receive: true, failAfter: 1, want: []string{"event: hello"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc, st := newGatewayService(t, nil)
			st.version = 7
			w := &streamBuffer{flushed: make(chan string, 8), failAfter: tc.failAfter}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			begun := 0
			done := make(chan error, 1)
			go func() { done <- svc.Stream(ctx, w, func() { begun++ }) }()
			hello := <-w.flushed
			if !strings.Contains(hello, tc.want[0]) {
				t.Fatalf("first chunk %q, want %q", hello, tc.want[0])
			}
			if tc.receive {
				_, err := svc.SMSSyncPost(ctx, alerts.GatewayRequest{Key: "sms", Read: func() (url.Values, []byte, error) {
					return url.Values{"secret": {"s3cret"}, "from": {"+243800"}, "message": {"shots near Bunia"}, "message_id": {"m1"}}, nil, nil
				}})
				if err != nil {
					t.Fatal(err)
				}
			}
			if tc.failAfter > 0 {
				if err := <-done; err != nil {
					t.Fatalf("stream ended with %v", err)
				}
				return
			}
			if len(tc.want) > 1 {
				got := <-w.flushed
				for _, s := range tc.want[1:] {
					if !strings.Contains(got, s) {
						t.Errorf("notice %q lacks %q", got, s)
					}
				}
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatalf("stream ended with %v", err)
			}
			if begun != 1 {
				t.Errorf("begin called %d times", begun)
			}
		})
	}
}

// TestStreamLimit: beyond MaxStreams a stream is refused before anything is
// written; closing one makes room.
func TestStreamLimit(t *testing.T) {
	svc, _ := newGatewayService(t, nil)
	svc.MaxStreams = 1
	w := &streamBuffer{flushed: make(chan string, 8)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- svc.Stream(ctx, w, func() {}) }()
	<-w.flushed
	begun := false
	if err := svc.Stream(context.Background(), w, func() { begun = true }); !errors.Is(err, alerts.ErrTooManyStreams) || begun {
		t.Fatalf("second stream: %v (begun %v), want ErrTooManyStreams before anything is written", err, begun)
	}
	cancel()
	<-done
	ctx2, cancel2 := context.WithCancel(context.Background())
	go func() { done <- svc.Stream(ctx2, w, func() {}) }()
	<-w.flushed
	cancel2()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestParseBody(t *testing.T) {
	for _, tc := range []struct {
		contentType, body string
		want              string // the form's "message"
		wantKind          apperr.Kind
		wantErr           bool
	}{
		{contentType: "", body: "message=hi", want: "hi"},
		{contentType: "application/x-www-form-urlencoded; charset=utf-8", body: "message=a+b", want: "a b"},
		{contentType: "application/json", body: `{"message":"x"}`, want: ""},
		{contentType: "text/plain", body: "message=hi", wantKind: apperr.KindUnsupported, wantErr: true},
		{contentType: "", body: "message=%zz", wantKind: apperr.KindInvalid, wantErr: true},
	} {
		form, err := alerts.ParseBody(tc.contentType, []byte(tc.body))
		if tc.wantErr {
			if k, ok := apperr.KindOf(err); !ok || k != tc.wantKind {
				t.Errorf("%q %q: error %v, want %v", tc.contentType, tc.body, err, tc.wantKind)
			}
			continue
		}
		if err != nil || form.Get("message") != tc.want {
			t.Errorf("%q %q: %v, %v; want message %q", tc.contentType, tc.body, form, err, tc.want)
		}
	}
}
