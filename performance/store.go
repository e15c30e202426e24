package performance

import (
	"context"
	"errors"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
)

// ErrNoFramework is returned for a mission with no stored framework. A
// Store returns it (and ErrNoOption, ErrConflict) wrapped as apperr's kind
// (apperr.Wrap), so the HTTP edge maps it without knowing this package.
var ErrNoFramework = errors.New("no results framework stored for this mission")

// FrameworkInfo describes a stored framework.
type FrameworkInfo struct {
	Mission    string    `json:"mission"`
	Revision   int       `json:"revision"`
	Updated    time.Time `json:"updated"`
	UpdatedBy  string    `json:"updated_by"`
	Objectives int       `json:"objectives"`
	Indicators int       `json:"indicators"`
	Compacts   int       `json:"compacts"`
}

// ValueFilter selects recorded values; empty fields match everything.
type ValueFilter struct {
	Mission     string
	FrameworkID string
	Indicator   string
	Period      string
	Area        string
	Limit       int // 0: 1000
}

// Recorded is a value as it was recorded, with who recorded it and when.
type Recorded struct {
	ID          int64     `json:"id"`
	Mission     string    `json:"mission,omitempty"`
	FrameworkID string    `json:"framework_id,omitempty"`
	RecordedAt  time.Time `json:"recorded_at"`
	RecordedBy  string    `json:"recorded_by"`
	Value       Value     `json:"value"`
}

// Store keeps results frameworks (with their compacts), recorded
// indicator values and manual values. Every change is audited under
// actor. Implemented by *storage.DB for SQLite and PostgreSQL.
type Store interface {
	// Frameworks lists the stored frameworks by mission.
	Frameworks(ctx context.Context) ([]FrameworkInfo, error)
	// Framework returns a mission's framework and its revision;
	// ErrNoFramework when none.
	Framework(ctx context.Context, mission string) (*Framework, int, error)
	// SaveFramework replaces a mission's framework (already validated) and
	// returns the new revision. With ifRevision ≥ 0 it fails with
	// ErrConflict unless the stored revision is ifRevision (0: none yet).
	SaveFramework(ctx context.Context, actor string, f *Framework, ifRevision int) (int, error)
	// DeleteFramework removes a mission's framework; ErrNoFramework when
	// none.
	DeleteFramework(ctx context.Context, actor, mission string) error
	// RecordValues stores computed values with their provenance under a
	// mission and framework indicator id ("" for none).
	RecordValues(ctx context.Context, actor, mission string, frameworkIDs []string, vs []Value) error
	// RecordedValues returns recorded values, newest first.
	RecordedValues(ctx context.Context, f ValueFilter) ([]Recorded, error)
	// AddManualValue stores a value entered by hand (already validated).
	AddManualValue(ctx context.Context, actor string, m ManualValue) (int64, error)
	// ManualValues returns every manual value, oldest first.
	ManualValues(ctx context.Context) ([]ManualValue, error)
	// RecordTriggers stores the withdrawals whose trigger fired (keyed by
	// cell and month) and returns those not stored before; notify says
	// which of the new ones leadership is being alerted to.
	RecordTriggers(ctx context.Context, actor string, fired []Withdrawal, notify func(Withdrawal) bool) ([]Withdrawal, error)
	// Triggers returns the recorded triggers, newest withdrawal first
	// (only those leadership was alerted to when alertedOnly), at most
	// limit (0: 100).
	Triggers(ctx context.Context, alertedOnly bool, limit int) ([]Trigger, error)
	// AcknowledgeTrigger records that actor acknowledged the leadership
	// alert of the withdrawal at cell and month (at, with a note), audited;
	// ErrNoTrigger when leadership was not alerted to it, an apperr
	// conflict (naming who and when) when it was acknowledged before.
	AcknowledgeTrigger(ctx context.Context, actor string, cell int, month, note string, at time.Time) (Trigger, error)
	// AddOption attaches a coverage scenario to a mission's gap.
	AddOption(ctx context.Context, actor string, o Option) (int64, error)
	// Options lists a mission's options, by gap then id.
	Options(ctx context.Context, mission string) ([]Option, error)
	// DeleteOption removes an option of a mission; ErrNoOption when none.
	DeleteOption(ctx context.Context, actor, mission string, id int64) error
}

// Trigger is a withdrawal whose watch trigger fired, as recorded the first
// time the watch saw it: the withdrawal with its matched comparison is the
// evidence; Alerted says whether leadership was alerted to it (a recent
// withdrawal) or it was only recorded (one long past in the history).
type Trigger struct {
	Withdrawal
	FirstSeen time.Time `json:"first_seen"`
	Alerted   bool      `json:"alerted"`
	// AckedBy, AckedAt and AckNote: who acknowledged the alert, when, and
	// what they noted (AckedAt nil while unacknowledged).
	AckedBy string     `json:"acked_by,omitempty"`
	AckedAt *time.Time `json:"acked_at,omitempty"`
	AckNote string     `json:"ack_note,omitempty"`
	// Words says the alert in plain words for leadership (AlertWords),
	// Figures its statistics for analysts (AlertFigures); given when read
	// (Service.LeadershipAlerts), not stored.
	Words   *Msg `json:"words,omitempty"`
	Figures *Msg `json:"figures,omitempty"`
}

// ErrNoTrigger is returned for a leadership alert that does not exist.
var ErrNoTrigger = keyed(apperr.NotFound("no leadership alert for this withdrawal (cell and month)"), msg("err.no-alert"))

// Option is a coverage-planner scenario attached to a protection gap of a
// mission: one of the options leadership chooses between.
type Option struct {
	ID         int64     `json:"id"`
	Mission    string    `json:"mission"`
	Gap        string    `json:"gap"`
	Area       string    `json:"area,omitempty"`
	ScenarioID int64     `json:"scenario_id"`
	Note       string    `json:"note,omitempty"`
	CreatedBy  string    `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
}

// ErrNoOption is returned for an option that does not exist.
var ErrNoOption = errors.New("no such option")

// ErrConflict is returned when a framework changed since it was read.
var ErrConflict = errors.New("the framework was changed by someone else since it was read: reload it")
