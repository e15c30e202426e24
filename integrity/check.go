package integrity

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/textscan"
)

// Verify and respond: each narrative (a claim) has one check that walks a
// Check-like workflow. Allowed moves (Transitions) are enforced here; every
// step is written to the check's log and the audit log in one transaction.

// Check states.
const (
	CheckNew             = "new"
	CheckMonitoring      = "monitoring"
	CheckVerifying       = "verifying"
	CheckRated           = "rated"
	CheckResponsePlanned = "response_planned"
	CheckResponded       = "responded"
	CheckClosed          = "closed"
)

// CheckStates are the states in workflow order.
var CheckStates = []string{CheckNew, CheckMonitoring, CheckVerifying, CheckRated, CheckResponsePlanned, CheckResponded, CheckClosed}

// Transitions are the allowed moves from each state. Going back is allowed
// where work is redone (a rating revisited, a closed claim back under
// watch); rated is reached only from verifying or by revisiting a planned
// response, and always with a rating.
var Transitions = map[string][]string{
	CheckNew:             {CheckMonitoring, CheckVerifying, CheckClosed},
	CheckMonitoring:      {CheckVerifying, CheckClosed},
	CheckVerifying:       {CheckRated, CheckMonitoring, CheckClosed},
	CheckRated:           {CheckResponsePlanned, CheckVerifying, CheckClosed},
	CheckResponsePlanned: {CheckResponded, CheckRated, CheckClosed},
	CheckResponded:       {CheckClosed, CheckResponsePlanned},
	CheckClosed:          {CheckMonitoring},
}

// Ratings a claim can get.
var Ratings = []string{"false", "misleading", "true", "unverifiable"}

// Log entry kinds.
const (
	LogState    = "state"
	LogNote     = "note"
	LogEvidence = "evidence"
	LogAssign   = "assign"
	LogDeadline = "deadline"
	LogClaim    = "claim"
	LogPublish  = "publish"
	LogReply    = "reply"
	// LogMergedIn is on the check of a surviving narrative: the check of
	// the narrative merged into it (Text, its id) moved here with its log.
	LogMergedIn = "merged_in"
	// LogMerged closes the check of a narrative merged into one (Text, its
	// id) that has its own check: From the state it was in, To closed.
	LogMerged = "merged"
)

// Reply outcomes, one per tipline item answered.
const (
	ReplySent      = "sent"
	ReplyOptedOut  = "opted_out"  // the number opted out: nothing sent
	ReplyNoNumber  = "no_number"  // anonymous or purged sender
	ReplyNoGateway = "no_gateway" // the channel's gateway takes no queued messages
	// ReplySameSender: nothing sent, the sender was answered through
	// another of their messages (found when the answers were sent, for a
	// message kept without a sender key: see SendAnswers).
	ReplySameSender = "same_sender"
)

// Limits of a check's fields (characters: Unicode code points, as the
// Verify form's maxlength and counter count them).
const (
	MaxClaim = 1000
	// MaxSummary bounds an answer: with the rating and the page's link the
	// SMS answer stays within MaxAnswerSMS characters (AnswerText).
	MaxSummary = 480
	MaxNote    = 4000
)

// Check is the verification of one narrative's claim.
type Check struct {
	Narrative   int64      `json:"narrative"`
	State       string     `json:"state"`
	Claim       string     `json:"claim"`
	Rating      string     `json:"rating,omitempty"`
	SummaryEN   string     `json:"summary_en"`
	SummaryFR   string     `json:"summary_fr"`
	Assignee    string     `json:"assignee"`
	Deadline    *time.Time `json:"deadline,omitempty"`
	Slug        string     `json:"slug,omitempty"`
	PublishedAt *time.Time `json:"published_at,omitempty"`
	RepliesSent int        `json:"replies_sent"`
	Updated     time.Time  `json:"updated"`
	UpdatedBy   string     `json:"updated_by"`

	// Computed on read.
	Next    []string     `json:"next"`          // the states it may move to
	Overdue bool         `json:"overdue"`       // a deadline passed, not closed
	Log     []CheckEntry `json:"log,omitempty"` // oldest first
	// Senders is how many people sent the narrative's tipline messages,
	// counted as the queue counts them (QueuedCheck.Senders), and Unkeyed
	// those of them that are a message without a sender key.
	Senders int `json:"senders"`
	Unkeyed int `json:"unkeyed"`
	// ToAnswer is how many senders the next answer would reach: not yet
	// answered (or refused) through any of their messages, with a tipline
	// alert to reply through. 0 once everyone has been answered.
	ToAnswer int          `json:"to_answer"`
	Replies  []ReplyCount `json:"replies,omitempty"` // answers by outcome
	// Broadcasts are the broadcasts that answer the claim, oldest first
	// (see LinkBroadcast).
	Broadcasts []CheckBroadcast `json:"broadcasts,omitempty"`
}

