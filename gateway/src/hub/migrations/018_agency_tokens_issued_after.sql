-- A hub administrator switching an agency back on (reactivateAgency) does not revive the tokens it held
-- before: tokens issued before this time (their iat) are refused. Null: any token is taken.
alter table hub.agency add column tokens_issued_after timestamptz;
