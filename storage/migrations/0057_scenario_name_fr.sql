-- The French name of a saved coverage scenario (coverage.Scenario.NameFR),
-- shown to a French reader on the coverage and performance pages and in the
-- French brief; '' when it has none (the name is shown). The demo's
-- scenario has one; a scenario saved from the planner has the name typed.
ALTER TABLE coverage_scenarios ADD COLUMN name_fr TEXT NOT NULL DEFAULT '';
