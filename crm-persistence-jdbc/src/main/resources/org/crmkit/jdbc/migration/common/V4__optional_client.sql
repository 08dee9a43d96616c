-- crmkit schema, version 4: an opportunity's client is optional (a deal without an account
-- yet, common in imported data); the three client columns are null together.
ALTER TABLE crm_opportunity ALTER COLUMN client_id DROP NOT NULL;
ALTER TABLE crm_opportunity ALTER COLUMN client_kind DROP NOT NULL;
ALTER TABLE crm_opportunity ALTER COLUMN client_name DROP NOT NULL;
