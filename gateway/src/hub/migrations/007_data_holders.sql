-- The data holder lets its data flow (CONTRACT.md v2): a consent opens category C only once recorded or
-- confirmed by an agency of C's owning domain with jurisdiction; the evidence of how it was obtained.

alter table hub.consent
  add column evidence_ref text,
  add column witness_staff_id text,
  add column guardianship_ref text,
  add column confirmed_categories text[] not null default '{}';

-- Consents recorded before v2: what the obtaining agency's own domain holds counts as confirmed, nothing else.
update hub.consent c
set confirmed_categories = array(
  select category from unnest(c.categories) as category
  where (case
    when category in ('IDENTITY', 'CONTACT', 'WELFARE_CASE', 'HIKIKOMORI') then 'WELFARE'
    when category = 'MENTAL_HEALTH' then 'SUICIDE_PREVENTION'
    when category in ('CHILD_WELFARE', 'DV', 'DV_LOCATION') then 'CHILD_DV'
    when category = 'EMPLOYMENT' then 'EMPLOYMENT'
    when category = 'SENIOR_WORK' then 'SENIORS_WORK'
    when category = 'ENVIRONMENT_PARTICIPATION' then 'ENVIRONMENT'
  end) = (select a.domain from hub.agency a where a.id = c.obtained_by)
);

-- Who confirmed which category of a consent, and when.
create table hub.consent_confirmation (
  consent_id uuid not null references hub.consent (id),
  category text not null,
  agency_id text not null references hub.agency (id),
  staff_id text not null,
  confirmed_at timestamptz not null default now(),
  primary key (consent_id, category)
);

-- 緊急時アクセスの事後検証: an auditor closes each declaration's review.
alter table hub.emergency_access
  add column review_outcome text check (review_outcome in ('JUSTIFIED', 'UNJUSTIFIED')),
  add column review_note text,
  add column reviewed_by text,
  add column reviewed_at timestamptz;

create index emergency_access_pending_idx on hub.emergency_access (declared_at) where review_outcome is null;
