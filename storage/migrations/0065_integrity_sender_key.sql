-- The sender of a tipline message, told apart without being named
-- (integrity.Item.SenderKey): the keyed hash (HMAC-SHA256, the contacts'
-- phone MAC) of the number the phone network gave, computed at intake
-- from the number in memory, never from a stored number. '' when there is
-- none: a web form's typed number, an anonymous message, any item that is
-- no tipline message, and the messages filed before this version (counted
-- one sender each: the queue of checks says how many).
ALTER TABLE integrity_items ADD COLUMN sender_key TEXT NOT NULL DEFAULT '';
