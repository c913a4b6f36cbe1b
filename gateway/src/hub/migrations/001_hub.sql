-- The hub's own data: the register of municipalities and agencies.

create table hub.municipality (
  code text primary key check (code ~ '^\d{6}$'),
  name text not null,
  prefecture text not null
);

create table hub.agency (
  id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name text not null,
  domain text not null check (domain in ('WELFARE', 'SUICIDE_PREVENTION', 'CHILD_DV', 'EMPLOYMENT', 'SENIORS_WORK', 'ENVIRONMENT')),
  kind text not null,
  municipality_code text not null references hub.municipality (code),
  registered_at timestamptz not null default now()
);
