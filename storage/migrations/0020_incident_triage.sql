-- Triage that flows (issue 11 item 5): an incident's category (one of
-- alerts.Categories, '' until categorised), the reporter's sex when asked
-- (alerts.ReporterSexes, '' when not recorded), both counted in the alert
-- stats, and the role of the user who set the location by hand.
ALTER TABLE alert_incidents ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE alert_incidents ADD COLUMN reporter_sex TEXT NOT NULL DEFAULT '';
ALTER TABLE alert_incidents ADD COLUMN loc_set_by TEXT NOT NULL DEFAULT '';
