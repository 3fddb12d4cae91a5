-- Session recording: searchable words inside paths, and day partitions that are safe to create at any time.

-- to_tsvector('simple', 'GET /customers/42') keeps '/customers/42' as one file-path token, so a search for
-- 'customers' would not find it. Every run of characters other than letters, digits and '_' becomes a space
-- first; searches normalize their words the same way.
drop index if exists session_events_command_tsv_idx;
alter table session_events drop column command_tsv;
alter table session_events add column command_tsv tsvector generated always as (
    to_tsvector('simple', regexp_replace(coalesce(command_text, ''), '[^[:alnum:]_]+', ' ', 'g'))) stored;
create index session_events_command_tsv_idx on session_events using gin (command_tsv);

-- Partitions hold one UTC day, whatever the time zone of the connection that creates them. Rows of that day that
-- already landed in the default partition are moved into the new one (PostgreSQL refuses to create a partition
-- while the default one holds rows of its range). Concurrent callers (several control planes) queue on an advisory
-- lock instead of failing on a duplicate table.
create or replace function portcullis_ensure_event_partition(day date) returns text
    language plpgsql as
$$
declare
    partition_name text := format('session_events_%s', to_char(day, 'YYYYMMDD'));
    low timestamptz := day::timestamp at time zone 'UTC';
    high timestamptz := (day + 1)::timestamp at time zone 'UTC';
    columns text := 'session_id, seq, session_started_at, event_time, type, verdict, command_text, payload, '
        || 'prev_hash, hash, received_at';
begin
    if to_regclass(partition_name) is not null then
        return partition_name;
    end if;
    perform pg_advisory_xact_lock(7411253012883431001);
    if to_regclass(partition_name) is not null then
        return partition_name;
    end if;
    if exists (select 1 from session_events_default where session_started_at >= low and session_started_at < high) then
        execute format('create temporary table portcullis_moving on commit drop as select %s'
            || ' from session_events_default where session_started_at >= %L and session_started_at < %L',
            columns, low, high);
        execute format('delete from session_events_default where session_started_at >= %L and session_started_at < %L',
            low, high);
        execute format('create table %I partition of session_events for values from (%L) to (%L)',
            partition_name, low, high);
        execute format('insert into session_events (%s) select %s from portcullis_moving', columns, columns);
        drop table portcullis_moving;
    else
        execute format('create table %I partition of session_events for values from (%L) to (%L)',
            partition_name, low, high);
    end if;
    return partition_name;
end;
$$;

-- Retention purges sessions by start time, skipping those under legal hold.
create index sessions_retention_idx on sessions (started_at) where not legal_hold;
