-- The French of a results framework indicator's owner ("QG de la Force"
-- beside "Force HQ"; performance.FIndicator.OwnerFR), shown to a French
-- reader on the performance page; '' when the framework has none (the
-- owner is shown). A compact's parties, commitments and reviews keep their
-- French (name_fr, text_fr, summary_fr) in the JSON lists perf_compacts
-- already holds them in.
ALTER TABLE perf_indicators ADD COLUMN owner_fr TEXT NOT NULL DEFAULT '';
