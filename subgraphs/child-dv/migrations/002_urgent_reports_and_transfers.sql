-- Urgent reports (別添3): each report gets a receipt number for its sender and a triage status kept by
-- the receiving agency; DV danger reports (DV防止法 6条) sit beside the child-abuse ones.
-- DV transfers (別添3 4(1)): every move of a case to another municipality's agency is kept.

create sequence child_dv.abuse_report_receipt_seq;

alter table child_dv.abuse_report
  add column receipt_number text not null
    default ('R-' || lpad(nextval('child_dv.abuse_report_receipt_seq')::text, 8, '0')),
  add column status text not null default 'RECEIVED',
  add column triaged_at timestamptz,
  add column triage_note text;
create unique index abuse_report_receipt_idx on child_dv.abuse_report (receipt_number);
create index abuse_report_queue_idx on child_dv.abuse_report (receiving_agency_id, status, reported_at);

create table child_dv.dv_transfer (
  id uuid primary key default gen_random_uuid(),
  dv_case_id uuid not null references child_dv.dv_case (id),
  from_agency_id text not null,
  to_agency_id text not null,
  transferred_at timestamptz not null default now(),
  note text
);
create index dv_transfer_case_idx on child_dv.dv_transfer (dv_case_id, transferred_at);
