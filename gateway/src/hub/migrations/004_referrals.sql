-- つなぎ: referrals of a person between agencies. A referral records on which basis the receiving
-- agency may see what it carries; it is never a basis itself.

create table hub.referral (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null,
  from_agency_id text not null references hub.agency (id),
  to_agency_id text not null references hub.agency (id),
  categories text[] not null check (cardinality(categories) > 0),
  reason text not null,
  basis text not null check (basis in ('OWN_DOMAIN', 'CONSENT', 'SUPPORT_MEETING', 'CHILD_COUNCIL')),
  consent_id uuid references hub.consent (id),
  meeting_id uuid references hub.meeting (id),
  status text not null default 'REQUESTED'
    check (status in ('REQUESTED', 'ACCEPTED', 'DECLINED', 'COMPLETED', 'WITHDRAWN')),
  created_by_staff text not null,
  created_at timestamptz not null default now(),
  responded_at timestamptz,
  response_note text,
  completed_at timestamptz,
  check (from_agency_id <> to_agency_id)
);

create index referral_to on hub.referral (to_agency_id, created_at desc);
create index referral_from on hub.referral (from_agency_id, created_at desc);
create index referral_person on hub.referral (person_id);
