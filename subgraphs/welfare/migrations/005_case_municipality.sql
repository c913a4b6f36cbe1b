-- The municipality a support case counts in: where the hub's register had the person when the case was
-- opened (signed by the gateway with openCase). The case dashboard counts only the caller's jurisdiction.
-- Cases opened before keep the municipality their person was registered in here.

alter table welfare.support_case add column municipality_code text;
update welfare.support_case c set municipality_code = p.municipality_code
  from welfare.person p where p.id = c.person_id and c.municipality_code is null;
create index support_case_municipality_idx on welfare.support_case (municipality_code, status);
