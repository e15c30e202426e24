-- Retraining the harmful-speech classifier from analysts' labels (issue
-- 13). A label says an item is harmful or normal (not harmful), with the
-- class of harm when the analyst gives one (free text: hate, incitement…).
CREATE TABLE integrity_labels (
	item_id {{pad 8 int}}PRIMARY KEY REFERENCES integrity_items (id),
	label   TEXT    NOT NULL,
	class   TEXT    NOT NULL DEFAULT '',
	actor   TEXT    NOT NULL,
	at      TEXT    NOT NULL
);

-- Models trained from the built-in training data plus the labels,
-- versioned by id, with their held-out macro-F1 beside that of the model
-- active when they were trained (base, on the same held-out labels). At
-- most one is active; none: the built-in model scores.
CREATE TABLE integrity_models (
	id        {{serial}},
	created   TEXT    NOT NULL,
	actor     TEXT    NOT NULL,
	examples  {{pad 8 int}}NOT NULL,
	labels    {{pad 8 int}}NOT NULL,
	held_out  {{pad 8 int}}NOT NULL,
	macro_f1  {{pad 8 real}}NOT NULL,
	base_f1   {{pad 8 real}}NOT NULL,
	base      TEXT    NOT NULL,
	langs     TEXT    NOT NULL DEFAULT '',
	report    TEXT    NOT NULL DEFAULT '{}',
	active    INTEGER NOT NULL DEFAULT 0,
	activated TEXT    NOT NULL DEFAULT '',
	model     {{blob}} NOT NULL
);
