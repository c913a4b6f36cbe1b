-- When a case, or an urgent report, was closed (終結). A protection of her disclosure view lasts while she has
-- one open (CONTRACT.md v2), and what a CHILD_DV agency read of her then stays withheld after it closes: the
-- hub reads when each began and ended. A record closed stays closed, so closed_at is set once: by the
-- trigger below, when its status becomes CLOSED, whatever release writes it (an older one, during a rolling
-- upgrade, closes without knowing the column). A record closed before this column existed is taken as closed
-- now: what was read while it was open is withheld, not shown, for want of its date.

alter table child_dv.child_welfare_case add column closed_at timestamptz;
alter table child_dv.abuse_report add column closed_at timestamptz;
alter table child_dv.dv_case add column closed_at timestamptz;

update child_dv.child_welfare_case set closed_at = now() where status = 'CLOSED';
update child_dv.abuse_report set closed_at = now() where status = 'CLOSED';
update child_dv.dv_case set closed_at = now() where status = 'CLOSED';

create function child_dv.closed_when_closed() returns trigger
language plpgsql as $$
begin
  if new.status = 'CLOSED' and new.closed_at is null then
    new.closed_at := now();
  end if;
  return new;
end
$$;

create trigger child_welfare_case_closed_at
  before insert or update of status on child_dv.child_welfare_case
  for each row execute function child_dv.closed_when_closed();
create trigger abuse_report_closed_at
  before insert or update of status on child_dv.abuse_report
  for each row execute function child_dv.closed_when_closed();
create trigger dv_case_closed_at
  before insert or update of status on child_dv.dv_case
  for each row execute function child_dv.closed_when_closed();

alter table child_dv.child_welfare_case
  add constraint child_welfare_case_closed_at check ((status = 'CLOSED') = (closed_at is not null));
alter table child_dv.abuse_report
  add constraint abuse_report_closed_at check ((status = 'CLOSED') = (closed_at is not null));
alter table child_dv.dv_case
  add constraint dv_case_closed_at check ((status = 'CLOSED') = (closed_at is not null));
