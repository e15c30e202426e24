-- Risk forecasts (package forecast): one row per run of `vigil forecast`,
-- one row per cell, target month and horizon. drivers and history are JSON
-- (the explanation shown for a clicked cell); backtest holds the run's
-- walk-forward scores, calibration table and capture curve as JSON.
CREATE TABLE forecast_runs (
	id       {{id}},
	created  TEXT    NOT NULL,
	target   TEXT    NOT NULL,
	grid     TEXT    NOT NULL,
	cell_size {{real}}   NOT NULL,
	origin   TEXT    NOT NULL, -- YYYY-MM, last month of data used
	model    TEXT    NOT NULL,
	backtest TEXT    NOT NULL DEFAULT ''
);
CREATE TABLE forecast_cells (
	run_id      {{pad 8 int}}NOT NULL REFERENCES forecast_runs (id) ON DELETE CASCADE,
	month       TEXT    NOT NULL, -- target month YYYY-MM
	horizon     INTEGER NOT NULL,
	cell        INTEGER NOT NULL,
	probability {{pad 8 real}}NOT NULL,
	expected    {{pad 8 real}}NOT NULL,
	lo          {{pad 8 real}}NOT NULL,
	hi          {{pad 8 real}}NOT NULL,
	drivers     TEXT    NOT NULL,
	history     TEXT    NOT NULL,
	PRIMARY KEY (run_id, month, horizon, cell)
);
CREATE INDEX forecast_cells_cell ON forecast_cells (cell, run_id);
CREATE INDEX forecast_runs_target ON forecast_runs (target, id);
