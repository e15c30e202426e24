-- A scheduled feed's own title (RSS channel <title>, Atom feed <title>),
-- as its newest poll that worked read it, so that the Integrity page names
-- the feed by it ('' before the first such poll: the page shows the host).
ALTER TABLE integrity_feeds ADD COLUMN title TEXT NOT NULL DEFAULT '';
