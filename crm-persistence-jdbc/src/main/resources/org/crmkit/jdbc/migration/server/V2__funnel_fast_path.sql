-- crmkit schema, version 2: derived columns for the funnel's cell queries.
-- last_transition_(s, n): the instant of the opportunity's last stage transition. When it
-- is before a query's instant, the state as of that instant is the current state already on
-- the row (stage_index, entered_mask), so the transition table need not be replayed.
-- next_(s, n): the instant of the transition that follows (NULL for the current stage), so
-- the time spent in a stage is read from one row instead of a self-join.
-- stage_total_s: on the row of the last visit of a stage that was left (next not NULL), the
-- seconds of all the opportunity's left visits to that stage; NULL on every other row. An
-- opportunity with no transition at or after a query's instant has its time in each stage
-- on these rows, without grouping per opportunity.

ALTER TABLE crm_opportunity ADD COLUMN last_transition_s BIGINT;
ALTER TABLE crm_opportunity ADD COLUMN last_transition_n INTEGER;
ALTER TABLE crm_opp_transition ADD COLUMN next_s BIGINT;
ALTER TABLE crm_opp_transition ADD COLUMN next_n INTEGER;
ALTER TABLE crm_opp_transition ADD COLUMN stage_total_s BIGINT;

UPDATE crm_opp_transition t SET
    next_s = (SELECT x.at_s FROM crm_opp_transition x WHERE x.opp_id = t.opp_id AND x.pos = t.pos + 1),
    next_n = (SELECT x.at_n FROM crm_opp_transition x WHERE x.opp_id = t.opp_id AND x.pos = t.pos + 1);

UPDATE crm_opp_transition t SET
    stage_total_s = (SELECT SUM(y.next_s - y.at_s) FROM crm_opp_transition y
        WHERE y.opp_id = t.opp_id AND y.to_index = t.to_index AND y.next_s IS NOT NULL)
    WHERE t.next_s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM crm_opp_transition z
        WHERE z.opp_id = t.opp_id AND z.to_index = t.to_index AND z.pos > t.pos AND z.next_s IS NOT NULL);

UPDATE crm_opportunity o SET
    last_transition_s = (SELECT x.at_s FROM crm_opp_transition x WHERE x.opp_id = o.id
        AND x.pos = (SELECT MAX(m.pos) FROM crm_opp_transition m WHERE m.opp_id = o.id)),
    last_transition_n = (SELECT x.at_n FROM crm_opp_transition x WHERE x.opp_id = o.id
        AND x.pos = (SELECT MAX(m.pos) FROM crm_opp_transition m WHERE m.opp_id = o.id));

-- the opportunities a cell query must replay are those with a transition at or after its
-- instant: few for the usual "as of now" funnel, found through this index
CREATE INDEX crm_opportunity_last_transition ON crm_opportunity (last_transition_s);
CREATE INDEX crm_opportunity_process_owner ON crm_opportunity (process_id, owner_id);
