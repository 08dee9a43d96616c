-- crmkit schema, version 4: one row per unversioned whole the store replaces (the org
-- structure, processes, plans). A write of one of them first updates its row, so concurrent
-- saves take turns on a row lock on every database instead of interleaving their deletes and
-- inserts (which ended in unique violations and deadlocks on PostgreSQL). Readers never touch
-- these rows.

CREATE TABLE crm_write_lock (
    name VARCHAR(32) NOT NULL PRIMARY KEY,
    taken BIGINT NOT NULL
);

INSERT INTO crm_write_lock (name, taken) VALUES ('org', 0);
INSERT INTO crm_write_lock (name, taken) VALUES ('processes', 0);
INSERT INTO crm_write_lock (name, taken) VALUES ('plans', 0);
