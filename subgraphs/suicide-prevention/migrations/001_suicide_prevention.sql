-- Suicide prevention (自殺対策): risk assessments, counselling contacts, psychiatric referrals and the
-- public counselling windows. Only subgraphs/suicide-prevention/store.ts reads or writes here.
-- person_id refers to a resident held by the welfare subgraph: no foreign key crosses schemas.

create table suicide_prevention.risk_assessment (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null,
  assessed_at timestamptz not null default now(),
  level text not null,
  signs text[] not null default '{}',
  assessor_agency_id text not null,
  co_assessor_agency_id text,
  note text
);
create index risk_assessment_person_idx on suicide_prevention.risk_assessment (person_id, assessed_at);

create table suicide_prevention.counseling_contact (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null,
  contacted_at timestamptz not null default now(),
  channel text not null,
  agency_id text not null,
  summary text
);
create index counseling_contact_person_idx on suicide_prevention.counseling_contact (person_id);

create table suicide_prevention.psychiatric_referral (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null,
  referred_at timestamptz not null default now(),
  institution text not null,
  status text not null default 'PROPOSED',
  agency_id text not null
);
create index psychiatric_referral_person_idx on suicide_prevention.psychiatric_referral (person_id);

create table suicide_prevention.counseling_window (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  agency_id text not null,
  phone text,
  phone_hours text not null,
  channels text[] not null default '{}'
);
