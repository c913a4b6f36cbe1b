-- The municipality an enrolment counts in: where the hub's register had the person when it was recorded
-- (signed by the gateway with the recording). Dashboards count only the caller's jurisdiction; records
-- made before this column existed carry none and count in no municipality's dashboard.

alter table environment.enrollment add column municipality_code text;
create index enrollment_municipality_idx on environment.enrollment (municipality_code, enrolled_on);
