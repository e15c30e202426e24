-- Results frameworks, compacts and recorded indicator values (package
-- performance). A framework is one mission's objectives → results →
-- indicators (with baseline and targets per period) and its compacts; it
-- is saved whole (every save replaces the mission's rows and bumps
-- revision). Parties, commitments (with status history) and reviews of a
-- compact are JSON lists. Periods are written as performance.Period
-- strings (2019, 2019-Q3, 2019-07, 2019-01..2019-06).
CREATE TABLE perf_frameworks (
	mission    TEXT PRIMARY KEY,
	revision   INTEGER NOT NULL,
	updated    TEXT NOT NULL,
	updated_by TEXT NOT NULL
);
CREATE TABLE perf_objectives (
	mission  TEXT NOT NULL,
	id       TEXT NOT NULL,
	position INTEGER NOT NULL,
	title    TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (mission, id)
);
CREATE TABLE perf_results (
	mission      TEXT NOT NULL,
	objective_id TEXT NOT NULL,
	id           TEXT NOT NULL,
	position     INTEGER NOT NULL,
	title        TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (mission, objective_id, id)
);
CREATE TABLE perf_indicators (
	mission         TEXT NOT NULL,
	id              TEXT NOT NULL,
	objective_id    TEXT NOT NULL,
	result_id       TEXT NOT NULL,
	position        INTEGER NOT NULL,
	indicator       TEXT NOT NULL,
	params          TEXT NOT NULL DEFAULT '{}',
	area            TEXT NOT NULL,
	owner           TEXT NOT NULL DEFAULT '',
	unit            TEXT NOT NULL,
	direction       TEXT NOT NULL,
	baseline        {{real}},
	baseline_period TEXT NOT NULL DEFAULT '',
	disaggregations TEXT NOT NULL DEFAULT '',
	commitment      TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (mission, id)
);
CREATE TABLE perf_targets (
	mission      TEXT NOT NULL,
	indicator_id TEXT NOT NULL,
	period       TEXT NOT NULL,
	value        {{real}} NOT NULL,
	PRIMARY KEY (mission, indicator_id, period)
);
CREATE TABLE perf_compacts (
	mission     TEXT NOT NULL,
	id          TEXT NOT NULL,
	position    INTEGER NOT NULL,
	title       TEXT NOT NULL DEFAULT '',
	parties     TEXT NOT NULL,
	commitments TEXT NOT NULL,
	reviews     TEXT NOT NULL,
	PRIMARY KEY (mission, id)
);
-- Indicator values as computed (or entered), kept with their provenance
-- (sources with content hashes, method, engine version, computed_at) so a
-- value can be recomputed and compared.
CREATE TABLE perf_values (
	id             {{id}},
	mission        TEXT NOT NULL DEFAULT '',
	framework_id   TEXT NOT NULL DEFAULT '',
	indicator      TEXT NOT NULL,
	params         TEXT NOT NULL DEFAULT '{}',
	period         TEXT NOT NULL,
	area           TEXT NOT NULL,
	disaggregation TEXT NOT NULL DEFAULT '{}',
	body           TEXT NOT NULL,
	value          {{real}},
	no_data        INTEGER NOT NULL DEFAULT 0,
	engine         TEXT NOT NULL,
	computed_at    TEXT NOT NULL,
	recorded_at    TEXT NOT NULL,
	recorded_by    TEXT NOT NULL
);
CREATE INDEX perf_values_key ON perf_values (indicator, period, area);
CREATE INDEX perf_values_mission ON perf_values (mission, framework_id, period);
-- Values of manual indicators, entered by hand with their source and
-- evidence link.
CREATE TABLE perf_manual_values (
	id         {{id}},
	indicator  TEXT NOT NULL,
	period     TEXT NOT NULL,
	area       TEXT NOT NULL,
	value      {{real}} NOT NULL,
	low        {{real}},
	high       {{real}},
	unit       TEXT NOT NULL DEFAULT '',
	source     TEXT NOT NULL,
	evidence   TEXT NOT NULL DEFAULT '',
	entered_by TEXT NOT NULL,
	entered_at TEXT NOT NULL
);
CREATE INDEX perf_manual_key ON perf_manual_values (indicator, period, area);
