package org.crmkit.funnel.internal;

/**
 * The end state of every row: the stage, the entered and visited open stages, the seconds
 * of each finished visit and the cycle length, as they stand after the row's last
 * transition. A query whose instant is after a row's last transition (the usual "as of
 * now", and most of the history) reads these instead of replaying the row, so the replay
 * runs once per row, not once per query. One instance per store, shared by its processes
 * (each row belongs to one process, read with that process's stage order); derived lazily,
 * per owner and process, by the first scan that reads those rows ({@link #ensure}), so a
 * first query of one small unit does not pay for the whole store. Until derived a row
 * reads as "replay" ({@code -1}).
 *
 * <p>Only for processes of at most {@link #MAX_OPEN_STAGES} open stages (the packed form);
 * larger processes are always replayed, and so is a row with a duration beyond
 * {@code Integer.MAX_VALUE} seconds (68 years), so the int columns stay exact. Costs 8
 * bytes per opportunity plus 8 per stage transition.
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

    /** Per (owner, process) code: 1 once derived (the volatile write publishes the rows). */
    private final java.util.concurrent.atomic.AtomicIntegerArray derived;
    private final int processes;
    private final Object[] locks = new Object[64];

    /**
     * Room for the end states of a store's rows, none derived yet.
     *
     * @param rows the rows of the store
     * @param transitions the transitions of the store
     * @param owners the owner codes of the store
     * @param processes the process codes of the store
     */
    FinalStates(int rows, int transitions, int owners, int processes) {
        this.packed = new int[rows];
        java.util.Arrays.fill(packed, -1);
        this.visitSeconds = new int[transitions];
        this.visitDays = new int[transitions];
        this.cycleSeconds = new int[rows];
        this.processes = Math.max(1, processes);
        this.derived = new java.util.concurrent.atomic.AtomicIntegerArray(Math.max(1, owners) * this.processes);
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /**
     * Derives an owner's rows of a process unless done; a reader of those rows calls this
     * first, so it sees them complete.
     *
     * @param owner the owner code
     * @param process the process code
     * @param derive fills the owner's rows of the process
     */
    void ensure(int owner, int process, java.util.function.IntConsumer derive) {
        int slot = owner * processes + process;
        if (derived.get(slot) == 1) {
            return;
        }
        synchronized (locks[slot & (locks.length - 1)]) {
            if (derived.get(slot) == 0) {
                derive.accept(owner);
                derived.set(slot, 1);
            }
        }
    }
}
