-- How an alert came in when its channel's kind does not say it
-- (alerts.Alert.Intake): 'phone' for an alert taken by telephone or in
-- person and typed in by a responder (POST /api/v1/alerts, the Alerts
-- page's form); '' for one its channel's gateway or public web form
-- delivered. Counted apart wherever alerts are counted by channel.
ALTER TABLE alerts ADD COLUMN intake TEXT NOT NULL DEFAULT '';
-- The Alerts page's form (64bc8d6) filed those alerts under a web channel
-- with the client ids it makes, 'phone-…': they are marked as taken by
-- telephone or in person. Other alerts typed in through the API before
-- cannot be told from the web form's and stay ''.
UPDATE alerts SET intake = 'phone'
	WHERE gateway_id LIKE 'phone-%' AND channel_id IN (SELECT id FROM alert_channels WHERE kind = 'web');
