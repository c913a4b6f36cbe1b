-- What a hub administrator controls of a registered agency: its own requests-per-minute limit (null: the
-- hub's RATE_LIMIT_PER_MINUTE) and whether it is switched off (its tokens are refused while deactivated_at is set).

alter table hub.agency
  add column rate_limit_per_minute integer check (rate_limit_per_minute between 1 and 1000000),
  add column deactivated_at timestamptz;
