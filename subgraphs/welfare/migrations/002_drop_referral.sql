-- Referrals between agencies (つなぎ) are kept by the hub's own subgraph, which every domain's
-- agencies reach alike; the welfare system no longer holds them.

drop table welfare.referral;
