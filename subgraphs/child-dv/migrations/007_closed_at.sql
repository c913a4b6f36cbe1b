-- When a case, or an urgent report, was closed (終結). A protection of her disclosure view lasts while she has
-- one open (CONTRACT.md v2), and what a CHILD_DV agency read of her then stays withheld after it closes: the
-- hub reads when each began and ended. Closed once, a record stays closed, so closed_at is set once, with
-- the status. A record closed before this column existed is taken as closed now: what was read while it was
-- open is withheld, not shown, for want of its date.

alter table child_dv.child_welfare_case add column closed_at timestamptz;
alter table child_dv.abuse_report add column closed_at timestamptz;
alter table child_dv.dv_case add column closed_at timestamptz;

update child_dv.child_welfare_case set closed_at = now() where status = 'CLOSED';
update child_dv.abuse_report set closed_at = now() where status = 'CLOSED';
update child_dv.dv_case set closed_at = now() where status = 'CLOSED';

alter table child_dv.child_welfare_case
  add constraint child_welfare_case_closed_at check ((status = 'CLOSED') = (closed_at is not null));
alter table child_dv.abuse_report
  add constraint abuse_report_closed_at check ((status = 'CLOSED') = (closed_at is not null));
alter table child_dv.dv_case
  add constraint dv_case_closed_at check ((status = 'CLOSED') = (closed_at is not null));