// CheckEntry is one step of a check's log.
type CheckEntry struct {
	ID    int64     `json:"id"`
	At    time.Time `json:"at"`
	Actor string    `json:"actor"`
	Kind  string    `json:"kind"`
	From  string    `json:"from,omitempty"`
	To    string    `json:"to,omitempty"`
	Text  string    `json:"text,omitempty"`
	URL   string    `json:"url,omitempty"`
}

// ReplyCount is how many tipline items got an outcome.
type ReplyCount struct {
	Outcome string `json:"outcome"`
	N       int    `json:"n"`
}

// Reply is the outcome of answering one tipline item.
type Reply struct {
	Item    int64
	Outcome string
	At      time.Time
}

// CheckStore persists checks (implemented by storage.DB).
type CheckStore interface {
	// Check returns a narrative's check (apperr.ErrNotFound when it has none).
	Check(ctx context.Context, narrative int64) (Check, error)
	// SaveCheck writes c (inserting it when prevState is "", updating it
	// only while its stored state is still prevState, else a conflict) and
	// appends e to its log, audited, in one transaction.
	SaveCheck(ctx context.Context, actor, prevState string, c *Check, e CheckEntry) error
	// CheckLog lists a check's log, oldest first.
	CheckLog(ctx context.Context, narrative int64) ([]CheckEntry, error)
	// CheckBySlug returns a published check (apperr.ErrNotFound).
	CheckBySlug(ctx context.Context, slug string) (Check, error)
	// PublishedChecks lists published checks, newest first.
	PublishedChecks(ctx context.Context, limit int) ([]Check, error)
	// CheckReplies lists the tipline items of a narrative already answered
	// (item id → outcome).
	CheckReplies(ctx context.Context, narrative int64) (map[int64]string, error)
	// SaveReplies records the answers a.Replies (an item recorded
	// already is a conflict naming the state: answers sent meanwhile),
	// adds the sent ones to the check's count, queues the messages
	// a.Queued for their gateways (audited each), writes a.Lines on their
	// incidents' timelines, logs a.Entry, audited with the counts, and
	// makes the state change a.Respond (logged and audited as SaveCheck's;
	// a conflict if the stored state is no longer its From), in one
	// transaction: all or nothing.
	SaveReplies(ctx context.Context, actor string, narrative int64, a Answers) error
	// CheckQueue lists up to limit stored checks in state (every state but
	// closed when state is "", every one when StateAll), with their narratives' names, first items
	// and counts: the ones with a deadline first, the nearest (the most
	// overdue) first, then the most recently changed.
	CheckQueue(ctx context.Context, state string, limit int) ([]QueuedCheck, error)
	// CheckSenders counts the people who sent a narrative's tipline
	// messages exactly as CheckQueue does (QueuedCheck.Senders and
	// Unkeyed), from the sender keys kept at intake: no number is opened.
	CheckSenders(ctx context.Context, narrative int64) (senders, unkeyed int, err error)
	// TiplineSenderKeys are the sender keys (Item.SenderKey, "" none) of
	// a narrative's tipline messages, by item id.
	TiplineSenderKeys(ctx context.Context, narrative int64) (map[int64]string, error)
	// CheckBroadcasts lists the broadcasts that answer a check, oldest
	// first, with their reach.
	CheckBroadcasts(ctx context.Context, narrative int64) ([]CheckBroadcast, error)
	// LinkBroadcast records that l.Broadcast answers the check (a
	// broadcast that answers another is invalid input naming
	// "broadcast", an unknown one apperr.ErrNotFound), logs l.Entry,
	// audited, and makes the move l.Respond when the broadcast was
	// queued to at least one recipient (a conflict if the stored state
	// is no longer its From), in one transaction.
	LinkBroadcast(ctx context.Context, actor string, narrative int64, l BroadcastLink) error
}

// What a merge did with the check of the narrative merged away
// (MergedCheck.Outcome; see Service.MergeNarratives).
const (
	MergeCheckNone   = "none"   // it had none, or a closed one, which stays
	MergeCheckMoved  = "moved"  // it moved to the surviving narrative
	MergeCheckClosed = "closed" // it was closed: the survivor has its own
)

// MergedCheck is what a merge did with the check of the narrative merged
// away: Outcome, and Narrative, the narrative the check is now on (the
// survivor when it moved, the merged narrative when it was closed; 0
// with none).
type MergedCheck struct {
	Outcome   string `json:"outcome"`
	Narrative int64  `json:"narrative,omitempty"`
}

