-- つなぎの取り下げ: the referring agency's note and time of withdrawal, kept apart from the receiver's answer
-- (response_note, responded_at), which a withdrawal used to overwrite.
alter table hub.referral add column withdrawal_note text, add column withdrawn_at timestamptz;
