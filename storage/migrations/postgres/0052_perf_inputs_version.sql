-- A change counter of the data the performance indicators read besides the
-- events, deployments and alerts (which have their own counters): forecast
-- runs, survey submissions, analysis settings and margins, and the
-- information-integrity items, narratives, checks and check log. The
-- triggers bump it on every insert, update or delete of those tables (once
-- per statement), from any process, so storage.DB.PerformanceVersion reads
-- four one-row tables instead of counting rows (it ran COUNT(*) over the
-- submissions and runs on every performance request).
CREATE TABLE perf_inputs_version (
	one     INTEGER PRIMARY KEY CHECK (one = 1),
	version BIGINT  NOT NULL
);
INSERT INTO perf_inputs_version (one, version) VALUES (1, 0);
CREATE FUNCTION perf_inputs_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE perf_inputs_version SET version = version + 1 WHERE one = 1;
	RETURN NULL;
END;
$$;
CREATE TRIGGER perf_inputs_forecast_runs AFTER INSERT OR UPDATE OR DELETE ON forecast_runs
	FOR EACH STATEMENT EXECUTE FUNCTION perf_inputs_bump();
CREATE TRIGGER perf_inputs_survey_submissions AFTER INSERT OR UPDATE OR DELETE ON survey_submissions
	FOR EACH STATEMENT EXECUTE FUNCTION perf_inputs_bump();
CREATE TRIGGER perf_inputs_survey_analysis AFTER INSERT OR UPDATE OR DELETE ON survey_analysis
	FOR EACH STATEMENT EXECUTE FUNCTION perf_inputs_bump();
CREATE TRIGGER perf_inputs_survey_margins AFTER INSERT OR UPDATE OR DELETE ON survey_margins
	FOR EACH STATEMENT EXECUTE FUNCTION perf_inputs_bump();
CREATE TRIGGER perf_inputs_integrity_items AFTER INSERT OR UPDATE OR DELETE ON integrity_items
	FOR EACH STATEMENT EXECUTE FUNCTION perf_inputs_bump();
CREATE TRIGGER perf_inputs_integrity_narratives AFTER INSERT OR UPDATE OR DELETE ON integrity_narratives
	FOR EACH STATEMENT EXECUTE FUNCTION perf_inputs_bump();
CREATE TRIGGER perf_inputs_integrity_checks AFTER INSERT OR UPDATE OR DELETE ON integrity_checks
	FOR EACH STATEMENT EXECUTE FUNCTION perf_inputs_bump();
CREATE TRIGGER perf_inputs_integrity_check_log AFTER INSERT OR UPDATE OR DELETE ON integrity_check_log
	FOR EACH STATEMENT EXECUTE FUNCTION perf_inputs_bump();
