package alerts_test

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
)

// streamBuffer is a StreamWriter that keeps what was written and signals
// each flush; after failAfter flushes (0: never) writes fail.
type streamBuffer struct {
	mu        sync.Mutex
	b         bytes.Buffer
	flushed   chan string
	flushes   int
	failAfter int
}

var errGone = errors.New("client gone")

func (s *streamBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failAfter > 0 && s.flushes >= s.failAfter {
		return 0, errGone
	}
	return s.b.Write(p)
}

func (s *streamBuffer) Flush() error {
	s.mu.Lock()
	s.flushes++
	out := s.b.String()
	s.b.Reset()
	s.mu.Unlock()
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