// QueuedCheck is one check of the queue of checks in progress (CheckQueue).
type QueuedCheck struct {
	Narrative int64      `json:"narrative"`
	Name      string     `json:"name"`   // the narrative's name, "" when it has none
	Sample    string     `json:"sample"` // its first item's text, at most SampleMax bytes
	Claim     string     `json:"claim"`
	State     string     `json:"state"`
	Rating    string     `json:"rating,omitempty"`
	Assignee  string     `json:"assignee"`
	Deadline  *time.Time `json:"deadline,omitempty"`
	Updated   time.Time  `json:"updated"`
	UpdatedBy string     `json:"updated_by"`
	Items     int        `json:"items"`   // the narrative's items
	Tipline   int        `json:"tipline"` // of them, the messages sent to a tipline
	// Senders is how many people sent those messages, told apart by their
	// items' SenderKey: a person who sent the rumour five times is one.
	// A message without a key (Unkeyed: a web form's, or one kept before
	// keys were stored) counts as one sender each.
	Senders int `json:"senders"`
	Unkeyed int `json:"unkeyed"`
	// MergedInto is the narrative this one was merged into (0: none), and
	// MergedName that narrative's name: only closed checks stay on a
	// merged narrative (see Service.MergeNarratives).
	MergedInto int64  `json:"merged_into,omitempty"`
	MergedName string `json:"merged_name,omitempty"`
	Overdue    bool   `json:"overdue"` // computed on read: the deadline passed, not closed
}

// SampleMax bounds a queued check's sample text (bytes, cut at a
// character boundary).
const SampleMax = 300

// QueueMax is how many checks CheckQueue lists at most.
const QueueMax = 200

// CheckList is the queue of checks: at most QueueMax, More when there are
// others.
type CheckList struct {
	Checks []QueuedCheck `json:"checks"`
	More   bool          `json:"more"`
}

// Answers is what SendAnswers writes in one transaction (SaveReplies).
type Answers struct {
	Replies []Reply           // each sender's outcome
	Queued  []alerts.Outgoing // the messages to the senders answered
	Lines   []alerts.LogEntry // their incidents' timeline lines
	Entry   CheckEntry        // the check's log entry: the counts
	// Respond, when not nil, is the check's state change with the
	// answers ("response planned" → "responded"): its log entry, written
	// after Entry.
	Respond *CheckEntry
}

// Replier answers the sender of a tipline message (the alert it arrived
// as) through the channel it came in on, never messaging a number that
// opted out. PrepareReply makes the answer ready and says its outcome
// (one of the Reply outcomes), writing nothing: the message (nil unless
// sent) is queued by the check store with the record of the answers and
// the lines AnswerLines makes for the senders' incidents' timelines, in
// one transaction (SaveReplies).
type Replier interface {
	PrepareReply(ctx context.Context, alertID int64, message string) (*alerts.Outgoing, string, error)
	// AnswerLines are the timeline lines of the answers ms: who
	// answered, when, how many, through which channel (never a number
	// nor the text).
	AnswerLines(ctx context.Context, actor string, narrative int64, ms []alerts.Outgoing) ([]alerts.LogEntry, error)
}

// Announcer is a Replier that tells the live queue of timeline lines once
// they are written.
type Announcer interface {
	Announce(lines []alerts.LogEntry)
}

// ChannelLanger is a Replier that can tell the language the channel of a
// tipline message (its alert) answers in: "en", "fr", or "" when the
// channel has none (the message's own language is then used).
type ChannelLanger interface {
	ChannelLang(ctx context.Context, alertID int64) (string, error)
}

// SenderKeyer is a Replier that can tell who sent a tipline message: an
// opaque key of the sender's number ("" when unknown), never the number.
// With it a person who sent the rumour more than once is one sender and
// gets one answer.
type SenderKeyer interface {
	SenderKey(ctx context.Context, alertID int64) (string, error)
}

// senderKeys keys each tipline item by its sender: the key kept at
// intake (Item.SenderKey); for a message kept without one, the
// Replier's SenderKey when open is set (it opens the message's number:
// SendAnswers only, which opens it to send anyway), else the item
// itself, counted as one more person.
func (s *Service) senderKeys(ctx context.Context, cs CheckStore, narrative int64, items []Item, open bool) (map[int64]string, error) {
	stored, err := cs.TiplineSenderKeys(ctx, narrative)
	if err != nil {
		return nil, err
	}
	keys := make(map[int64]string, len(items))
	sk, _ := s.Replier.(SenderKeyer)
	for _, it := range items {
		k := stored[it.ID]
		if alertID := tiplineAlert(it); k == "" && open && sk != nil && alertID > 0 {
			if k, err = sk.SenderKey(ctx, alertID); err != nil {
				return nil, err
			}
		}
		if k == "" {
			k = "item:" + strconv.FormatInt(it.ID, 10)
		}
		keys[it.ID] = k
	}
	return keys, nil
}

