-- crmkit schema, version 7: funnel aggregates maintained on every write (docs/design.md,
-- "Maintained aggregates"). The bytes placeholder is a binary column, serial a generated key.
--
-- crm_agg_delta: what each committed write changed, appended in the write's transaction: the
-- contribution of an opportunity's new state (sign 1) and of its old one (sign -1), per owner,
-- process and month of creation (yyyymm in the store's zone), as exact FunnelStats in their
-- binary form under both counting policies. Writers only ever insert here, so writers of the
-- same owner never wait for one another.
CREATE TABLE crm_agg_delta (
    seq ${serial},
    owner_id ${key} NOT NULL,
    process_id ${key} NOT NULL,
    created_month INTEGER NOT NULL,
    delta_sign INTEGER NOT NULL,
    open_stages INTEGER NOT NULL,
    linear_stats ${bytes} NOT NULL,
    strict_stats ${bytes} NOT NULL
);

CREATE INDEX crm_agg_delta_process ON crm_agg_delta (process_id, created_month);

-- crm_agg: the deltas compacted, per owner, process and month of creation, and per owner and
-- process over every month (month 0), with the number of opportunities beside the stats (the
-- counts per owner a whole-org funnel needs, without reading the stats). Written only under the
-- 'aggregates' turn of crm_write_lock (compaction, rebuild, a batch's fold), so never interleaved.
CREATE TABLE crm_agg (
    owner_id ${key} NOT NULL,
    process_id ${key} NOT NULL,
    created_month INTEGER NOT NULL,
    open_stages INTEGER NOT NULL,
    opportunities BIGINT NOT NULL,
    linear_stats ${bytes} NOT NULL,
    strict_stats ${bytes} NOT NULL,
    PRIMARY KEY (process_id, created_month, owner_id)
);

-- whether crm_agg plus crm_agg_delta equal the aggregate of the opportunity table, and in
-- which zone the months are: a store that opens an invalid or other-zone state rebuilds it
-- from the opportunities; a store that writes without maintaining marks it invalid.
CREATE TABLE crm_agg_state (
    name VARCHAR(32) NOT NULL PRIMARY KEY,
    valid INTEGER NOT NULL,
    zone ${text} NOT NULL
);

INSERT INTO crm_agg_state (name, valid, zone) VALUES ('funnel', 0, 'UTC');
INSERT INTO crm_write_lock (name, taken) VALUES ('aggregates', 0);
