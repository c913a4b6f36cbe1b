-- Environment (環境): the 地域循環共生圏 projects of the municipality, the places to participate they
-- open, and residents' enrolments in them. Only subgraphs/environment/store.ts reads or writes here.

create table environment.eco_project (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  kind text not null,
  municipality_code text not null,
  municipality text not null,
  operator text not null,
  description text not null
);
create index eco_project_kind_idx on environment.eco_project (kind);

create table environment.participation_opportunity (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references environment.eco_project (id),
  title text not null,
  capacity int not null check (capacity >= 0),
  intermediate_work_slots int not null default 0 check (intermediate_work_slots between 0 and capacity),
  hours_per_week double precision not null check (hours_per_week >= 0),
  outdoor boolean not null,
  schedule text not null,
  min_age int check (min_age >= 0)
);
create index participation_opportunity_project_idx on environment.participation_opportunity (project_id);

create table environment.enrollment (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null,
  opportunity_id uuid not null references environment.participation_opportunity (id),
  enrolled_on date not null default current_date,
  status text not null default 'ACTIVE' check (status in ('ACTIVE', 'COMPLETED', 'WITHDRAWN')),
  as_intermediate_work boolean not null default false,
  agency_id text not null
);
create index enrollment_person_idx on environment.enrollment (person_id);
create index enrollment_active_opportunity_idx on environment.enrollment (opportunity_id) where status = 'ACTIVE';
-- A resident holds at most one active place in an opportunity; a withdrawn one may enrol again.
create unique index enrollment_one_active_idx on environment.enrollment (person_id, opportunity_id) where status = 'ACTIVE';
