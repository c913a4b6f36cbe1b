-- The support flow of a multi-agency case: its history of statuses, the reviews of its plan with who
-- took part, where a suspended case resumes, and how it was closed and by whom.

alter table welfare.support_case
  add column suspended_from text,
  add column closure_reason text,
  add column closure_participant_agency_ids text[],
  add column closed_by text;

alter table welfare.support_plan add column drafted_by text;

create table welfare.case_event (
  id uuid primary key default gen_random_uuid(),
  seq bigint generated always as identity,
  case_id uuid not null references welfare.support_case (id),
  at timestamptz not null default now(),
  from_status text,
  to_status text not null,
  agency_id text not null,
  note text
);
create index case_event_case_idx on welfare.case_event (case_id, seq);

create table welfare.plan_review (
  id uuid primary key default gen_random_uuid(),
  seq bigint generated always as identity,
  case_id uuid not null references welfare.support_case (id),
  plan_version int not null,
  reviewed_at timestamptz not null default now(),
  outcome text not null,
  participant_agency_ids text[] not null,
  agency_id text not null,
  note text
);
create index plan_review_case_idx on welfare.plan_review (case_id, seq);
