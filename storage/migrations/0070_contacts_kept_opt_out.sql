-- A contact added, imported or renumbered before a number's stored opt-out
-- (a bare STOP from a number that was no contact, contact_optouts) was
-- adopted by the contact that later had the number: it was listed active,
-- though nothing was sent to it (the outbox's notOptedOut reads
-- contact_optouts), and no opt-in could clear it (an opt-in acts on opted
-- out contacts only). Such contacts are now opted out with the stored
-- opt-out's time and words, as storage's adoptKeptOptOut does since; the
-- stored opt-out stays until the opt-in with a new consent clears both.
UPDATE contacts SET
	opted_out_at = (SELECT o.at FROM contact_optouts o WHERE o.phone_mac = contacts.phone_mac),
	opt_out_how = (SELECT o.how FROM contact_optouts o WHERE o.phone_mac = contacts.phone_mac)
	WHERE opted_out_at IS NULL AND phone_mac <> ''
		AND EXISTS (SELECT 1 FROM contact_optouts o WHERE o.phone_mac = contacts.phone_mac);
