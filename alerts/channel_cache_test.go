package alerts_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/internal/testutil"
)

// heldKeyStore holds its next ChannelByKey, after the channel is read,
// until released: an intake lookup under way while an administrator
// changes the channel.
type heldKeyStore struct {
	alerts.Store
	hold             atomic.Bool
	entered, release chan struct{}
}

func (s *heldKeyStore) ChannelByKey(ctx context.Context, key string) (alerts.Channel, error) {
	c, err := s.Store.ChannelByKey(ctx, key)
	if s.hold.CompareAndSwap(true, false) {
		s.entered <- struct{}{}
		<-s.release
	}
	return c, err
}

// channelChange is a change an administrator makes to a channel, and
// check: the next intake lookup answers it right.
type channelChange struct {
	name   string
	change func(*alerts.Service, alerts.Channel) error
	check  func(alerts.Channel, error) bool
}

// channelChanges are a new secret, disabling and removing a channel.
func channelChanges() []channelChange {
	yes := true
	return []channelChange{
		{"new secret", func(svc *alerts.Service, c alerts.Channel) error {
			_, err := svc.RotateSecret(context.Background(), "ada", c.ID, alerts.SecretRequest{Secret: "new-secret-1"})
			return err
		}, func(c alerts.Channel, err error) bool { return err == nil && c.Secret == "new-secret-1" }},
		{"disabled", func(svc *alerts.Service, c alerts.Channel) error {
			_, err := svc.PatchChannel(context.Background(), "ada", c.ID, alerts.ChannelPatch{Disabled: &yes})
			return err
		}, func(c alerts.Channel, err error) bool { return err == alerts.ErrUnknownChannel }},
		{"removed", func(svc *alerts.Service, c alerts.Channel) error {
			return svc.RemoveChannel(context.Background(), "ada", c.ID)
		}, func(c alerts.Channel, err error) bool { return err == alerts.ErrUnknownChannel }},
	}
}

// TestChannelChangeDuringLookup: a channel given a new secret, or
// disabled, while an intake lookup of it is under way stops taking the
// old secret (or any message) at the next message, as the change
// promises, not up to the cache's 10 s later: the lookup read the channel
// before the change and must not cache what it read.
func TestChannelChangeDuringLookup(t *testing.T) {
	for _, tc := range channelChanges() {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := &heldKeyStore{Store: testutil.Store(t), entered: make(chan struct{}), release: make(chan struct{})}
			svc := alerts.NewService(st, testutil.Keys(t, "k"))
			c, err := svc.NewChannel(ctx, "ada", alerts.SMSSync, "Phone", "old-secret-1", "")
			if err != nil {
				t.Fatal(err)
			}
			st.hold.Store(true)
			looked := make(chan error, 1)
			go func() {
				_, err := svc.IntakeChannel(ctx, alerts.SMSSync, c.Key)
				looked <- err
			}()
			<-st.entered // the lookup has read the channel as it was
			if err := tc.change(svc, c); err != nil {
				t.Fatal(err)
			}
			close(st.release)
			if err := <-looked; err != nil {
				t.Fatal(err)
			}
			if got, err := svc.IntakeChannel(ctx, alerts.SMSSync, c.Key); !tc.check(got, err) {
				t.Errorf("next lookup after the change: secret %q, disabled %v, %v", got.Secret, got.Disabled, err)
			}
		})
	}
}

// listCountStore counts the channel lists read from the store.
type listCountStore struct {
	alerts.Store
	lists atomic.Int64
}

func (s *listCountStore) Channels(ctx context.Context) ([]alerts.Channel, error) {
	s.lists.Add(1)
	return s.Store.Channels(ctx)
}

// TestAnswersBySMSCached: whether a tipline's public form promises an
// answer by SMS (AnswersBySMS, asked at every view of the form) is read
// from the store once and then served from the channel cache, as intake
// looks its channels up; a channel added, disabled or removed on this
// server changes the promise at the next view. Before, every view read
// the whole channel list.
func TestAnswersBySMSCached(t *testing.T) {
	ctx := context.Background()
	st := &listCountStore{Store: testutil.Store(t)}
	svc := alerts.NewService(st, testutil.Keys(t, "k"))
	if _, err := svc.NewChannel(ctx, "ada", alerts.Web, "Tipline form", "", "", alerts.AsTipline); err != nil {
		t.Fatal(err)
	}
	var gw alerts.Channel
	yes := true
	for _, step := range []struct {
		name   string
		change func() error
		sms    bool
		lists  int64 // lists read by the step's views
	}{
		{"no gateway", nil, false, 1},
		{"an SMSSync channel added", func() (err error) {
			gw, err = svc.NewChannel(ctx, "ada", alerts.SMSSync, "Bunia phone", "secret-123", "")
			return err
		}, true, 1},
		{"views again", nil, true, 0},
		{"the gateway disabled", func() error {
			_, err := svc.PatchChannel(ctx, "ada", gw.ID, alerts.ChannelPatch{Disabled: &yes})
			return err
		}, false, 1},
	} {
		if step.change != nil {
			if err := step.change(); err != nil {
				t.Fatalf("%s: %v", step.name, err)
			}
		}
		before := st.lists.Load()
		for view := 0; view < 3; view++ {
			if sms, err := svc.AnswersBySMS(ctx); err != nil || sms != step.sms {
				t.Fatalf("%s: view %d: SMS %v (%v), want %v", step.name, view, sms, err, step.sms)
			}
		}
		if n := st.lists.Load() - before; n != step.lists {
			t.Errorf("%s: three views read the channel list %d times, want %d", step.name, n, step.lists)
		}
	}
}
