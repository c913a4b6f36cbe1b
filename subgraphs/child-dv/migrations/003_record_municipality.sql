-- The municipality an urgent report counts in: where the hub's register had the person when it was
-- received (signed by the gateway with the recording). Dashboards count only the caller's jurisdiction.
-- Reports received before this column existed carry none and count in no municipality's dashboard.

alter table child_dv.abuse_report add column municipality_code text;
create index abuse_report_municipality_idx on child_dv.abuse_report (municipality_code, reported_at);
