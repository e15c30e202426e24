-- The starter lexicon's meanings are Vigil's own sentences (the studies'
-- term lists give none): each term keeps its English sentence as meaning
-- and now says which sentence it is (meaning_code: ngram, keyword; '' for
-- a mission's own words) and the figure it gives (meaning_pct, the share of
-- hateful tweets for an n-gram), so that a page writes the sentence in its
-- own language (integrity/lexicon Meanings, issue 13).
ALTER TABLE integrity_terms ADD COLUMN meaning_code TEXT NOT NULL DEFAULT '';
ALTER TABLE integrity_terms ADD COLUMN meaning_pct INTEGER NOT NULL DEFAULT 0;

-- Terms loaded from the starter lexicon before: their meaning is exactly
-- one of the sentences (lexicon.GeneratedMeaning).
UPDATE integrity_terms SET meaning_code = 'keyword'
 WHERE meaning = 'keyword used to collect hateful tweets: a slur, a spelling of one, or a contested topic (not harmful by itself)';
UPDATE integrity_terms
   SET meaning_code = 'ngram',
       meaning_pct = CAST(substr(meaning, 33, {{if sqlite}}instr{{else}}strpos{{end}}(meaning, '%') - 33) AS INTEGER)
 WHERE meaning LIKE 'n-gram found in hateful tweets (%'
   AND {{if sqlite}}instr{{else}}strpos{{end}}(meaning, '%') BETWEEN 34 AND 36
   AND {{if sqlite}}trim{{else}}btrim{{end}}(substr(meaning, 33, {{if sqlite}}instr{{else}}strpos{{end}}(meaning, '%') - 33), '0123456789') = ''
   AND substr(meaning, {{if sqlite}}instr{{else}}strpos{{end}}(meaning, '%')) = '% of the tweets containing it were labelled hateful)';

-- Re-location of content items with the gazetteer (integrity.Relocate):
-- the fingerprint of the gazetteer the last complete re-location used, so
-- that a server start re-locates only when the gazetteer changed since.
CREATE TABLE integrity_relocated (
	id        INTEGER PRIMARY KEY CHECK (id = 1),
	gazetteer TEXT    NOT NULL,
	at        TEXT    NOT NULL
);
