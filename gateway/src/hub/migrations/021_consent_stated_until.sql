-- A consent's end as the recording agency gave it, where the consent ends earlier (valid_until): a parent's
-- consent for a minor ends when she comes of age. Her agencies read the consent's end as recorded, never the
-- day it ends by her age: that day is her birth date, which is IDENTITY and theirs only on a basis of its own.
alter table hub.consent add column stated_until timestamptz;
