-- Failed-login counts shared by every server on the database (package auth,
-- Limiter with a LimitStore): a lockout holds on all of them and survives a
-- restart. key_hash is a keyed hash (HMAC-SHA256 under a key derived from
-- the keyring) of the login kind, the name typed and the client address:
-- nothing typed is stored. A key's window starts at its first failure
-- (window_start, Unix milliseconds); ended windows are pruned.
CREATE TABLE login_failures (
    key_hash     {{blob}} PRIMARY KEY,
    failures     {{int}} NOT NULL,
    window_start {{int}} NOT NULL
);
CREATE INDEX login_failures_window ON login_failures (window_start);
