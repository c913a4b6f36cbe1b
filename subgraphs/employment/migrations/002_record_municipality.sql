-- The municipality a placement counts in: where the hub's register had the person when it was recorded
-- (signed by the gateway with the recording). Dashboards count only the caller's jurisdiction; records
-- made before this column existed carry none and count in no municipality's dashboard.

alter table employment.placement add column municipality_code text;
create index placement_municipality_idx on employment.placement (municipality_code, started_on);
