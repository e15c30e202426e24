-- The log of interlocutors mission staff met (date, place, group, sex,
-- role: no names). Place and role can single a person out, so the entry is
-- stored AES-GCM sealed (surveys.Key); only the date is in clear, to order
-- and page the log.
CREATE TABLE survey_interlocutors (
	id      {{id}},
	met_on  TEXT NOT NULL, -- YYYY-MM-DD
	sealed  {{blob}} NOT NULL,  -- sealed JSON of surveys.Interlocutor
	created TEXT NOT NULL
);
CREATE INDEX survey_interlocutors_met_on ON survey_interlocutors (met_on);
