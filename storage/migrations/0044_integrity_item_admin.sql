-- Where a content item is, as the gazetteer knows it (issue 13): the
-- first-level administrative area and country of its place, and how sure
-- the gazetteer was that the name meant that place (0–1; NULL when the
-- coordinates were given with the item). Never the author's location.
ALTER TABLE integrity_items ADD COLUMN admin1 TEXT NOT NULL DEFAULT '';
ALTER TABLE integrity_items ADD COLUMN country TEXT NOT NULL DEFAULT '';
ALTER TABLE integrity_items ADD COLUMN place_conf {{real}};
