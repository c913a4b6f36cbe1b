-- The auditor's search of the access log by agency (accessLogSearch), newest first.
create index if not exists audit_log_agency_idx on hub.audit_log (agency_id, id);
