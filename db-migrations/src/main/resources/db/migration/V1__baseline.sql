-- Portcullis baseline schema: everything the first wave of features stores.
-- Later migrations add columns and tables; they never redesign these.

-- Connections and their credentials -------------------------------------------------------------

create table connections (
    id                    uuid primary key,
    name                  varchar(63)  not null unique,
    type                  varchar(16)  not null check (type in ('HTTP', 'KUBERNETES', 'POSTGRES')),
    target                varchar(2048) not null,
    description           varchar(1024),
    -- The credential is AES-256-GCM ciphertext (12-byte nonce || ciphertext || tag) under the master key,
    -- which is never stored in this database. Only the kind is kept in clear, for listings.
    credential_kind       varchar(16),
    credential_ciphertext bytea,
    credential_key_id     varchar(64),
    allowed_groups        text[]       not null default '{}',
    tags                  text[]       not null default '{}',
    created_at            timestamptz  not null,
    created_by            varchar(255) not null,
    updated_at            timestamptz  not null,
    updated_by            varchar(255) not null,
    row_version           bigint       not null default 0,
    check ((credential_kind is null) = (credential_ciphertext is null))
);
create index connections_tags_idx on connections using gin (tags);

-- One encrypted canary per master key: decrypting it at start proves the configured key is the one
-- that encrypted the stored credentials, so a wrong key fails loudly instead of at first use.
create table master_key_checks (
    key_id      varchar(64) primary key,
    ciphertext  bytea       not null,
    created_at  timestamptz not null
);

-- Policies, versioned: a change writes a new version and keeps the old ones -------------------------

create table policies (
    id              uuid primary key,
    name            varchar(63)  not null,
    current_version int          not null,
    priority        int          not null,
    -- The parsed document in canonical JSON (what proxies and the API read) and the text as submitted.
    document_json   jsonb        not null,
    created_at      timestamptz  not null,
    created_by      varchar(255) not null,
    updated_at      timestamptz  not null,
    updated_by      varchar(255) not null,
    deleted_at      timestamptz,
    deleted_by      varchar(255),
    row_version     bigint       not null default 0
);
create unique index policies_live_name_uidx on policies (name) where deleted_at is null;

create table policy_versions (
    policy_id     uuid         not null references policies (id),
    version       int          not null,
    change        varchar(16)  not null check (change in ('CREATE', 'UPDATE', 'DELETE')),
    format        varchar(8)   not null check (format in ('YAML', 'JSON')),
    source        text         not null,
    document_json jsonb        not null,
    created_at    timestamptz  not null,
    created_by    varchar(255) not null,
    primary key (policy_id, version)
);

-- Identities ------------------------------------------------------------------------------------

create table users (
    id            uuid primary key,
    username      varchar(255) not null unique,
    display_name  varchar(255),
    email         varchar(320),
    password_hash varchar(255),
    enabled       boolean      not null default true,
    created_at    timestamptz  not null,
    updated_at    timestamptz  not null,
    disabled_at   timestamptz,
    row_version   bigint       not null default 0
);

create table groups (
    id          uuid primary key,
    name        varchar(255) not null unique,
    description varchar(1024),
    created_at  timestamptz  not null
);

create table service_accounts (
    id                 uuid primary key,
    name               varchar(63)  not null unique,
    client_id          varchar(255) not null unique,
    -- Only a hash of the client secret is stored; the secret is shown once.
    secret_hash        varchar(255) not null,
    secret_rotated_at  timestamptz  not null,
    description        varchar(1024),
    token_ttl_seconds  int          not null default 600 check (token_ttl_seconds between 30 and 86400),
    enabled            boolean      not null default true,
    created_at         timestamptz  not null,
    created_by         varchar(255) not null,
    updated_at         timestamptz  not null,
    disabled_at        timestamptz,
    row_version        bigint       not null default 0
);

create table group_memberships (
    group_id           uuid not null references groups (id) on delete cascade,
    user_id            uuid references users (id) on delete cascade,
    service_account_id uuid references service_accounts (id) on delete cascade,
    created_at         timestamptz not null,
    check ((user_id is null) <> (service_account_id is null))
);
create unique index group_memberships_user_uidx on group_memberships (group_id, user_id) where user_id is not null;
create unique index group_memberships_sa_uidx
    on group_memberships (group_id, service_account_id) where service_account_id is not null;
create index group_memberships_user_idx on group_memberships (user_id);
create index group_memberships_sa_idx on group_memberships (service_account_id);

-- Subjects whose access is cut: listed in every policy snapshot so proxies refuse them.
create table revocations (
    subject     varchar(255) primary key,
    reason      varchar(1024),
    revoked_at  timestamptz  not null,
    revoked_by  varchar(255) not null
);

-- One row: the version of the policy snapshot proxies pull. Any change to connections, policies,
-- identities or revocations bumps it in the same transaction.
create table snapshot_state (
    id         smallint primary key default 1 check (id = 1),
    version    bigint      not null,
    changed_at timestamptz not null
);
insert into snapshot_state (id, version, changed_at) values (1, 1, now());

-- Reviews ---------------------------------------------------------------------------------------

