-- The persons of an access-log row and their basis records are kept out of line but not compressed: a row
-- naming a thousand persons holds two arrays of a thousand random ids each, which compression barely
-- shrinks and which cost the database more CPU to try to compress (about 2.5 ms an append of 2,000 on
-- the embedded database) than writing the row. Rows written before are read as they are.

alter table hub.audit_log alter column person_ids set storage external;
alter table hub.audit_log alter column basis_ids set storage external;
