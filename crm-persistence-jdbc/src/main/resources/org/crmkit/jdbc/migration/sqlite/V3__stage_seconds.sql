-- crmkit schema, version 3, for SQLite: the column of the H2/PostgreSQL script (see
-- migration/server/V3__stage_seconds.sql); no backfill, for the reason V2 gives.

ALTER TABLE crm_opportunity ADD COLUMN stage_seconds ${text};