create table reviews (
    id                 uuid primary key,
    status             varchar(16)  not null check (status in ('PENDING', 'APPROVED', 'DENIED', 'EXPIRED')),
    connection_name    varchar(63)  not null,
    subject            varchar(255) not null,
    subject_groups     text[]       not null default '{}',
    client_id          varchar(255),
    command            text         not null,
    -- SHA-256 over (method, path, body hash, connection) or the SQL text: what a retry must match.
    command_hash       varchar(64)  not null,
    rule               varchar(63)  not null,
    policy_name        varchar(63),
    approver_groups    text[]       not null,
    approvals_required int          not null check (approvals_required >= 1),
    session_id         uuid,
    proxy_node         varchar(255),
    created_at         timestamptz  not null,
    expires_at         timestamptz  not null,
    decided_at         timestamptz,
    -- After approval the same subject may send the same command once until valid_until.
    valid_until        timestamptz,
    consumed_at        timestamptz,
    orphaned           boolean      not null default false,
    row_version        bigint       not null default 0
);
create index reviews_status_idx on reviews (status, created_at);
create index reviews_subject_idx on reviews (subject, command_hash);

create table review_decisions (
    id         uuid primary key,
    review_id  uuid         not null references reviews (id) on delete cascade,
    decided_by varchar(255) not null,
    decision   varchar(16)  not null check (decision in ('APPROVE', 'DENY')),
    comment    varchar(4096),
    decided_at timestamptz  not null,
    -- Quorum counts distinct people.
    unique (review_id, decided_by)
);

-- Sessions and their events ------------------------------------------------------------------------

create table sessions (
    id              uuid primary key,
    subject         varchar(255) not null,
    subject_groups  text[]       not null default '{}',
    client_id       varchar(255),
    connection_name varchar(63)  not null,
    connection_type varchar(16)  not null,
    proxy_node      varchar(255),
    started_at      timestamptz  not null,
    ended_at        timestamptz,
    end_reason      varchar(32),
    event_count     int          not null default 0,
    last_seq        bigint       not null default 0,
    last_hash       varchar(64),
    allowed_count   int          not null default 0,
    blocked_count   int          not null default 0,
    reviewed_count  int          not null default 0,
    masked_count    int          not null default 0,
    -- Chain verification at ingest: a broken chain is stored and flagged, never repaired.
    chain_valid     boolean      not null default true,
    first_bad_seq   bigint,
    legal_hold      boolean      not null default false
);
create index sessions_started_idx on sessions (started_at desc);
create index sessions_subject_idx on sessions (subject, started_at desc);
create index sessions_connection_idx on sessions (connection_name, started_at desc);
create index sessions_blocked_idx on sessions (started_at desc) where blocked_count > 0;
create index sessions_reviewed_idx on sessions (started_at desc) where reviewed_count > 0;

-- Events are partitioned by their session's start time, copied onto every event. The partition key
-- must be part of every unique key; since a session has exactly one start time, (session_id, seq)
-- stays unique, delivery stays idempotent on it, and retention drops whole sessions with a partition,
-- so purging never splits a hash chain.
create table session_events (
    session_id         uuid         not null,
    seq                bigint       not null,
    session_started_at timestamptz  not null,
    event_time         timestamptz  not null,
    type               varchar(64)  not null,
    verdict            varchar(16),
    command_text       text,
    payload            jsonb        not null,
    prev_hash          varchar(64),
    hash               varchar(64)  not null,
    received_at        timestamptz  not null default now(),
    command_tsv        tsvector generated always as (to_tsvector('simple', coalesce(command_text, ''))) stored,
    primary key (session_id, seq, session_started_at)
) partition by range (session_started_at);

create index session_events_time_idx on session_events (event_time);
create index session_events_verdict_idx on session_events (verdict, event_time) where verdict is not null;
create index session_events_type_idx on session_events (type, event_time);
create index session_events_command_tsv_idx on session_events using gin (command_tsv);

-- Rows whose day has no partition yet land here rather than being lost.
create table session_events_default partition of session_events default;

-- Creates the daily partition for a day if it does not exist; the retention job calls it ahead of time
-- and drops partitions older than the retention period.
create function portcullis_ensure_event_partition(day date) returns text
    language plpgsql as
$$
declare
    partition_name text := format('session_events_%s', to_char(day, 'YYYYMMDD'));
begin
    if to_regclass(partition_name) is null then
        execute format(
            'create table %I partition of session_events for values from (%L) to (%L)',
            partition_name, day::timestamptz, (day + 1)::timestamptz);
    end if;
    return partition_name;
end;
$$;

-- Proxy nodes ------------------------------------------------------------------------------------

create table proxy_nodes (
    id                varchar(255) primary key,
    version           varchar(64),
    address           varchar(255),
    snapshot_version  bigint,
    started_at        timestamptz,
    last_heartbeat_at timestamptz not null
);

-- Admin audit log: every change made through the API, and security events ------------------------

create table audit_log (
    id            bigserial primary key,
    occurred_at   timestamptz  not null,
    actor         varchar(255) not null,
    action        varchar(64)  not null,
    resource_type varchar(64)  not null,
    resource_name varchar(255),
    -- Before and after images never hold secrets: credentials are reduced to their kind.
    before_state  jsonb,
    after_state   jsonb,
    detail        varchar(4096),
    remote_addr   varchar(64)
);
create index audit_log_time_idx on audit_log (occurred_at desc);
create index audit_log_resource_idx on audit_log (resource_type, resource_name, occurred_at desc);
create index audit_log_actor_idx on audit_log (actor, occurred_at desc);
