-- The key that seals access-log entry ids and cursors (hub/log-ids.ts): one per hub, made by the first
-- gateway that starts, read by every replica, so an id or a cursor means the same entry on each.
create table hub.access_log_id_key (
  singleton boolean primary key default true check (singleton),
  key bytea not null check (length(key) = 32)
);

-- Written once, never changed: a changed or deleted key would leave every id and cursor a client kept
-- naming nothing. The runtime role may insert and read it only (npm run db:roles, as hub.audit_log).
-- One function for every append-only table from here on (the access log keeps its own, from 003); its
-- name ends in append_only, which is how db:roles finds the tables to revoke update and delete on.
create function hub.table_is_append_only() returns trigger
language plpgsql as $$
begin
  raise exception 'hub.% is append-only: % refused', tg_table_name, tg_op;
end
$$;

create trigger access_log_id_key_no_update_or_delete
  before update or delete on hub.access_log_id_key
  for each row execute function hub.table_is_append_only();

create trigger access_log_id_key_no_truncate
  before truncate on hub.access_log_id_key
  for each statement execute function hub.table_is_append_only();
