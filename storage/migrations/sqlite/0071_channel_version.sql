-- A change counter of the intake channels (alert_channels): the triggers
-- bump it on every insert, delete and update of a channel but the intake
-- throttle's count (the only statement that sets throttled sets nothing
-- else), from any process — the server and a `vigil channels` command on
-- the same file. storage.DB.ChannelByKey reads this one-row table at each
-- lookup and keeps its channels while it stays the same, instead of
-- reading the channel's row at every message (channelcache.go).
CREATE TABLE channel_version (
	one     INTEGER PRIMARY KEY CHECK (one = 1),
	version BIGINT  NOT NULL
);
INSERT INTO channel_version (one, version) VALUES (1, 0);
CREATE TRIGGER channel_version_insert AFTER INSERT ON alert_channels
BEGIN
	UPDATE channel_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER channel_version_update AFTER UPDATE ON alert_channels
	WHEN OLD.throttled IS NEW.throttled
BEGIN
	UPDATE channel_version SET version = version + 1 WHERE one = 1;
END;
CREATE TRIGGER channel_version_delete AFTER DELETE ON alert_channels
BEGIN
	UPDATE channel_version SET version = version + 1 WHERE one = 1;
END;
