-- The persons who joined a DV victim after her transfer (同伴者の合流: a child who could not flee with her, or
-- one a transfer made before transfers named companions left behind), added by the agency holding her open
-- case. The gateway checked each (their own consent naming that agency, for DV_LOCATION, CHILD_WELFARE and DV;
-- no case open in child-dv) and moves each in the hub's register to where she lives. One row per person and
-- case: adding one twice is the same join.

create table child_dv.dv_case_companion (
  dv_case_id uuid not null references child_dv.dv_case (id),
  person_id uuid not null,
  added_by text not null,
  added_at timestamptz not null default now(),
  note text,
  primary key (dv_case_id, person_id)
);
