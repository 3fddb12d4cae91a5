-- The built-in OIDC issuer's signing keys. The private key is AES-256-GCM ciphertext under the master key; the
-- public half is published in the JWKS until every token it signed has expired.
create table signing_keys (
    kid                    varchar(64)  primary key,
    algorithm              varchar(16)  not null,
    public_jwk             text         not null,
    private_key_ciphertext bytea        not null,
    created_at             timestamptz  not null,
    -- Set when a newer key takes over signing; published until retired_at + the longest token lifetime.
    retired_at             timestamptz
);

-- Who a service account's tokens are for and what it is for.
alter table users add column created_by varchar(255) not null default 'system';

create index revocations_time_idx on revocations (revoked_at desc);
