-- Every insert, delete and update of an intake channel (alert_channels)
-- but the intake throttle's count (the only statement that sets throttled
-- sets nothing else) sends NOTIFY vigil_channels in its own transaction,
-- the payload the schema's name: each server's listener
-- (storage/channelcache.go) then empties its cache of channels, which
-- storage.DB.ChannelByKey keeps instead of reading the channel's row at
-- every message. A trigger, so that no writer (the server, a `vigil
-- channels` command, psql) can change a channel without it; delivered at
-- commit, never for a rolled-back change.
CREATE FUNCTION channel_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('vigil_channels', TG_TABLE_SCHEMA);
	RETURN NULL;
END;
$$;
CREATE TRIGGER channel_notify_insert_delete AFTER INSERT OR DELETE ON alert_channels
	FOR EACH STATEMENT EXECUTE FUNCTION channel_notify();
CREATE TRIGGER channel_notify_update AFTER UPDATE ON alert_channels
	FOR EACH ROW WHEN (OLD.throttled IS NOT DISTINCT FROM NEW.throttled) EXECUTE FUNCTION channel_notify();
