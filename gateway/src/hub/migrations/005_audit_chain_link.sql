-- One successor per entry: an appender that chains after a stale tip (another gateway replica appended
-- first) fails on this index and re-reads the tip, so the chain stays a line without a lock, and one
-- append is one statement.

create unique index audit_log_prev_hash_key on hub.audit_log (prev_hash);
