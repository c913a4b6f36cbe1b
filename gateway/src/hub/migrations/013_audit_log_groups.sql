-- One access-log row per group of decisions alike: the decisions one append records about many persons
-- that share everything but the person (and the consent, meeting or emergency each rests on) are one row
-- naming the persons in order (person_ids) with each one's basis record (basis_ids, aligned; '' for a
-- basis that names none). A list of a thousand persons is then one row hashed into the chain, not a
-- thousand. Rows written before keep their one person in person_id and verify as they were hashed.

alter table hub.audit_log alter column person_id drop not null;
alter table hub.audit_log add column person_ids text[];
alter table hub.audit_log add column basis_ids text[];
alter table hub.audit_log add constraint audit_log_one_shape check (
  (person_id is not null and person_ids is null and basis_ids is null)
  or (person_id is null and consent_id is null and meeting_id is null and emergency_id is null
      and cardinality(person_ids) > 0 and cardinality(basis_ids) = cardinality(person_ids))
);

-- How many decisions a row records, for counting entries without reading the arrays.
alter table hub.audit_log add column decisions int generated always as (coalesce(cardinality(person_ids), 1)) stored;

-- A person's log (accessLog) finds the rows that name them.
create index audit_log_person_ids_idx on hub.audit_log using gin (person_ids);
