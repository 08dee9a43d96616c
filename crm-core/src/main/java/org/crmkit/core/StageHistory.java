package org.crmkit.core;

import java.time.Instant;

/**
 * Reads an opportunity's stage history against its process: which open stages it entered
 * and how far it got. These are the raw facts the funnel's counting policies build on, read
 * with the one replay of {@link StageReplay} (transitions at or before the instant count).
 */
public final class StageHistory {
    private StageHistory() {
    }

    /**
     * The open stages the opportunity actually entered, as a bit set: bit {@code i} is set
     * when open stage {@code i} (by {@link SalesProcess#indexOf}) was entered at least once.
     *
     * @param opp the opportunity
     * @param process its process
     * @return the bit mask of entered open stages
     * @throws ValidationException when a stage in the history is unknown
     */
    public static long enteredOpenStages(Opportunity opp, SalesProcess process) {
        return enteredOpenStages(opp, process, Instant.MAX);
    }

    /**
     * The open stages entered up to and including an instant.
     *
     * @param opp the opportunity
     * @param process its process
     * @param asOf the instant
     * @return the bit mask of open stages entered at or before {@code asOf}
     */
    public static long enteredOpenStages(Opportunity opp, SalesProcess process, Instant asOf) {
        return StageReplay.of(opp, process, asOf).enteredMask();
    }

    /**
     * The furthest open stage ever entered, by process order; moving backward never lowers
     * it. A won opportunity's furthest open stage is the one it was won from (the funnel
     * counts a won opportunity as having reached every open stage, a policy of its own).
     *
     * @param opp the opportunity
     * @param process its process
     * @return the index of the furthest open stage entered, or -1 when the opportunity never
     *     entered an open stage (which a valid opportunity always has: a closed one needs a
     *     closing transition from an open stage)
     */
    public static int furthestOpenStage(Opportunity opp, SalesProcess process) {
        return 63 - Long.numberOfLeadingZeros(enteredOpenStages(opp, process));
    }
}
