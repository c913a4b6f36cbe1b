-- The key that seals access-log entry ids and cursors (hub/log-ids.ts): one per hub, made by the first
-- gateway that starts, read by every replica, so an id or a cursor means the same entry on each.
create table hub.access_log_id_key (
  singleton boolean primary key default true check (singleton),
  key bytea not null check (length(key) = 32)
);
