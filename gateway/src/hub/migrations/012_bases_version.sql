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

-- One trigger per table, named <table>_bumps_bases_version. The agency register is among them: a
-- meeting member's domain is read from it.
do $$
declare
  bases_table text;
begin
  foreach bases_table in array array['resident', 'consent', 'meeting', 'meeting_member', 'agency', 'emergency_access']
  loop
    execute format(
      'create trigger %I after insert or update or delete or truncate on hub.%I
         for each statement execute function hub.bump_bases_version()',
      bases_table || '_bumps_bases_version', bases_table);
  end loop;
end
$$;
