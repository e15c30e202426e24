-- HTTP Digest for OpenRosa clients: the user's HA1 = MD5(name:realm:password)
-- is password-equivalent, so it is stored only sealed (AES-256-GCM under the
-- crypt keyring, package openrosa). NULL: the user has no Digest login
-- (HTTP Basic only). Cleared whenever the password changes.
ALTER TABLE users ADD COLUMN digest_ha1 {{blob}};
