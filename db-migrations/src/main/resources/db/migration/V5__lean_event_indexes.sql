-- Every stored event paid for three indexes no query uses: events are read by their session (the primary
-- key), sessions are searched by their own columns (start time, subject, connection, verdict counts) and by
-- the words of commands (command_tsv). Dropping them makes ingest cheaper; the partitions' copies go with them.
drop index if exists session_events_time_idx;
drop index if exists session_events_verdict_idx;
drop index if exists session_events_type_idx;
