package org.crmkit.forecast;

/**
 * How a deal's part of a node's pipeline for a period changed between two instants: the steps
 * of a {@link PipelineWaterfall}. The <em>pipeline</em> of a node for a period at an instant is
 * every deal open then, owned then by a member of the node, with an expected close date (of
 * then) in the period, at its forecast value of then in the reporting currency.
 *
 * <p>Each deal in the opening or the closing pipeline has exactly one primary step: the first
 * of this enum's order that applies (the order is the precedence). A deal also carries every
 * other step that applies ({@link PipelineChange#kinds()}): a deal pushed out of the period
 * and handed to another team is MOVED_OUT, and REASSIGNED_OUT too; one whose amount grew while
 * it was pushed within the period is AMOUNT_UP, and PUSHED too.
 * <ol>
 *   <li>Left the pipeline (in the opening pipeline, not the closing): {@link #WON},
 *       {@link #LOST}, {@link #MOVED_OUT}, {@link #REASSIGNED_OUT}.</li>
 *   <li>Entered it (in the closing, not the opening): {@link #NEW}, {@link #REOPENED},
 *       {@link #MOVED_IN}, {@link #REASSIGNED_IN}.</li>
 *   <li>Stayed (in both): {@link #AMOUNT_UP}, {@link #AMOUNT_DOWN} (the only steps of a
 *       staying deal that move the total), then {@link #PUSHED}, {@link #PULLED},
 *       {@link #STAGE_FORWARD}, {@link #STAGE_BACKWARD}, {@link #CATEGORY_UP},
 *       {@link #CATEGORY_DOWN}, and {@link #UNCHANGED} when none applies.</li>
 * </ol>
 */
public enum PipelineStep {
    /** Won since: leaves with its opening value. */
    WON,
    /** Lost since. */
    LOST,
    /**
     * Its close date moved out of the period (pushed beyond its end, however far: there is no
     * horizon, or pulled before its start).
     */
    MOVED_OUT,
    /** Handed to an owner outside the node. */
    REASSIGNED_OUT,
    /** Created since. */
    NEW,
    /** Closed at the opening, open again now. */
    REOPENED,
    /** Its close date moved into the period. */
    MOVED_IN,
    /** Handed to an owner inside the node from one outside. */
    REASSIGNED_IN,
    /** Its value grew. */
    AMOUNT_UP,
    /** Its value shrank. */
    AMOUNT_DOWN,
    /** Its close date moved later, within the period. */
    PUSHED,
    /** Its close date moved earlier, within the period. */
    PULLED,
    /** It moved to a later stage of its process. */
    STAGE_FORWARD,
    /** It moved back to an earlier stage. */
    STAGE_BACKWARD,
    /** Its forecast category rose (toward COMMIT). */
    CATEGORY_UP,
    /** Its forecast category fell (toward OMITTED). */
    CATEGORY_DOWN,
    /** In both pipelines with nothing above changed. */
    UNCHANGED;

    /**
     * Whether this step is one of a deal that left the pipeline.
     *
     * @return true for WON, LOST, MOVED_OUT and REASSIGNED_OUT
     */
    public boolean leaves() {
        return ordinal() <= REASSIGNED_OUT.ordinal();
    }

    /**
     * Whether this step is one of a deal that entered the pipeline.
     *
     * @return true for NEW, REOPENED, MOVED_IN and REASSIGNED_IN
     */
    public boolean enters() {
        return ordinal() >= NEW.ordinal() && ordinal() <= REASSIGNED_IN.ordinal();
    }
}
