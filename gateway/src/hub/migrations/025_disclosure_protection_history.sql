-- Every disclosure protection a CHILD_DV agency set (setDisclosureProtection), kept: what a CHILD_DV agency
-- read of her while a protection was active stays withheld from her disclosure view after it ends, so the
-- view needs when each began and ended, not the latest `until` alone (hub.disclosure_protection, one row
-- per protecting agency, which the view no longer reads). A setting lasts from set_at until its `until` or the same agency's next
-- setting, whichever is first. Each setting is kept by the trigger below, whatever release writes it (an
-- older one, during a rolling upgrade, writes hub.disclosure_protection alone). A protection set before
-- this table existed is known by its latest setting only: what it covered before that setting (an earlier,
-- longer one shortened, say) is not. It is taken as set since the epoch, until its latest `until`, so what
-- a CHILD_DV agency read before is withheld, not shown, for want of its history. It names the person and
-- agencies; only the access log's disclosure view reads it.

create table hub.disclosure_protection_change (
  id bigint generated always as identity primary key,
  person_id text not null,
  set_by text not null references hub.agency (id),
  set_by_staff text not null,
  until timestamptz not null,
  set_at timestamptz not null default now()
);

create index disclosure_protection_change_person_idx on hub.disclosure_protection_change (person_id, set_by, set_at);

insert into hub.disclosure_protection_change (person_id, set_by, set_by_staff, until, set_at)
select person_id, set_by, set_by_staff, until, timestamptz 'epoch' from hub.disclosure_protection order by set_at;

create function hub.disclosure_protection_kept() returns trigger
language plpgsql as $$
begin
  insert into hub.disclosure_protection_change (person_id, set_by, set_by_staff, until, set_at)
  values (new.person_id, new.set_by, new.set_by_staff, new.until, new.set_at);
  return new;
end
$$;

create trigger disclosure_protection_kept
  after insert or update on hub.disclosure_protection
  for each row execute function hub.disclosure_protection_kept();

-- Append-only, as the access log (npm run db:roles gives the runtime role insert and select only).
create trigger disclosure_protection_change_no_update_or_delete
  before update or delete on hub.disclosure_protection_change
  for each row execute function hub.table_is_append_only();

create trigger disclosure_protection_change_no_truncate
  before truncate on hub.disclosure_protection_change
  for each statement execute function hub.table_is_append_only();
