-- Which demo seeds ran in this schema. They were marked in schema_migrations, which a service's runtime
-- role therefore could insert into: one that recorded a future migration's name would have made the
-- owner skip it. The runtime role now only reads schema_migrations (npm run db:roles) and marks a seed here.
create table seed_runs (
  name text primary key,
  ran_at timestamptz not null default now()
);
insert into seed_runs (name) select name from schema_migrations where name like 'seed:%';
