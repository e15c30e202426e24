-- Who holds an escalation notice (alerts.Notice): claimed_until is the end
-- of the lease a pass of the outbox or a retry by hand took before posting
-- it (ClaimNotice, RetryNotice), cleared when the post is settled (sent,
-- failed and due again, given up) or handed back (UnclaimNotice). Before,
-- a claim was told from a short retry delay by next_at alone, and a
-- notice due again within a minute was refused as being sent. Rows
-- written before this migration hold no claim.
ALTER TABLE alert_notices ADD COLUMN claimed_until TEXT;
