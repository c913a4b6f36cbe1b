-- Issues found after a case was opened (addCaseIssues): the case's history records each addition as an entry
-- that leaves its status as it was (from_status = to_status) and names the issues it added. Every entry before
-- is a change of status, which added none. A release before this one writes no column and adds none.

alter table welfare.case_event add column added_issues text[] not null default '{}';
