-- The persons who moved with her (同伴者: her children fleeing with her), as the transfer named them. The
-- gateway checked each before the transfer was sent (served where she is, each on their own consent naming
-- the destination and DV_LOCATION) and moves each in the hub's register with her. Transfers made before this
-- column existed name none.

alter table child_dv.dv_transfer add column accompanying_person_ids uuid[] not null default '{}';
