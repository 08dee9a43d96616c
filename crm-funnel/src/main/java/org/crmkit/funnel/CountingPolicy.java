package org.crmkit.funnel;

/**
 * How "reached stage s" is counted. The default, {@link #LINEAR}, is the one of DESIGN.md.
 */
public enum CountingPolicy {
    /**
     * An opportunity reached stage {@code s} when its furthest open stage ever (by process
     * order) is at or beyond {@code s}: skipped stages count as passed; a won one reached
     * every open stage; a lost one reached the stages up to the furthest before it was lost;
     * moving backward never un-reaches.
     */
    LINEAR,
    /** An opportunity reached stage {@code s} only when it actually entered {@code s}. */
    STRICT;

    /**
     * The mask of open stages reached under this policy.
     *
     * @param enteredMask the open stages actually entered (bit {@code i} for stage {@code i})
     * @param won whether the opportunity is won
     * @param openStages the number of open stages of the process
     * @return the mask of reached open stages
     */
    public long reachedMask(long enteredMask, boolean won, int openStages) {
        if (this == STRICT) {
            return enteredMask;
        }
        if (won) {
            return (1L << openStages) - 1;
        }
        int furthest = 63 - Long.numberOfLeadingZeros(enteredMask);
        return furthest < 0 ? 0 : (1L << (furthest + 1)) - 1;
    }
}
