-- One open DV case per person (openDvCase, store/dv.ts): a second would take the first's place in
-- Person.dvCase, whereabouts and all, and a transfer would move one and leave the other open where she
-- lived. The rule was a check before the insert, which two agencies opening a case at the same instant on
-- PostgreSQL both passed. A unique index holds it whoever writes, and tells no other role of the database
-- whose case is being opened (a lock keyed on her id would, in pg_locks). A database already holding
-- several open DV cases of one person stops here, nothing changed: its operator has all but one closed
-- (the query in the exception finds whose), then migrates again.

do $$
begin
  if exists (
    select 1 from child_dv.dv_case where status <> 'CLOSED' group by person_id having count(*) > 1
  ) then
    raise exception 'child_dv.dv_case holds several open DV cases of one person: have all but one closed (select person_id from child_dv.dv_case where status <> ''CLOSED'' group by person_id having count(*) > 1), then migrate again';
  end if;
end
$$;

create unique index dv_case_one_open_idx on child_dv.dv_case (person_id) where status <> 'CLOSED';
