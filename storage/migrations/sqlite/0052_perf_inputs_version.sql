-- A change counter of the data the performance indicators read besides the
-- events, deployments and alerts (which have their own counters): forecast
-- runs, survey submissions, analysis settings and margins, and the
-- information-integrity items, narratives, checks and check log. The
-- triggers bump it on every insert, update or delete of those tables, from
-- any process, so storage.DB.PerformanceVersion reads four one-row tables
-- instead of counting rows (it ran COUNT(*) over the submissions and runs
-- on every performance request).
CREATE TABLE perf_inputs_version (
	one     INTEGER PRIMARY KEY CHECK (one = 1),
	version BIGINT  NOT NULL
);
INSERT INTO perf_inputs_version (one, version) VALUES (1, 0);
CREATE TRIGGER perf_inputs_forecast_runs_insert AFTER INSERT ON forecast_runs
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER perf_inputs_forecast_runs_update AFTER UPDATE ON forecast_runs
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER perf_inputs_forecast_runs_delete AFTER DELETE ON forecast_runs
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER perf_inputs_survey_submissions_insert AFTER INSERT ON survey_submissions
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER perf_inputs_survey_submissions_update AFTER UPDATE ON survey_submissions
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER perf_inputs_survey_submissions_delete AFTER DELETE ON survey_submissions
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER perf_inputs_survey_analysis_insert AFTER INSERT ON survey_analysis
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER perf_inputs_survey_analysis_update AFTER UPDATE ON survey_analysis
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER perf_inputs_survey_analysis_delete AFTER DELETE ON survey_analysis
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER perf_inputs_survey_margins_insert AFTER INSERT ON survey_margins
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER perf_inputs_survey_margins_update AFTER UPDATE ON survey_margins
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER perf_inputs_survey_margins_delete AFTER DELETE ON survey_margins
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER perf_inputs_integrity_items_insert AFTER INSERT ON integrity_items
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER perf_inputs_integrity_items_update AFTER UPDATE ON integrity_items
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER perf_inputs_integrity_items_delete AFTER DELETE ON integrity_items
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER perf_inputs_integrity_narratives_insert AFTER INSERT ON integrity_narratives
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER perf_inputs_integrity_narratives_update AFTER UPDATE ON integrity_narratives
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER perf_inputs_integrity_narratives_delete AFTER DELETE ON integrity_narratives
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER perf_inputs_integrity_checks_insert AFTER INSERT ON integrity_checks
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER perf_inputs_integrity_checks_update AFTER UPDATE ON integrity_checks
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER perf_inputs_integrity_checks_delete AFTER DELETE ON integrity_checks
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER perf_inputs_integrity_check_log_insert AFTER INSERT ON integrity_check_log
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER perf_inputs_integrity_check_log_update AFTER UPDATE ON integrity_check_log
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER perf_inputs_integrity_check_log_delete AFTER DELETE ON integrity_check_log
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
END;
