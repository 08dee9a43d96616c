-- crmkit schema, version 8: the fingerprint of each opportunity's own content (128 bits of a
-- SHA-256 over everything but the version and the derived columns), written with every row, so
-- upsertAll tells an unchanged opportunity from a changed one without reading its child rows.
-- Rows stored before this version have none (NULL) and count as changed the first time an
-- upsert meets them; that upsert writes their fingerprint.
ALTER TABLE crm_opportunity ADD COLUMN content_hi BIGINT;
ALTER TABLE crm_opportunity ADD COLUMN content_lo BIGINT;