// tiplineAlert is the alert a tipline item came from (its source id
// "alert:N"), or 0 when it did not come from one.
func tiplineAlert(it Item) int64 {
	var alertID int64
	if _, err := fmt.Sscanf(strings.TrimPrefix(it.SourceID, "alert:"), "%d", &alertID); err != nil || alertID <= 0 {
		return 0
	}
	return alertID
}

func (s *Service) checks() (CheckStore, error) {
	cs, ok := s.Store.(CheckStore)
	if !ok {
		return nil, apperr.Say(apperr.KindUnavailable, "", "integrity.refusal.no-checks")
	}
	return cs, nil
}

func validState(st string) bool {
	for _, x := range CheckStates {
		if x == st {
			return true
		}
	}
	return false
}

func allowed(from, to string) bool {
	for _, x := range Transitions[from] {
		if x == to {
			return true
		}
	}
	return false
}

// GetCheck returns a narrative's check with its log, the states it may
// move to, its tipline senders (counted as the queue counts them: see the
// package doc) and the answers sent. A narrative nobody
// has worked on yet has a new check (not stored until the first step).
func (s *Service) GetCheck(ctx context.Context, narrative int64) (Check, error) {
	cs, c, err := s.openCheck(ctx, narrative)
	if err != nil {
		return Check{}, err
	}
	if c.Log, err = cs.CheckLog(ctx, narrative); err != nil {
		return Check{}, err
	}
	items, err := s.tiplineItems(ctx, narrative)
	if err != nil {
		return Check{}, err
	}
	// Counted as the queue counts them, from the keys kept at intake.
	if c.Senders, c.Unkeyed, err = cs.CheckSenders(ctx, narrative); err != nil {
		return Check{}, err
	}
	// Who the next answer would reach is the answers' own count
	// (SendAnswers), from the keys kept at intake: no number is opened. A
	// message kept without a key is one more person left to answer until
	// the answers are sent (they tell its sender apart).
	keys, err := s.senderKeys(ctx, cs, narrative, items, false)
	if err != nil {
		return Check{}, err
	}
	done, err := cs.CheckReplies(ctx, narrative)
	if err != nil {
		return Check{}, err
	}
	c.ToAnswer = toAnswer(items, keys, done)
	by := map[string]int{}
	for _, o := range done {
		by[o]++
	}
	for _, o := range []string{ReplySent, ReplyOptedOut, ReplyNoNumber, ReplyNoGateway} {
		if by[o] > 0 {
			c.Replies = append(c.Replies, ReplyCount{o, by[o]})
		}
	}
	if c.Broadcasts, err = cs.CheckBroadcasts(ctx, narrative); err != nil {
		return Check{}, err
	}
	var g *geotext.Gazetteer // read for the first audience of cells
	for i, b := range c.Broadcasts {
		if len(b.Cells) > 0 {
			if g == nil {
				g = s.gazetteer(ctx)
			}
			c.Broadcasts[i].CellsAround = contacts.CellsAround(g, b.Cells)
		}
	}
	return c, nil
}

// toAnswer counts the senders Answers would reply to now, walking the
// items as it does: a person answered through one message is not answered
// through another, and an item without a tipline alert is skipped.
func toAnswer(items []Item, keys map[int64]string, done map[int64]string) int {
	answered := map[string]bool{}
	for _, it := range items {
		if _, ok := done[it.ID]; ok {
			answered[keys[it.ID]] = true
		}
	}
	n := 0
	for _, it := range items {
		if answered[keys[it.ID]] {
			continue
		}
		answered[keys[it.ID]] = true
		if tiplineAlert(it) != 0 {
			n++
		}
	}
	return n
}

// openCheck returns the check store and the narrative's stored check, or
// a new one for an existing narrative (apperr.ErrNotFound for an unknown
// narrative).
func (s *Service) openCheck(ctx context.Context, narrative int64) (CheckStore, Check, error) {
	cs, err := s.checks()
	if err != nil {
		return nil, Check{}, err
	}
	c, err := cs.Check(ctx, narrative)
	if errors.Is(err, apperr.ErrNotFound) {
		n, nerr := s.Store.Narrative(ctx, narrative)
		if nerr != nil {
			return nil, Check{}, nerr
		}
		c = Check{Narrative: n.ID, State: CheckNew, Claim: n.Name}
	} else if err != nil {
		return nil, Check{}, err
	}
	s.decorate(&c)
	return cs, c, nil
}

