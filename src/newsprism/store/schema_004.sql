-- Migration 4: grouping loads the stories active in a time window (last_date >= ?) on every
-- batch; without an index that is a scan of every story ever made.
CREATE INDEX stories_last_date ON stories(last_date);
