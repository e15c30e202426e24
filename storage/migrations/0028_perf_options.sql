-- Options for leadership (package performance): coverage-planner scenarios
-- (a TOB, a cut, a reconfiguration) attached to a protection gap of a
-- mission, so that a brief can set them side by side.
CREATE TABLE perf_options (
	id          {{id}},
	mission     TEXT NOT NULL,
	gap         TEXT NOT NULL,
	area        TEXT NOT NULL DEFAULT '',
	scenario_id {{int}} NOT NULL,
	note        TEXT NOT NULL DEFAULT '',
	created_by  TEXT NOT NULL,
	created_at  TEXT NOT NULL
);
CREATE INDEX perf_options_mission ON perf_options (mission, gap);
