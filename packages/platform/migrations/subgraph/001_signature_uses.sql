-- The gateway signatures this subgraph has accepted, shared by all its replicas: a signature is
-- answered once (jti unique) and its row is pruned once the signature has expired.
create table signature_uses (
  jti text primary key,
  expires_at timestamptz not null
);
create index signature_uses_expires_at on signature_uses (expires_at);
