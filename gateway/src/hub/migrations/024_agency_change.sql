-- The agency register's changes: every change a hub administrator makes to an agency through the API (its
-- registration, jurisdiction, switch-off and on, rate limit), with who made it (agency and staff member,
-- the token's sub), when, in which request, and the agency's controls before and after. Written in the
-- change's own transaction (agency-controls.ts), read by auditors only (agencyChanges). It names agencies,
-- municipalities and staff, never a resident.

create table hub.agency_change (
  id uuid primary key default gen_random_uuid(),
  at timestamptz not null default now(),
  agency_id text not null,
  change text not null
    check (change in ('REGISTERED', 'JURISDICTION_SET', 'RATE_LIMIT_SET', 'DEACTIVATED', 'REACTIVATED')),
  -- The agency as it was changed: its domain and seat, which no change alters.
  agency_domain text not null,
  agency_municipality_code text not null,
  changed_by_agency_id text not null,
  changed_by_staff_id text not null,
  request_id text not null,
  -- Its controls before (none for a registration) and after.
  jurisdiction_before text[],
  rate_limit_before integer,
  active_before boolean,
  jurisdiction_after text[] not null,
  rate_limit_after integer,
  active_after boolean not null,
  check ((change = 'REGISTERED') = (jurisdiction_before is null)),
  check ((jurisdiction_before is null) = (active_before is null))
);

create index agency_change_agency_idx on hub.agency_change (agency_id, at desc, id);
create index agency_change_at_idx on hub.agency_change (at desc, id);

-- Append-only, as the access log: the runtime role may insert and read it only (npm run db:roles finds it
-- by this trigger's function, whose name ends in append_only; migration 017).
create trigger agency_change_no_update_or_delete
  before update or delete on hub.agency_change
  for each row execute function hub.table_is_append_only();

create trigger agency_change_no_truncate
  before truncate on hub.agency_change
  for each statement execute function hub.table_is_append_only();