func (s *Service) decorate(c *Check) {
	c.Next = append([]string{}, Transitions[c.State]...)
	c.Overdue = c.Deadline != nil && c.State != CheckClosed && s.now().After(*c.Deadline)
}

// StateAll asks CheckQueue for every stored check, closed ones included.
const StateAll = "all"

// CheckQueue lists the checks in progress (every state but closed), or
// those in state when it is one of CheckStates (closed included), or
// every stored check (StateAll, at most 2×QueueMax: the Verify page's
// chooser, which asked once for those in progress and once for the
// closed ones): late ones first, then by nearest deadline, then the most
// recently changed; at most QueueMax, More saying there are others. A
// narrative nobody has worked on has no stored check and is not listed.
func (s *Service) CheckQueue(ctx context.Context, state string) (CheckList, error) {
	limit := QueueMax
	if state == StateAll {
		limit = 2 * QueueMax
	} else if state != "" && !validState(state) {
		return CheckList{}, fieldErr("state", "%q is not one of %s", state, StateAll+", "+strings.Join(CheckStates, ", "))
	}
	cs, err := s.checks()
	if err != nil {
		return CheckList{}, err
	}
	rows, err := cs.CheckQueue(ctx, state, limit+1)
	if err != nil {
		return CheckList{}, err
	}
	l := CheckList{Checks: rows, More: len(rows) > limit}
	if l.More {
		l.Checks = rows[:limit]
	}
	if l.Checks == nil {
		l.Checks = []QueuedCheck{}
	}
	now := s.now()
	for i := range l.Checks {
		q := &l.Checks[i]
		q.Overdue = q.Deadline != nil && q.State != CheckClosed && now.After(*q.Deadline)
		q.Sample = textscan.Clip(q.Sample, SampleMax)
	}
	return l, nil
}

// CheckQueueQuery is CheckQueue of a request's query (state=).
func (s *Service) CheckQueueQuery(ctx context.Context, q url.Values) (CheckList, error) {
	return s.CheckQueue(ctx, q.Get("state"))
}

// CheckUpdate is one step on a check: a move to another state (with the
// rating and answer when the move is to rated), an assignment, a deadline,
// a note, an evidence link or the claim's wording. Nil fields are left.
type CheckUpdate struct {
	State     *string `json:"state"`
	Rating    *string `json:"rating"`
	SummaryEN *string `json:"summary_en"`
	SummaryFR *string `json:"summary_fr"`
	Claim     *string `json:"claim"`
	Assignee  *string `json:"assignee"`
	// Deadline is RFC 3339 or "YYYY-MM-DD HH:MM" (UTC); "" clears it.
	Deadline *string `json:"deadline"`
	Note     *string `json:"note"`
	// Evidence is an http(s) link; Note, when given with it, describes it.
	Evidence *string `json:"evidence"`
	// Response says how the claim was answered, given with the move to
	// responded (at most MaxResponse characters, one line: "Radio Okapi 14 h",
	// a community meeting): required then unless the fact-check's answer
	// was sent to tipline senders (Check.RepliesSent), so a check never
	// says "responded" without a record of how. It is the text of the
	// move's log entry, and audited with it.
	Response *string `json:"response"`
}

// MaxResponse bounds how a claim was answered (CheckUpdate.Response;
// characters).
const MaxResponse = 300

