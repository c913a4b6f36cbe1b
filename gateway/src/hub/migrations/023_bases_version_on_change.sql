-- A statement that changes no row of a bases table leaves the bases as they were: a registration refused
-- as a duplicate, a member acknowledging twice, a switch-off of an id the register does not hold. Each
-- bumped their version all the same (the triggers ran per statement), so every gateway read the bases
-- again, and any meeting member could make them do so at will. The version now moves only when a row
-- was inserted, updated or deleted (the statement's transition table holds one), or the table truncated.

create function hub.bump_bases_version_if_changed() returns trigger
language plpgsql as $$
begin
  if exists (select 1 from changed_rows) then
    update hub.bases_version set version = version + 1;
  end if;
  return null;
end
$$;

-- A trigger may name a transition table for one event only: one trigger per event and table.
do $$
declare
  bases_table text;
begin
  foreach bases_table in array array['resident', 'consent', 'meeting', 'meeting_member', 'agency', 'emergency_access']
  loop
    execute format('drop trigger %I on hub.%I', bases_table || '_bumps_bases_version', bases_table);
    execute format(
      'create trigger %I after insert on hub.%I referencing new table as changed_rows
         for each statement execute function hub.bump_bases_version_if_changed()',
      bases_table || '_insert_bumps_bases_version', bases_table);
    execute format(
      'create trigger %I after update on hub.%I referencing new table as changed_rows
         for each statement execute function hub.bump_bases_version_if_changed()',
      bases_table || '_update_bumps_bases_version', bases_table);
    execute format(
      'create trigger %I after delete on hub.%I referencing old table as changed_rows
         for each statement execute function hub.bump_bases_version_if_changed()',
      bases_table || '_delete_bumps_bases_version', bases_table);
    execute format(
      'create trigger %I after truncate on hub.%I for each statement execute function hub.bump_bases_version()',
      bases_table || '_truncate_bumps_bases_version', bases_table);
  end loop;
end
$$;
