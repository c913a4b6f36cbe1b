-- Where a DV victim now lives is DV_LOCATION (contract: "a record that says where a DV victim now lives").
-- A DV transfer is the register's only move: once it moved a person, the municipality the register has
-- her in says where she fled to, and is read as DV_LOCATION, not as CONTACT.

alter table hub.resident add column location_protected boolean not null default false;
update hub.resident set location_protected = true where moved_at is not null;
