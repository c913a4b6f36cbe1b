-- An entry's id is the one its identity column gives it, never one the writer picks. A role that may insert
-- may also insert `overriding system value`: an id of 0 or below lay before where verifyAccessLog starts
-- reading, one below 1 could not be sealed into a cursor (the log's views failed), and one far above the
-- rest became the tip every append chains after, so that no append succeeded. Refused here, for every role.
create function hub.audit_log_id_is_its_own() returns trigger
  language plpgsql as $$
declare
  given bigint;
begin
  begin
    given := currval(pg_get_serial_sequence('hub.audit_log', 'id'));
  exception when object_not_in_prerequisite_state then
    given := null;
  end;
  if given is distinct from new.id then
    raise exception 'hub.audit_log: an entry''s id is its identity''s, not the writer''s' using errcode = 'insufficient_privilege';
  end if;
  return new;
end $$;

create trigger audit_log_id_is_its_own
  before insert on hub.audit_log
  for each row execute function hub.audit_log_id_is_its_own();
