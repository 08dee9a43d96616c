-- crmkit schema, version 2, for SQLite: the columns and indexes of the H2/PostgreSQL script
-- (see migration/server/V2__funnel_fast_path.sql for their meaning). Its backfill UPDATEs are
-- left out: SQLite joined the store's databases at version 3, so an SQLite store passes
-- version 1 with no rows to backfill, and SQLite does not take their aliased UPDATE syntax.

ALTER TABLE crm_opportunity ADD COLUMN last_transition_s BIGINT;
ALTER TABLE crm_opportunity ADD COLUMN last_transition_n INTEGER;
ALTER TABLE crm_opp_transition ADD COLUMN next_s BIGINT;
ALTER TABLE crm_opp_transition ADD COLUMN next_n INTEGER;
ALTER TABLE crm_opp_transition ADD COLUMN stage_total_s BIGINT;

CREATE INDEX crm_opportunity_last_transition ON crm_opportunity (last_transition_s);
CREATE INDEX crm_opportunity_process_owner ON crm_opportunity (process_id, owner_id);
