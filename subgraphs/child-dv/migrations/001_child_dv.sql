-- Child welfare and DV (児童福祉・DV): child-welfare cases, abuse reports, DV cases and the victims'
-- protected whereabouts. Only subgraphs/child-dv/store.ts reads or writes here.
-- person_id refers to a resident held by the welfare subgraph: no foreign key crosses schemas.

create table child_dv.child_welfare_case (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null,
  classification text not null,
  status text not null default 'OPEN',
  opened_at timestamptz not null default now(),
  agency_id text not null,
  registered_with_council boolean not null default false,
  summary text
);
create index child_welfare_case_person_idx on child_dv.child_welfare_case (person_id);

create table child_dv.abuse_report (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null,
  reported_at timestamptz not null default now(),
  reporter_agency_id text not null,
  kind text not null,
  urgency text not null,
  receiving_agency_id text not null,
  summary text
);
create index abuse_report_person_idx on child_dv.abuse_report (person_id);

create table child_dv.dv_case (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null,
  opened_at timestamptz not null default now(),
  status text not null default 'CONSULTING',
  agency_id text not null,
  former_municipality_code text,
  protection_order boolean not null default false,
  summary text
);
create index dv_case_person_idx on child_dv.dv_case (person_id, opened_at);

-- Every move is kept; the case shows the latest. Kept apart from dv_case so no query of the case's facts
-- reads an address by accident.
create table child_dv.protected_whereabouts (
  id uuid primary key default gen_random_uuid(),
  dv_case_id uuid not null references child_dv.dv_case (id),
  municipality_code text not null,
  address text not null,
  shelter_name text,
  since date not null,
  recorded_at timestamptz not null default now()
);
create index protected_whereabouts_case_idx on child_dv.protected_whereabouts (dv_case_id, since);
