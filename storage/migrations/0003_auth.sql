-- Users, login sessions and API tokens (package auth). Session ids and tokens
-- are stored only as SHA-256 hashes; passwords only as argon2id hashes.
CREATE TABLE users (
	id            {{id}},
	name          TEXT    NOT NULL UNIQUE,
	role          TEXT    NOT NULL CHECK (role IN ('viewer', 'responder', 'analyst', 'admin')),
	password_hash TEXT    NOT NULL,
	disabled      INTEGER NOT NULL DEFAULT 0,
	created       TEXT    NOT NULL,
	updated       TEXT    NOT NULL
);
CREATE TABLE sessions (
	id_hash {{pad 8 blob}}PRIMARY KEY,
	user_id {{pad 8 int}}NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf    TEXT    NOT NULL,
	created {{pad 8 int}}NOT NULL, -- unix seconds
	expires {{pad 8 int}}NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE api_tokens (
	id      {{id}},
	user_id {{pad 8 int}}NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name    TEXT    NOT NULL DEFAULT '',
	hash    {{pad 8 blob}}NOT NULL UNIQUE,
	created {{pad 8 int}}NOT NULL, -- unix seconds
	expires {{pad 8 int}}NOT NULL DEFAULT 0 -- 0: never
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
