-- An event's payload is stored as the text that was hashed (its canonical JSON), in a json column: jsonb parsed and
-- re-encoded every row on the way in, which was about a third of what PostgreSQL spent per stored event, and kept
-- a normalized form instead of the hashed one. Reads and verification parse the payload and canonicalize it again,
-- so rows stored as jsonb before this change verify as they did.
alter table session_events alter column payload type json using payload::json;
