-- Per-form analysis settings (package surveys): indicators, breakdowns,
-- design fields, calibration margins and the disclosure rule
-- (quasi-identifiers, k). JSON of surveys.Settings; no personal data.
CREATE TABLE survey_analysis (
	form_id  TEXT NOT NULL PRIMARY KEY,
	settings TEXT NOT NULL,
	updated  TEXT NOT NULL
);
