-- Joint screening (別添2 6(1)(ア)–(ウ)): the multi-agency collaborator and the window assess together;
-- a high or imminent level opens a referral to psychiatric care, proposed until a clinic is found.

alter table suicide_prevention.risk_assessment add column joint boolean not null default false;

alter table suicide_prevention.psychiatric_referral
  alter column institution drop not null,
  add column screening_id uuid references suicide_prevention.risk_assessment (id);
create index psychiatric_referral_screening_idx on suicide_prevention.psychiatric_referral (screening_id);
