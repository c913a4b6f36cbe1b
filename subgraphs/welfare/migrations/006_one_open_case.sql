-- One case a person (openCase, store/cases.ts): in 重層的支援体制整備事業 a person's case (事例) is one, worked
-- by the agencies together through its support plan; a second open case splits the plan and the meeting
-- record. openCase refuses a case while the person has one not closed, and this unique index holds the rule
-- whoever writes, two agencies opening her case at the same instant too.
--
-- A database may already hold several cases of one person not closed. They stay as they are (a stricter rule
-- judges what is written from then on, not what is stored: docs/operations.md, "Upgrading, with migrations"),
-- and the migration runs: all but the oldest of them are marked open_beside_another, out of the index. The
-- person gets no new case while any of them is open; her agencies close the others (closeCase) into the one
-- they keep. To find them:
--   select person_id, id, status from welfare.support_case where open_beside_another and status <> 'CLOSED'

alter table welfare.support_case add column open_beside_another boolean not null default false;

update welfare.support_case c set open_beside_another = true
  where c.status <> 'CLOSED'
    and exists (
      select 1 from welfare.support_case o
      where o.person_id = c.person_id and o.status <> 'CLOSED' and (o.opened_at, o.id) < (c.opened_at, c.id));

create unique index support_case_one_open_idx on welfare.support_case (person_id)
  where status <> 'CLOSED' and not open_beside_another;
