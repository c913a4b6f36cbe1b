-- Seniors' work (シルバー人材センター, 生涯現役促進地域連携事業): memberships, work offers, assignments and the
-- councils the notice lists. Only subgraphs/seniors-work/store.ts reads or writes here.

create table seniors_work.silver_membership (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null unique,
  centre_name text not null,
  agency_id text not null,
  joined_on date not null default current_date,
  skills text[] not null default '{}',
  status text not null default 'ACTIVE'
);

create table seniors_work.work_offer (
  id uuid primary key default gen_random_uuid(),
  title text not null,
  centre_name text not null,
  hours_per_week int not null check (hours_per_week > 0),
  location text not null,
  outdoor boolean not null default false,
  slots int not null check (slots > 0),
  description text not null
);

create table seniors_work.assignment (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null,
  offer_id uuid not null references seniors_work.work_offer (id),
  started_on date not null,
  ended_on date,
  hours_per_week int not null check (hours_per_week > 0),
  recorded_by text not null,
  recorded_at timestamptz not null default now()
);
create index assignment_person_idx on seniors_work.assignment (person_id);
create index assignment_offer_idx on seniors_work.assignment (offer_id);

create table seniors_work.lifelong_council (
  id uuid primary key default gen_random_uuid(),
  course text not null,
  prefecture_code text not null,
  prefecture text not null,
  municipality text,
  organisation text not null,
  period_start date not null,
  period_end date not null check (period_end >= period_start)
);
create index lifelong_council_prefecture_idx on seniors_work.lifelong_council (prefecture);
