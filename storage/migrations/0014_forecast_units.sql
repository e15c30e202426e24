-- Forecast runs per unit of analysis (issue 3): a run is selected by target
-- and grid (priogrid, ops + cell_size, country), so a country-month run no
-- longer replaces the map's cell layer. units holds, for country runs, the
-- JSON list of countries with their name and PRIO-GRID cells (the
-- geometry served by /api/v1/risk?grid=country); '' for cell runs.
ALTER TABLE forecast_runs ADD COLUMN units TEXT NOT NULL DEFAULT '';
CREATE INDEX forecast_runs_target_grid ON forecast_runs (target, grid, cell_size, id);
