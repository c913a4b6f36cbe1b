-- Employment (ハローワーク): job-seeker registrations, job openings and placements.
-- Only subgraphs/employment/store.ts reads or writes here.

create table employment.job_seeker (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null unique,
  registered_at timestamptz not null default now(),
  office_agency_id text not null,
  desired_work text not null,
  desired_hours_per_week int check (desired_hours_per_week between 1 and 60),
  preferred_work_styles text[] not null default '{}',
  support_needs text[] not null default '{}',
  status text not null default 'ACTIVE'
);

create table employment.job_opening (
  id uuid primary key default gen_random_uuid(),
  title text not null,
  employer text not null,
  work_style text not null,
  hours_per_week int not null check (hours_per_week > 0),
  duration_weeks int check (duration_weeks > 0),
  diverse_work boolean not null default false,
  target_groups text[] not null default '{}',
  location text not null,
  outdoor boolean not null default false,
  min_age int,
  max_age int,
  openings int not null check (openings > 0),
  posted_on date not null default current_date
);
create index job_opening_posted_idx on employment.job_opening (posted_on desc);

create table employment.placement (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null,
  opening_id uuid not null references employment.job_opening (id),
  started_on date not null,
  ended_on date,
  status text not null default 'EMPLOYED',
  recorded_by text not null,
  recorded_at timestamptz not null default now()
);
create index placement_person_idx on employment.placement (person_id);
create index placement_opening_idx on employment.placement (opening_id);
