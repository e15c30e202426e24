-- The French title of a results framework's objectives, results and
-- compacts (performance.Objective.TitleFR…), shown to a French reader on
-- the performance page and in the brief; '' when the framework has none
-- (the title is shown).
ALTER TABLE perf_objectives ADD COLUMN title_fr TEXT NOT NULL DEFAULT '';
ALTER TABLE perf_results ADD COLUMN title_fr TEXT NOT NULL DEFAULT '';
ALTER TABLE perf_compacts ADD COLUMN title_fr TEXT NOT NULL DEFAULT '';
