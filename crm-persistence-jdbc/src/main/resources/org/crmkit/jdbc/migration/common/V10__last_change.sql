-- crmkit schema, version 10: the instant of each opportunity's latest change of a tracked value
-- (its last crm_opp_change other than a HISTORY_START, which changes no value), written with
-- every row. A funnel as of a past instant reconstructs from the field history exactly the deals
-- changed after that instant (found through the index) and counts every other deal from its
-- row, whose values are those of then. NULL: no tracked value has changed.
-- history_start_(s, n): the instant of the opportunity's HISTORY_START when it is after the
-- creation (stored before the store kept field history, V9), NULL when its history goes back to
-- its creation: a funnel as of an earlier instant says how many of its deals count with their
-- values at that start.
ALTER TABLE crm_opportunity ADD COLUMN last_change_s BIGINT;
ALTER TABLE crm_opportunity ADD COLUMN last_change_n INTEGER;
UPDATE crm_opportunity SET
    last_change_s = (SELECT c.at_s FROM crm_opp_change c WHERE c.opp_id = crm_opportunity.id
        AND c.pos = (SELECT MAX(x.pos) FROM crm_opp_change x WHERE x.opp_id = crm_opportunity.id
            AND x.field <> 'HISTORY_START')),
    last_change_n = (SELECT c.at_n FROM crm_opp_change c WHERE c.opp_id = crm_opportunity.id
        AND c.pos = (SELECT MAX(x.pos) FROM crm_opp_change x WHERE x.opp_id = crm_opportunity.id
            AND x.field <> 'HISTORY_START'))
WHERE EXISTS (SELECT 1 FROM crm_opp_change c WHERE c.opp_id = crm_opportunity.id AND c.field <> 'HISTORY_START');
CREATE INDEX crm_opportunity_last_change ON crm_opportunity (last_change_s);
ALTER TABLE crm_opportunity ADD COLUMN history_start_s BIGINT;
ALTER TABLE crm_opportunity ADD COLUMN history_start_n INTEGER;
UPDATE crm_opportunity SET
    history_start_s = (SELECT c.at_s FROM crm_opp_change c WHERE c.opp_id = crm_opportunity.id AND c.pos = 0
        AND c.field = 'HISTORY_START'),
    history_start_n = (SELECT c.at_n FROM crm_opp_change c WHERE c.opp_id = crm_opportunity.id AND c.pos = 0
        AND c.field = 'HISTORY_START')
WHERE EXISTS (SELECT 1 FROM crm_opp_change c WHERE c.opp_id = crm_opportunity.id AND c.pos = 0
    AND c.field = 'HISTORY_START' AND (c.at_s > crm_opportunity.created_s
        OR (c.at_s = crm_opportunity.created_s AND c.at_n > crm_opportunity.created_n)));
CREATE INDEX crm_opportunity_history_start ON crm_opportunity (history_start_s);
