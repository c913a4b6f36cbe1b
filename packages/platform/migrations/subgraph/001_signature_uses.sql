-- The gateway signatures this subgraph has accepted, shared by all its replicas: a signature is
-- answered once (jti unique) and its row is pruned once the signature has expired.
-- Unlogged: a row matters for 35 seconds, and skipping the WAL flush takes the check from ~4 ms to
-- ~0.4 ms on PostgreSQL (bench/signing.ts); a crash empties the table, which reopens at most the
-- signatures of the last 35 seconds, and those only to someone who captured them in transit.
create unlogged table signature_uses (
  jti text primary key,
  expires_at timestamptz not null
);
create index signature_uses_expires_at on signature_uses (expires_at);
