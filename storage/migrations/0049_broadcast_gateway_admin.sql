-- Broadcast gateways set from the browser (package contacts): a gateway
-- can be paused (it keeps its settings but sends nothing) and has its own
-- number of tries per message (0: the server's default).
ALTER TABLE broadcast_gateways ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE broadcast_gateways ADD COLUMN max_attempts INTEGER NOT NULL DEFAULT 0;
