-- crmkit schema, version 3: the time an opportunity spent in each open stage, on its row.
-- stage_seconds: for each open stage the opportunity left at least once, "index:seconds"
-- with the seconds of all its left visits of that stage (the next transition's epoch second
-- minus the entering one's), entries separated by ','; NULL when it left no open stage. An
-- opportunity whose last transition is before a cell query's instant has exactly these times
-- in stage as of that instant, so the funnel reads them from the row it already scans
-- instead of joining the transition table.

ALTER TABLE crm_opportunity ADD COLUMN stage_seconds ${text};

-- to_bit is not 0 exactly for the open stages; stage_total_s sits on the last left visit
UPDATE crm_opportunity o SET stage_seconds = (
    SELECT STRING_AGG(CAST(t.to_index AS VARCHAR(11)) || ':' || CAST(t.stage_total_s AS VARCHAR(20)), ',')
    FROM crm_opp_transition t WHERE t.opp_id = o.id AND t.stage_total_s IS NOT NULL AND t.to_bit <> 0);
