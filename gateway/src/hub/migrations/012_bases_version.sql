-- The version of the legal bases: one row, bumped in the same transaction by every statement that
-- changes a table the bases are read from (policy/bases.ts). A gateway keeps bases across requests only
-- for the version it last read with them, so a revocation, a membership removal or a meeting's end
-- counts from the very next request, on every replica. A row, not a sequence: its new value is seen
-- only once the change that bumped it commits.

create table hub.bases_version (
  one boolean primary key default true check (one),
  version bigint not null
);

insert into hub.bases_version (one, version) values (true, 1);

create function hub.bump_bases_version() returns trigger
language plpgsql as $$
begin
  update hub.bases_version set version = version + 1;
  return null;
end
$$;

create trigger resident_bumps_bases_version
  after insert or update or delete or truncate on hub.resident
  for each statement execute function hub.bump_bases_version();

create trigger consent_bumps_bases_version
  after insert or update or delete or truncate on hub.consent
  for each statement execute function hub.bump_bases_version();

create trigger meeting_bumps_bases_version
  after insert or update or delete or truncate on hub.meeting
  for each statement execute function hub.bump_bases_version();

create trigger meeting_member_bumps_bases_version
  after insert or update or delete or truncate on hub.meeting_member
  for each statement execute function hub.bump_bases_version();

-- A meeting member's domain is read from the agency register.
create trigger agency_bumps_bases_version
  after insert or update or delete or truncate on hub.agency
  for each statement execute function hub.bump_bases_version();

create trigger emergency_access_bumps_bases_version
  after insert or update or delete or truncate on hub.emergency_access
  for each statement execute function hub.bump_bases_version();
