package integrity

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/netguard"
	"github.com/vigil-project/vigil/internal/textscan"
)

// Feed is an RSS or Atom feed that vigil serve polls on a schedule.
type Feed struct {
	ID           int64      `json:"id"`
	URL          string     `json:"url"`
	Source       string     `json:"source"` // the items' source; empty: the feed's title
	Title        string     `json:"title"`  // the feed's own title, as its newest poll that worked read it (empty before)
	EveryMinutes int        `json:"every_minutes"`
	Created      time.Time  `json:"created"`
	CreatedBy    string     `json:"created_by"`
	LastPolled   *time.Time `json:"last_polled,omitempty"`
	LastOK       *time.Time `json:"last_ok,omitempty"`
	LastError    string     `json:"last_error,omitempty"` // the newest poll's error, naming the feed's line or entry
	LastAdded    int        `json:"last_added"`           // new items the newest poll brought
	// LastErrorKey and LastErrorArgs say LastError as a catalog message
	// (FeedErrorSaid), so that the page says it in its language.
	LastErrorKey  string            `json:"last_error_key,omitempty"`
	LastErrorArgs map[string]string `json:"last_error_args,omitempty"`
}

// Due says whether the feed is due for a poll at now.
func (f Feed) Due(now time.Time) bool {
	return f.LastPolled == nil || !now.Before(f.LastPolled.Add(time.Duration(f.EveryMinutes)*time.Minute))
}

// Bounds of a feed's polling interval (minutes), and its default.
const (
	MinFeedMinutes     = 5
	MaxFeedMinutes     = 7 * 24 * 60
	DefaultFeedMinutes = 60
	MaxFeeds           = 500
)

// FeedStore keeps the scheduled feeds.
type FeedStore interface {
	// Feeds lists the feeds by id.
	Feeds(ctx context.Context) ([]Feed, error)
	// Feed returns one feed (apperr.ErrNotFound).
	Feed(ctx context.Context, id int64) (Feed, error)
	// SaveFeed creates (ID 0; apperr conflict on a URL already there) or
	// updates a feed's URL, source and interval, audited; it sets f.ID.
	SaveFeed(ctx context.Context, actor string, f *Feed) error
	// DeleteFeed removes a feed (its items stay), audited.
	DeleteFeed(ctx context.Context, actor string, id int64) error
	// RecordFeedPoll writes how a poll went: errText empty, it worked and
	// title is the feed's title as it read it; else title is not changed.
	RecordFeedPoll(ctx context.Context, id int64, at time.Time, title string, added int, errText string) error
}

// CheckFeed validates a feed's settings and fills the default interval.
func CheckFeed(f *Feed) error {
	f.URL, f.Source = strings.TrimSpace(f.URL), strings.TrimSpace(f.Source)
	if err := checkLine("url", f.URL, MaxURL, true); err != nil {
		return err
	}
	u, err := url.Parse(f.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fieldErr("url", "%q is not an http(s) URL", f.URL)
	}
	if ip, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]")); err == nil {
		if why := netguard.Forbidden(ip); why != "" {
			return fieldErr("url", "%s is %s: refused", u.Hostname(), why)
		}
	}
	if err := checkLine("source", f.Source, MaxShort, false); err != nil {
		return err
	}
	if f.EveryMinutes == 0 {
		f.EveryMinutes = DefaultFeedMinutes
	}
	if f.EveryMinutes < MinFeedMinutes || f.EveryMinutes > MaxFeedMinutes {
		return fieldErr("every_minutes", "%d is not between %d and %d minutes", f.EveryMinutes, MinFeedMinutes, MaxFeedMinutes)
	}
	return nil
}

// FeedClient is the HTTP client of scheduled polls: a whole fetch within
// timeout, no proxy from the environment, and no connection to a
// link-local or metadata address, checked after DNS resolution.
func FeedClient(timeout time.Duration) *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second, Control: netguard.DialControl("feed")}
	return &http.Client{Timeout: timeout, Transport: &http.Transport{DialContext: d.DialContext, TLSHandshakeTimeout: 10 * time.Second,
		ResponseHeaderTimeout: timeout, MaxIdleConns: 4, IdleConnTimeout: time.Minute}}
}