// UpdateCheck applies one step to a narrative's check and returns it. A
// move the workflow does not allow, a rating outside Ratings or a field
// too long is invalid input naming the field; nothing is written then.
func (s *Service) UpdateCheck(ctx context.Context, actor string, narrative int64, u CheckUpdate) (Check, error) {
	cs, c, err := s.openCheck(ctx, narrative)
	if err != nil {
		return Check{}, err
	}
	prev := c.State
	stored := c.UpdatedBy != ""
	e := CheckEntry{At: s.now()}
	n := 0 // one step per request keeps the log readable
	for _, p := range []*string{u.State, u.Claim, u.Assignee, u.Deadline, u.Evidence} {
		if p != nil {
			n++
		}
	}
	if u.Note != nil && u.Evidence == nil {
		n++
	}
	rating := u.Rating != nil || u.SummaryEN != nil || u.SummaryFR != nil
	if rating && (u.State == nil || *u.State != CheckRated) {
		return Check{}, fieldErr("rating", "a rating is given with the move to %q", CheckRated)
	}
	if u.Response != nil && (u.State == nil || *u.State != CheckResponded) {
		return Check{}, fieldErr("response", "how the claim was answered is given with the move to %q", CheckResponded)
	}
	if n != 1 {
		return Check{}, fieldErr("state", "give one step: state, claim, assignee, deadline, note or evidence")
	}
	switch {
	case u.State != nil:
		to := *u.State
		if !validState(to) {
			return Check{}, fieldErr("state", "%q is not one of %s", to, strings.Join(CheckStates, ", "))
		}
		if !allowed(c.State, to) {
			return Check{}, fieldErr("state", "a check cannot go from %s to %s (allowed: %s)", StateWord(c.State), StateWord(to), AllowedWord(c.State))
		}
		if to == CheckRated {
			if err := s.rate(&c, u); err != nil {
				return Check{}, err
			}
			e.Text = c.Rating
		}
		if to == CheckResponded && c.PublishedAt == nil {
			return Check{}, fieldErr("state", "publish the fact-check before marking the claim responded")
		}
		if to == CheckResponded {
			// A response is the fact-check's answer sent to the tipline's
			// senders, or said here: a broadcast, the radio, a meeting.
			how := ""
			if u.Response != nil {
				how = strings.TrimSpace(*u.Response)
			}
			if err := checkLine("response", how, MaxResponse, false); err != nil {
				return Check{}, err
			}
			if how == "" && c.RepliesSent == 0 {
				// A broadcast queued to someone is a record of how too.
				bs, err := cs.CheckBroadcasts(ctx, narrative)
				if err != nil {
					return Check{}, err
				}
				if !broadcastReached(bs) {
					return Check{}, fieldErr("response", "say how the claim was answered (e.g. %q): the fact-check's answer was sent to no tipline sender", "Radio Okapi 14 h")
				}
			}
			e.Text = how
		}
		e.Kind, e.From, e.To, c.State = LogState, c.State, to, to
	case u.Claim != nil:
		cl := strings.TrimSpace(*u.Claim)
		if err := checkText("claim", cl, MaxClaim, true); err != nil {
			return Check{}, err
		}
		if c.PublishedAt != nil {
			return Check{}, fieldErr("claim", "the fact-check is published: its claim cannot change")
		}
		c.Claim, e.Kind, e.Text = cl, LogClaim, cl
	case u.Assignee != nil:
		a := strings.TrimSpace(*u.Assignee)
		if err := checkLine("assignee", a, 100, false); err != nil {
			return Check{}, err
		}
		if err := s.assignable(ctx, a, c.Assignee); err != nil {
			return Check{}, err
		}
		c.Assignee, e.Kind, e.Text = a, LogAssign, a
	case u.Deadline != nil:
		e.Kind = LogDeadline
		if strings.TrimSpace(*u.Deadline) == "" {
			c.Deadline = nil
		} else {
			t, err := ParseTime(*u.Deadline)
			if err != nil {
				return Check{}, apperr.FieldErr(apperr.KindInvalid, "deadline", err)
			}
			t = t.UTC().Truncate(time.Second)
			if t.Year() < 2000 || t.Year() > 2200 {
				return Check{}, fieldErr("deadline", "%s is not a plausible deadline", t.Format(time.RFC3339))
			}
			c.Deadline, e.Text = &t, t.Format(time.RFC3339)
		}
	case u.Evidence != nil:
		link := strings.TrimSpace(*u.Evidence)
		if link == "" {
			return Check{}, fieldErr("evidence", "is required")
		}
		if err := checkURL("evidence", link); err != nil {
			return Check{}, err
		}
		e.Kind, e.URL = LogEvidence, link
		if u.Note != nil {
			note := strings.TrimSpace(*u.Note)
			if err := checkText("note", note, MaxNote, false); err != nil {
				return Check{}, err
			}
			e.Text = note
		}
	case u.Note != nil:
		note := strings.TrimSpace(*u.Note)
		if err := checkText("note", note, MaxNote, true); err != nil {
			return Check{}, err
		}
		e.Kind, e.Text = LogNote, note
	}
	if !stored {
		prev = ""
	}
	c.Updated, c.UpdatedBy = e.At, actor
	if err := cs.SaveCheck(ctx, actor, prev, &c, e); err != nil {
		return Check{}, err
	}
	return s.GetCheck(ctx, narrative)
}

