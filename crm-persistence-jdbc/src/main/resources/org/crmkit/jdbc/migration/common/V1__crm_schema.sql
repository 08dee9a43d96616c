-- crmkit schema, version 1. Dialect differences come in as placeholders from
-- org.crmkit.jdbc.Dialect: ${key} is an identifier column that sorts like Java strings,
-- ${text} an unbounded string, ${decimal} an exact number; every decimal is stored with its
-- scale beside it so 100.50 reads back as 100.50.
-- Instants are (epoch second, nano) pairs: exact on every database and comparable in SQL.

CREATE TABLE crm_process (
    id ${key} NOT NULL PRIMARY KEY,
    name ${text} NOT NULL,
    mode VARCHAR(16) NOT NULL
);

CREATE TABLE crm_stage (
    process_id ${key} NOT NULL REFERENCES crm_process (id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    code ${key} NOT NULL,
    name ${text} NOT NULL,
    kind VARCHAR(8) NOT NULL,
    default_probability INTEGER NOT NULL,
    PRIMARY KEY (process_id, pos)
);

CREATE TABLE crm_step (
    process_id ${key} NOT NULL REFERENCES crm_process (id) ON DELETE CASCADE,
    stage_pos INTEGER NOT NULL,
    pos INTEGER NOT NULL,
    code ${key} NOT NULL,
    name ${text} NOT NULL,
    required BOOLEAN NOT NULL,
    PRIMARY KEY (process_id, stage_pos, pos)
);

CREATE TABLE crm_opportunity (
    id ${key} NOT NULL PRIMARY KEY,
    version BIGINT NOT NULL,
    title ${text} NOT NULL,
    client_id ${key} NOT NULL,
    client_kind VARCHAR(16) NOT NULL,
    client_name ${text} NOT NULL,
    owner_id ${key} NOT NULL,
    process_id ${key} NOT NULL,
    stage ${key} NOT NULL,
    probability INTEGER NOT NULL,
    currency CHAR(3) NOT NULL,
    budget ${decimal},
    budget_scale INTEGER,
    amount ${decimal},
    amount_scale INTEGER,
    created_s BIGINT NOT NULL,
    created_n INTEGER NOT NULL,
    expected_close_date DATE NOT NULL,
    tactic ${text} NOT NULL,
    forecast_category VARCHAR(16),
    close_date DATE,
    close_revenue ${decimal},
    close_revenue_scale INTEGER,
    close_hours ${decimal},
    close_hours_scale INTEGER,
    close_reason ${text},
    close_winner ${text},
    -- derived at write time (org.crmkit.core.StageHistory), so aggregates never replay history
    status VARCHAR(4) NOT NULL,
    stage_index INTEGER NOT NULL,
    furthest_open_index INTEGER NOT NULL,
    entered_mask BIGINT NOT NULL,
    amount_minor BIGINT,
    budget_minor BIGINT,
    revenue_minor BIGINT,
    created_date DATE NOT NULL,
    stage_entered_s BIGINT NOT NULL
);

CREATE INDEX crm_opportunity_owner ON crm_opportunity (owner_id, stage_index);
CREATE INDEX crm_opportunity_process ON crm_opportunity (process_id);

CREATE TABLE crm_opp_competitor (
    opp_id ${key} NOT NULL REFERENCES crm_opportunity (id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    name ${text} NOT NULL,
    strengths ${text} NOT NULL,
    weaknesses ${text} NOT NULL,
    PRIMARY KEY (opp_id, pos)
);

CREATE TABLE crm_opp_participant (
    opp_id ${key} NOT NULL REFERENCES crm_opportunity (id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    contact_id ${key} NOT NULL,
    name ${text} NOT NULL,
    role VARCHAR(32) NOT NULL,
    attitude VARCHAR(32) NOT NULL,
    PRIMARY KEY (opp_id, pos)
);

CREATE TABLE crm_opp_lead (
    opp_id ${key} NOT NULL REFERENCES crm_opportunity (id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    lead_id ${key} NOT NULL,
    need ${text} NOT NULL,
    PRIMARY KEY (opp_id, pos)
);

CREATE TABLE crm_opp_product_line (
    opp_id ${key} NOT NULL REFERENCES crm_opportunity (id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    product ${text} NOT NULL,
    quantity ${decimal} NOT NULL,
    quantity_scale INTEGER NOT NULL,
    currency CHAR(3) NOT NULL,
    unit_price ${decimal} NOT NULL,
    unit_price_scale INTEGER NOT NULL,
    discount ${decimal} NOT NULL,
    discount_scale INTEGER NOT NULL,
    PRIMARY KEY (opp_id, pos)
);

CREATE TABLE crm_opp_history (
    opp_id ${key} NOT NULL REFERENCES crm_opportunity (id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    entry_id ${key} NOT NULL,
    kind VARCHAR(16) NOT NULL,
    at_s BIGINT NOT NULL,
    at_n INTEGER NOT NULL,
    author_id ${key} NOT NULL,
    subject ${text} NOT NULL,
    body ${text} NOT NULL,
    PRIMARY KEY (opp_id, pos)
);

CREATE TABLE crm_opp_transition (
    opp_id ${key} NOT NULL REFERENCES crm_opportunity (id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    from_stage ${key},
    to_stage ${key} NOT NULL,
    at_s BIGINT NOT NULL,
    at_n INTEGER NOT NULL,
    by_id ${key} NOT NULL,
    -- derived: the process index of the stage entered, and its bit in the entered-stage mask
    -- (0 for WON and LOST), so SQL gets the mask of any prefix of the history with
    -- SUM(DISTINCT to_bit)
    to_index INTEGER NOT NULL,
    to_bit BIGINT NOT NULL,
    PRIMARY KEY (opp_id, pos)
);

CREATE TABLE crm_opp_step (
    opp_id ${key} NOT NULL REFERENCES crm_opportunity (id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    step_code ${key} NOT NULL,
    PRIMARY KEY (opp_id, pos)
);

CREATE TABLE crm_manager (
    pos INTEGER NOT NULL PRIMARY KEY,
    id ${key} NOT NULL UNIQUE,
    name ${text} NOT NULL
);

CREATE TABLE crm_unit (
    pos INTEGER NOT NULL PRIMARY KEY,
    id ${key} NOT NULL UNIQUE,
    name ${text} NOT NULL,
    kind ${text} NOT NULL
);

CREATE TABLE crm_unit_link (
    pos INTEGER NOT NULL PRIMARY KEY,
    child_id ${key} NOT NULL,
    parent_id ${key} NOT NULL
);

CREATE TABLE crm_membership (
    pos INTEGER NOT NULL PRIMARY KEY,
    manager_id ${key} NOT NULL,
    unit_id ${key} NOT NULL
);

CREATE TABLE crm_plan (
    node_key ${key} NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    period_type VARCHAR(16) NOT NULL,
    label ${text} NOT NULL,
    currency CHAR(3) NOT NULL,
    target ${decimal} NOT NULL,
    target_scale INTEGER NOT NULL,
    target_minor BIGINT,
    PRIMARY KEY (node_key, period_start, period_end)
);
