-- The municipality an assignment counts in: where the hub's register had the person when it was recorded
-- (signed by the gateway with the recording). Dashboards count only the caller's jurisdiction; records
-- made before this column existed carry none and count in no municipality's dashboard.

alter table seniors_work.assignment add column municipality_code text;
create index assignment_municipality_idx on seniors_work.assignment (municipality_code, started_on);
