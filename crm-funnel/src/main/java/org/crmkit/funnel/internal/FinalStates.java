package org.crmkit.funnel.internal;

/**
 * The end state of every row of one process: the stage, the entered and visited open
 * stages, the seconds of each finished visit and the cycle length, as they stand after the
 * row's last transition. A query whose instant is after a row's last transition (the usual
 * "as of now", and most of the history) reads these instead of replaying the row, so the
 * replay runs once per process and columns, not once per query. Derived lazily by the first
 * scan of the process ({@link ColumnStore#finalStates}); immutable.
 *
 * <p>Only for processes of at most {@link #MAX_OPEN_STAGES} open stages (the packed form);
 * larger processes are always replayed, and so is a row with a duration beyond
 * {@code Integer.MAX_VALUE} seconds (68 years), so the int columns stay exact. Costs about
 * 16 bytes per opportunity plus 8 per stage transition.
 */
final class FinalStates {
    /** The most open stages the packed form holds. */
    static final int MAX_OPEN_STAGES = 12;
    /** Bits of the stage index in {@link #packed}. */
    static final int STAGE_MASK = 0xF;
    /** Shift of the entered-stage mask in {@link #packed}. */
    static final int MASK_SHIFT = 4;
    /** Shift of the visited-stage mask in {@link #packed}. */
    static final int VISITED_SHIFT = 16;
    /** Bits of a stage mask. */
    static final int BITS_MASK = (1 << MAX_OPEN_STAGES) - 1;

    /** Per row: stage | entered mask &lt;&lt; 4 | visited mask &lt;&lt; 16, or -1 to replay the row. */
    final int[] packed;
    /**
     * Per transition slot: the row's seconds in its {@code k}-th visited stage (in stage
     * order) at {@code transitionStart[row] + k}.
     */
    final int[] visitSeconds;
    /** {@link #visitSeconds} in whole days (truncated), for the day histograms. */
    final int[] visitDays;
    /** Per row: seconds from creation to the closing transition, -1 when open. */
    final int[] cycleSeconds;

    FinalStates(int[] packed, int[] visitSeconds, int[] visitDays, int[] cycleSeconds) {
        this.packed = packed;
        this.visitSeconds = visitSeconds;
        this.visitDays = visitDays;
        this.cycleSeconds = cycleSeconds;
    }
}