func (s *Service) feeds() (FeedStore, error) {
	fs, ok := s.Store.(FeedStore)
	if !ok {
		return nil, errors.New("integrity: this store keeps no feeds")
	}
	return fs, nil
}

// Feeds lists the scheduled feeds.
func (s *Service) Feeds(ctx context.Context) ([]Feed, error) {
	fs, err := s.feeds()
	if err != nil {
		return nil, err
	}
	all, err := fs.Feeds(ctx)
	for i := range all {
		sayFeedError(&all[i])
	}
	return all, err
}

// feed is the stored feed id, its error said (sayFeedError).
func feed(ctx context.Context, fs FeedStore, id int64) (Feed, error) {
	f, err := fs.Feed(ctx, id)
	sayFeedError(&f)
	return f, err
}

// SaveFeed validates and stores a feed (ID 0: a new one).
func (s *Service) SaveFeed(ctx context.Context, actor string, f Feed) (Feed, error) {
	fs, err := s.feeds()
	if err != nil {
		return Feed{}, err
	}
	if err := CheckFeed(&f); err != nil {
		return Feed{}, err
	}
	if f.ID == 0 {
		all, err := fs.Feeds(ctx)
		if err != nil {
			return Feed{}, err
		}
		if len(all) >= MaxFeeds {
			return Feed{}, fieldErr("url", "%d feeds already; at most %d", len(all), MaxFeeds)
		}
		f.Created, f.CreatedBy = s.now(), actor
	}
	if err := fs.SaveFeed(ctx, actor, &f); err != nil {
		return Feed{}, err
	}
	return feed(ctx, fs, f.ID)
}

// DeleteFeed removes a feed; the items it brought stay.
func (s *Service) DeleteFeed(ctx context.Context, actor string, id int64) error {
	fs, err := s.feeds()
	if err != nil {
		return err
	}
	return fs.DeleteFeed(ctx, actor, id)
}

// PollFeedNow polls one feed now (the page's "poll now"), records how it
// went and returns the feed as it then is: a poll that failed (the feed
// unreachable, hanging, malformed) is in its LastError, not an error here.
func (s *Service) PollFeedNow(ctx context.Context, actor string, id int64) (Feed, error) {
	fs, err := s.feeds()
	if err != nil {
		return Feed{}, err
	}
	f, err := fs.Feed(ctx, id)
	if err != nil {
		return Feed{}, err
	}
	if err := s.pollOne(ctx, fs, actor, f); err != nil && s.Log != nil {
		s.Log.Warn("integrity feed poll failed", "feed", f.ID, "err", err)
	}
	return feed(ctx, fs, id)
}

// PollDue polls every feed that is due, one after the other, and returns
// how many it polled and how many of those failed (their errors are
// recorded with the feed).
func (s *Service) PollDue(ctx context.Context) (polled, failed int, err error) {
	fs, err := s.feeds()
	if err != nil {
		return 0, 0, err
	}
	all, err := fs.Feeds(ctx)
	if err != nil {
		return 0, 0, err
	}
	for _, f := range all {
		if ctx.Err() != nil {
			return polled, failed, ctx.Err()
		}
		if !f.Due(s.now()) {
			continue
		}
		polled++
		if perr := s.pollOne(ctx, fs, "feed schedule", f); perr != nil {
			failed++
			if s.Log != nil {
				s.Log.Warn("integrity feed poll failed", "feed", f.ID, "err", perr)
			}
		}
	}
	return polled, failed, nil
}

func (s *Service) pollOne(ctx context.Context, fs FeedStore, actor string, f Feed) error {
	client := s.FeedHTTP
	if client == nil {
		client = FeedClient(FeedTimeout)
	}
	res, perr := s.pollFeed(ctx, actor, client, f.URL, f.Source, IntakeFeed(f.ID, f.URL))
	msg := ""
	if perr != nil {
		msg = textscan.Clip(oneLine(perr.Error()), 1000)
	}
	if err := fs.RecordFeedPoll(ctx, f.ID, s.now(), res.Title, res.Added, msg); err != nil {
		return err
	}
	return perr
}
