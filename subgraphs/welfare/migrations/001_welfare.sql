-- Welfare (福祉): residents, households, consultations, multi-agency cases, referrals, outreach,
-- hikikomori support and places to belong. Only subgraphs/welfare/store.ts reads or writes here.

create table welfare.household (
  id uuid primary key default gen_random_uuid(),
  flags text[] not null default '{}',
  summary text
);

create table welfare.person (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  name_kana text not null,
  birth_date date not null,
  address text,
  phone text,
  municipality_code text not null,
  household_id uuid references welfare.household (id),
  registered_at timestamptz not null default now()
);
create index person_household_idx on welfare.person (household_id);

create table welfare.community_place (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  kind text not null,
  operator text not null,
  location text not null,
  open_days text not null
);

create table welfare.consultation (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null references welfare.person (id),
  agency_id text not null,
  received_at timestamptz not null default now(),
  channel text not null,
  agency_kind text not null,
  summary text
);
create index consultation_person_idx on welfare.consultation (person_id);

create table welfare.support_case (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null references welfare.person (id),
  status text not null default 'INTAKE',
  issues text[] not null default '{}',
  lead_agency_id text not null,
  opened_at timestamptz not null default now(),
  closed_at timestamptz
);
create index support_case_person_idx on welfare.support_case (person_id);

create table welfare.support_plan (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references welfare.support_case (id),
  version int not null,
  goals text[] not null default '{}',
  roles jsonb not null default '[]',
  created_at timestamptz not null default now(),
  review_on date,
  unique (case_id, version)
);

create table welfare.referral (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null references welfare.person (id),
  from_agency_id text not null,
  to_agency_id text not null,
  reason text,
  status text not null default 'REQUESTED',
  created_at timestamptz not null default now()
);
create index referral_person_idx on welfare.referral (person_id);

create table welfare.outreach_record (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null references welfare.person (id),
  agency_id text not null,
  contacted_at timestamptz not null default now(),
  method text not null,
  relationship_stage text not null,
  note text
);
create index outreach_record_person_idx on welfare.outreach_record (person_id);

create table welfare.hikikomori_support (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null unique references welfare.person (id),
  withdrawn_since int,
  stage text not null,
  agency_id text not null,
  family_class_attendance int not null default 0,
  peer_supporter_visits int not null default 0,
  place_id uuid references welfare.community_place (id),
  history jsonb not null default '[]'
);
