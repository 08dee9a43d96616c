-- crmkit schema, version 2: derived columns for the funnel's cell queries.
-- last_transition_(s, n): the instant of the opportunity's last stage transition. When it
-- is before a query's instant, the state as of that instant is the current state already on
-- the row (stage_index, entered_mask), so the transition table need not be replayed.
-- next_(s, n): the instant of the transition that follows (NULL for the current stage), so
-- the time spent in a stage is read from one row instead of a self-join.

ALTER TABLE crm_opportunity ADD COLUMN last_transition_s BIGINT;
ALTER TABLE crm_opportunity ADD COLUMN last_transition_n INTEGER;
ALTER TABLE crm_opp_transition ADD COLUMN next_s BIGINT;
ALTER TABLE crm_opp_transition ADD COLUMN next_n INTEGER;

UPDATE crm_opp_transition t SET
    next_s = (SELECT x.at_s FROM crm_opp_transition x WHERE x.opp_id = t.opp_id AND x.pos = t.pos + 1),
    next_n = (SELECT x.at_n FROM crm_opp_transition x WHERE x.opp_id = t.opp_id AND x.pos = t.pos + 1);

UPDATE crm_opportunity o SET
    last_transition_s = (SELECT x.at_s FROM crm_opp_transition x WHERE x.opp_id = o.id
        AND x.pos = (SELECT MAX(m.pos) FROM crm_opp_transition m WHERE m.opp_id = o.id)),
    last_transition_n = (SELECT x.at_n FROM crm_opp_transition x WHERE x.opp_id = o.id
        AND x.pos = (SELECT MAX(m.pos) FROM crm_opp_transition m WHERE m.opp_id = o.id));

-- the opportunities a cell query must replay are those with a transition at or after its
-- instant: few for the usual "as of now" funnel, found through this index
CREATE INDEX crm_opportunity_last_transition ON crm_opportunity (last_transition_s);
CREATE INDEX crm_opportunity_process_owner ON crm_opportunity (process_id, owner_id);
