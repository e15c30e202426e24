-- Users, login sessions and API tokens (package auth). Session ids and tokens
-- are stored only as SHA-256 hashes; passwords only as argon2id hashes.
CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	name          TEXT    NOT NULL UNIQUE,
	role          TEXT    NOT NULL CHECK (role IN ('viewer', 'responder', 'analyst', 'admin')),
	password_hash TEXT    NOT NULL,
	disabled      INTEGER NOT NULL DEFAULT 0,
	created       TEXT    NOT NULL,
	updated       TEXT    NOT NULL
);
CREATE TABLE sessions (
	id_hash BLOB    PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf    TEXT    NOT NULL,
	created INTEGER NOT NULL, -- unix seconds
	expires INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE api_tokens (
	id      INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name    TEXT    NOT NULL DEFAULT '',
	hash    BLOB    NOT NULL UNIQUE,
	created INTEGER NOT NULL, -- unix seconds
	expires INTEGER NOT NULL DEFAULT 0 -- 0: never
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
