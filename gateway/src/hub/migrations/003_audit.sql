-- The access log: every decision about a person, append-only and chained by hash
-- (hash = sha256(prev_hash || canonical JSON of the entry), computed by gateway/src/audit/log.ts).

create table hub.audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null,
  agency_id text not null,
  staff_id text not null,
  person_id text not null,
  categories text[] not null,
  allowed boolean not null,
  basis text,
  reason text,
  consent_id text,
  meeting_id text,
  emergency_id text,
  operation_name text,
  request_id text not null,
  purpose text,
  prev_hash text not null,
  hash text not null unique,
  check (allowed = (basis is not null) and allowed = (reason is null))
);

create index audit_log_person_idx on hub.audit_log (person_id, id);

create function hub.audit_log_is_append_only() returns trigger
language plpgsql as $$
begin
  raise exception 'hub.audit_log is append-only: % refused', tg_op;
end
$$;

create trigger audit_log_no_update_or_delete
  before update or delete on hub.audit_log
  for each row execute function hub.audit_log_is_append_only();

create trigger audit_log_no_truncate
  before truncate on hub.audit_log
  for each statement execute function hub.audit_log_is_append_only();
