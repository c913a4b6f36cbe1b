-- The legal bases the decision rests on (CONTRACT.md "The decision"): consents, meetings and their
-- members, emergency accesses, and the non-disclosure protections of the access log.

-- 本人同意: revoked or expired consents stay, so a denial can say CONSENT_REVOKED / CONSENT_EXPIRED.
create table hub.consent (
  id uuid primary key default gen_random_uuid(),
  person_id text not null,
  recipient_agency_ids text[] not null check (cardinality(recipient_agency_ids) > 0),
  categories text[] not null check (cardinality(categories) > 0),
  purpose text not null check (btrim(purpose) <> ''),
  valid_from timestamptz not null,
  valid_until timestamptz not null check (valid_until > valid_from),
  method text not null check (method in ('WRITTEN', 'ORAL', 'GUARDIAN')),
  guardian_name text,
  obtained_by text not null references hub.agency (id),
  obtained_by_staff text not null,
  revoked_at timestamptz,
  revoked_by text references hub.agency (id),
  revocation_reason text,
  created_at timestamptz not null default now(),
  check ((method = 'GUARDIAN') = (guardian_name is not null)),
  check ((revoked_at is null) = (revocation_reason is null))
);

create index consent_person_idx on hub.consent (person_id);

-- 支援会議 (社会福祉法 106条の6), 重層的支援会議, 要保護児童対策地域協議会 (児童福祉法 25条の2).
create table hub.meeting (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('SUPPORT_MEETING', 'MULTILAYER_MEETING', 'CHILD_COUNCIL')),
  title text not null check (btrim(title) <> ''),
  subject_person_ids text[] not null check (cardinality(subject_person_ids) > 0),
  shared_categories text[] not null,
  starts_at timestamptz not null,
  ends_at timestamptz check (ends_at > starts_at),
  closed_at timestamptz,
  convened_by text not null references hub.agency (id),
  convened_by_staff text not null,
  created_at timestamptz not null default now()
);

-- loadBases finds a person's meetings with subject_person_ids @> array[id].
create index meeting_subject_idx on hub.meeting using gin (subject_person_ids);
create index meeting_convener_idx on hub.meeting (convened_by);

-- A removed member keeps its row (who was a member when) but is no member: removed_at is set.
create table hub.meeting_member (
  meeting_id uuid not null references hub.meeting (id),
  agency_id text not null references hub.agency (id),
  added_at timestamptz not null default now(),
  acknowledged_at timestamptz,
  removed_at timestamptz,
  primary key (meeting_id, agency_id)
);

create index meeting_member_agency_idx on hub.meeting_member (agency_id) where removed_at is null;

-- 緊急時のアクセス: short-lived, always with a reason, listed for after-the-fact review.
create table hub.emergency_access (
  id uuid primary key default gen_random_uuid(),
  agency_id text not null references hub.agency (id),
  staff_id text not null,
  person_id text not null,
  categories text[] not null check (cardinality(categories) > 0),
  reason text not null check (btrim(reason) <> ''),
  declared_at timestamptz not null default now(),
  expires_at timestamptz not null check (expires_at > declared_at)
);

create index emergency_access_person_idx on hub.emergency_access (person_id);
create index emergency_access_declared_idx on hub.emergency_access (declared_at);

-- 不開示 (as Mynaportal's non-disclosure flag): while active, the CHILD_DV agencies' accesses to the
-- person are withheld from the disclosure view of the access log. One row per protecting agency.
create table hub.disclosure_protection (
  person_id text not null,
  set_by text not null references hub.agency (id),
  set_by_staff text not null,
  until timestamptz not null,
  set_at timestamptz not null default now(),
  primary key (person_id, set_by)
);