// rate checks and sets the rating and the answer of a move to rated.
func (s *Service) rate(c *Check, u CheckUpdate) error {
	if u.Rating == nil || !validRating(*u.Rating) {
		if u.Rating != nil {
			return fieldErr("rating", "%q is not one of %s (a claim is rated when it moves to %q)", *u.Rating, strings.Join(Ratings, ", "), CheckRated)
		}
		return fieldErr("rating", "one of %s (a claim is rated when it moves to %q)", strings.Join(Ratings, ", "), CheckRated)
	}
	c.Rating = *u.Rating
	if u.SummaryEN != nil {
		c.SummaryEN = strings.TrimSpace(*u.SummaryEN)
	}
	if u.SummaryFR != nil {
		c.SummaryFR = strings.TrimSpace(*u.SummaryFR)
	}
	for _, f := range []struct{ name, v string }{{"summary_en", c.SummaryEN}, {"summary_fr", c.SummaryFR}} {
		if err := checkText(f.name, f.v, MaxSummary, false); err != nil {
			return err
		}
	}
	if c.SummaryEN == "" && c.SummaryFR == "" {
		return fieldErr("summary_en", "write the answer (what is true) in English or French: it goes on the fact-check page and to the people who asked")
	}
	if strings.TrimSpace(c.Claim) == "" {
		return fieldErr("claim", "state the claim being rated first")
	}
	return nil
}

func validRating(r string) bool {
	for _, x := range Ratings {
		if x == r {
			return true
		}
	}
	return false
}

// Publish makes a rated check's fact-check page public (an unguessable
// slug; the page needs no login) and returns the check. Publishing again
// changes nothing.
func (s *Service) Publish(ctx context.Context, actor string, narrative int64) (Check, error) {
	cs, c, err := s.openCheck(ctx, narrative)
	if err != nil {
		return Check{}, err
	}
	if c.PublishedAt != nil {
		return s.GetCheck(ctx, narrative)
	}
	if c.Rating == "" || c.State == CheckNew || c.State == CheckMonitoring || c.State == CheckVerifying {
		return Check{}, fieldErr("state", "only a rated claim is published (this one is %s)", StateWord(c.State))
	}
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return Check{}, err
	}
	now := s.now()
	c.Slug, c.PublishedAt, c.Updated, c.UpdatedBy = hex.EncodeToString(b[:]), &now, now, actor
	if err := cs.SaveCheck(ctx, actor, c.State, &c, CheckEntry{At: now, Kind: LogPublish, Text: c.Slug}); err != nil {
		return Check{}, err
	}
	return s.GetCheck(ctx, narrative)
}

// tiplineItems are the narrative's items that came from a tipline.
func (s *Service) tiplineItems(ctx context.Context, narrative int64) ([]Item, error) {
	its, err := s.Store.Items(ctx, ItemFilter{Narrative: narrative, Limit: 1 << 30})
	if err != nil {
		return nil, err
	}
	var out []Item
	for _, it := range its {
		if it.Via == ViaTipline && strings.HasPrefix(it.SourceID, "alert:") {
			out = append(out, it)
		}
	}
	return out, nil
}

// AnswerResult counts what SendAnswers did.
type AnswerResult struct {
	Sent      int `json:"sent"`
	OptedOut  int `json:"opted_out"`
	NoNumber  int `json:"no_number"`
	NoGateway int `json:"no_gateway"`
	Already   int `json:"already"` // answered before
}

