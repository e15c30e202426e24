-- One value sealed with each key id that has sealed data in this database,
-- so a server can check at start that its keyring is the database's
-- (storage.CheckKeyring): every server on one database needs the same keys.
CREATE TABLE key_canary (
	key_id  TEXT PRIMARY KEY,
	sealed  {{blob}} NOT NULL,
	created TEXT NOT NULL
);
