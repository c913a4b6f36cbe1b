-- Jurisdiction (CONTRACT.md v2): the municipalities each agency serves, and the one municipality each
-- person is registered in at a time (a DV transfer moves it). Own-domain access stops at its edge.

alter table hub.agency add column jurisdiction text[];
update hub.agency set jurisdiction = array[municipality_code];
alter table hub.agency alter column jurisdiction set not null;
alter table hub.agency add constraint agency_jurisdiction_not_empty check (cardinality(jurisdiction) > 0);

-- 住民の登録: written by the gateway when a WELFARE agency registers the person, moved by a DV transfer.
create table hub.resident (
  person_id text primary key,
  municipality_code text not null references hub.municipality (code),
  -- 生年月日 as registered: the law asks a person's age (a guardian's consent, a child council's subjects).
  birth_date date,
  registered_by text references hub.agency (id),
  registered_at timestamptz not null default now(),
  moved_at timestamptz
);

-- A meeting belongs to one municipality: the one its subjects are registered in.
alter table hub.meeting add column municipality_code text references hub.municipality (code);
