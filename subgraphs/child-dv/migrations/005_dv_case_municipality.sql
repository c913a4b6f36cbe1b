-- The municipality a DV case counts in: where the hub's register had her when the case was opened (signed by
-- the gateway with openDvCase), then the municipality a transfer names. Its holder acts on it only while it
-- serves that municipality. A transfer to a destination serving a single municipality names none (the gateway
-- checked that the destination serves her new one; child-dv is not told which), nor do cases opened before
-- this column existed unless a transfer named one: on those the holder's own check stands alone.

alter table child_dv.dv_case add column municipality_code text;
update child_dv.dv_case c set municipality_code = t.to_municipality_code
  from (
    select distinct on (dv_case_id) dv_case_id, to_municipality_code
    from child_dv.dv_transfer
    order by dv_case_id, transferred_at desc
  ) t
  where t.dv_case_id = c.id and t.to_municipality_code is not null;
