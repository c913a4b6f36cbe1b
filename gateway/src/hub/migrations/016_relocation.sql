-- A person's move told to every agency subgraph (relocation.ts in @hub/platform). Each subgraph counts the
-- records it made in the municipality the person was registered in then; once a DV transfer moves her,
-- they must count where she lives now, or the town she fled still acts on them by id and counts them.
-- One row per person and subgraph: written with the move, in the same statement, and marked delivered
-- once the subgraph answered, so a subgraph that was down is told when it is back (nothing lost).

create table hub.relocation (
  person_id text not null references hub.resident (person_id),
  subgraph text not null,
  municipality_code text not null,
  moved_at timestamptz not null default now(),
  delivered_at timestamptz,
  attempts integer not null default 0,
  primary key (person_id, subgraph)
);

create index relocation_pending_idx on hub.relocation (moved_at) where delivered_at is null;

-- Moves made before this migration: the subgraphs were never told.
insert into hub.relocation (person_id, subgraph, municipality_code, moved_at)
select r.person_id, s.subgraph, r.municipality_code, r.moved_at
from hub.resident r
cross join unnest(array['welfare', 'suicide-prevention', 'child-dv', 'employment', 'seniors-work', 'environment'])
  as s (subgraph)
where r.moved_at is not null;
