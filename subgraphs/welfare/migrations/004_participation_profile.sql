-- 参加支援: a resident's wishes and constraints for participation matching, one profile per resident,
-- replaced whole when it is recorded again.

create table welfare.participation_profile (
  person_id uuid primary key references welfare.person (id),
  wishes text[] not null default '{}',
  max_hours_per_week int,
  setting text not null default 'EITHER',
  near_area text,
  notes text,
  agency_id text not null,
  updated_at timestamptz not null default now()
);