// SendAnswers answers everyone who sent the narrative's rumour to a
// tipline, through the channel they used, in the channel's language when
// it has one (ChannelLanger), else their message's language (French or
// English), with the rating, the answer and the public page's
// link (base is the server's public URL). Each sender is answered once;
// a number that opted out is not messaged. The check must be published
// and its response planned (or responded: later senders); it moves to
// responded. The answers are made ready first (PrepareReply), then the
// messages, the lines saying them on the senders' incidents' timelines,
// the record of who was answered and the move to responded are written
// in one transaction: a failure writes none of them, and a retry answers
// everyone. Numbers are
// never logged or returned: only counts.
func (s *Service) SendAnswers(ctx context.Context, actor, base string, narrative int64) (AnswerResult, error) {
	var res AnswerResult
	if s.Replier == nil {
		return res, apperr.Say(apperr.KindUnavailable, "", "integrity.refusal.no-replier")
	}
	cs, c, err := s.openCheck(ctx, narrative)
	if err != nil {
		return res, err
	}
	if c.PublishedAt == nil {
		return res, fieldErr("state", "publish the fact-check before sending the answer")
	}
	if c.State != CheckResponsePlanned && c.State != CheckResponded {
		return res, fieldErr("state", "plan the response first (the check is %s)", StateWord(c.State))
	}
	items, err := s.tiplineItems(ctx, narrative)
	if err != nil {
		return res, err
	}
	done, err := cs.CheckReplies(ctx, narrative)
	if err != nil {
		return res, err
	}
	keys, err := s.senderKeys(ctx, cs, narrative, items, true)
	if err != nil {
		return res, err
	}
	// A person answered (or refused: opted out) through one message is not
	// answered again through another.
	answered := map[string]bool{}
	for _, it := range items {
		if _, ok := done[it.ID]; ok {
			answered[keys[it.ID]] = true
		}
	}
	var rs []Reply
	var queued []alerts.Outgoing // the answers made ready, written below
	for _, it := range items {
		if _, ok := done[it.ID]; ok || answered[keys[it.ID]] {
			res.Already++
			if !ok {
				// Recorded, so that the check's page, which tells apart
				// only the senders whose keys were kept, counts this
				// message's sender as answered.
				rs = append(rs, Reply{Item: it.ID, Outcome: ReplySameSender, At: s.now()})
			}
			continue
		}
		answered[keys[it.ID]] = true
		alertID := tiplineAlert(it)
		if alertID == 0 {
			continue
		}
		lang := "en"
		if it.Lang == "fr" {
			lang = "fr"
		}
		if cl, ok := s.Replier.(ChannelLanger); ok { // the channel's language first, as its intake answers
			l, err := cl.ChannelLang(ctx, alertID)
			if err != nil && !errors.Is(err, apperr.ErrNotFound) {
				return res, err
			}
			if l == "en" || l == "fr" {
				lang = l
			}
		}
		m, out, err := s.Replier.PrepareReply(ctx, alertID, AnswerText(c, lang, base))
		if err != nil {
			return AnswerResult{}, err // nothing written: a retry answers everyone
		}
		switch out {
		case ReplySent:
			res.Sent++
			if m != nil {
				queued = append(queued, *m)
			}
		case ReplyOptedOut:
			res.OptedOut++
		case ReplyNoNumber:
			res.NoNumber++
		default:
			out = ReplyNoGateway
			res.NoGateway++
		}
		rs = append(rs, Reply{Item: it.ID, Outcome: out, At: s.now()})
	}
	var lines []alerts.LogEntry
	if len(queued) > 0 {
		if lines, err = s.Replier.AnswerLines(ctx, actor, narrative, queued); err != nil {
			return AnswerResult{}, err
		}
	}
	now := s.now()
	ans := Answers{Replies: rs, Queued: queued, Lines: lines, Entry: CheckEntry{At: now, Kind: LogReply, Text: res.String()}}
	// Responded with the answers, in their transaction, once an answer
	// went to someone: answers that reached no one (nobody sent the
	// rumour, or all opted out) leave the response planned, to be said
	// how it was given (CheckUpdate.Response).
	if c.State == CheckResponsePlanned && c.RepliesSent+res.Sent > 0 {
		ans.Respond = &CheckEntry{At: now, Kind: LogState, From: CheckResponsePlanned, To: CheckResponded}
	}
	if err := cs.SaveReplies(ctx, actor, narrative, ans); err != nil {
		return AnswerResult{}, err
	}
	if a, ok := s.Replier.(Announcer); ok {
		a.Announce(lines)
	}
	return res, nil
}

// String is the counts as JSON: the log entry's text (the UI shows it in
// the reader's language) and the audit detail.
func (r AnswerResult) String() string {
	b, _ := json.Marshal(r)
	return string(b)
}

// MaxAnswerSMS bounds the SMS answer in characters (Unicode code points),
// as an alert's reply (alerts.MaxReplyChars) and a broadcast
// (contacts.MaxMessageChars) are bounded.
const MaxAnswerSMS = 640

// AnswerText is the SMS answer in lang ("en" or "fr", the other when that
// one is empty): the rating, the answer and the page's link, at most
// MaxAnswerSMS characters. An answer too long for that (a stored one from
// before the limit, a very long address) is cut, never the link.
func AnswerText(c Check, lang, base string) string {
	sum, lang := c.summary(lang)
	head, tail := RatingName(c.Rating, lang)+pageText[lang]["sep"], " "+PublicURL(base, c.Slug, lang)
	if room := MaxAnswerSMS - utf8.RuneCountInString(head) - utf8.RuneCountInString(tail); utf8.RuneCountInString(sum) > room {
		sum = string([]rune(sum)[:max(0, room)])
	}
	return head + sum + tail
}

// PublicURL is a fact-check page's address.
func PublicURL(base, slug, lang string) string {
	u := strings.TrimRight(base, "/") + "/factcheck/" + slug
	if lang == "fr" {
		u += "?lang=fr"
	}
	return u
}

// assignable refuses a name the check may not be given to: not one of
// Assignable's (no one, "", and the check's assignee as it is are fine).
func (s *Service) assignable(ctx context.Context, name, was string) error {
	if s.Assignable == nil || name == "" || name == was {
		return nil
	}
	names, err := s.Assignable(ctx)
	if err != nil {
		return err
	}
	if !slices.Contains(names, name) {
		return fieldErr("assignee", "%q is not an enabled analyst or administrator (the people a check may be given to)", name)
	}
	return nil
}
