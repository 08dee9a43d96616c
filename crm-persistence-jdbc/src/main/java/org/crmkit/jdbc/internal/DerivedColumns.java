package org.crmkit.jdbc.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.StageReplay;
import org.crmkit.core.Stage;

/**
 * The columns the store derives from an opportunity's stage history and its process when it
 * writes it, so the funnel's aggregate queries read the end state from the row instead of
 * replaying the history: the state after every transition ({@link StageReplay} as of the end of
 * time, the one definition of that state), the time spent in each of the first
 * {@link #STAGE_TIME_COLUMNS} open stages, each transition's stage index and mask bit, and the
 * fingerprint of the process definition they were computed with ({@link #fingerprint}), so a
 * query can tell derived columns of another definition of the process (stages reordered since)
 * from current ones.
 *
 * @param stageIndex the process index of the current stage
 * @param furthestOpenIndex the furthest open stage entered, -1 when none
 * @param enteredMask the open stages entered
 * @param stageSeconds the seconds of the finished visits of open stages {@code 0 ..
 *     STAGE_TIME_COLUMNS - 1}, null where a stage has no finished visit
 * @param toIndex per transition, the process index of the stage it entered
 * @param toBit per transition, its bit in the entered mask (0 for WON and LOST)
 * @param fingerprint the fingerprint of the process definition
 */
record DerivedColumns(int stageIndex, int furthestOpenIndex, long enteredMask, Long[] stageSeconds, int[] toIndex,
        long[] toBit, long fingerprint) {
    /** How many open stages have a time-in-stage column ({@code stage_s_0 ..}); wider processes are aggregated in Java. */
    static final int STAGE_TIME_COLUMNS = 12;

    /**
     * Derives the columns of an opportunity.
     *
     * @param process its process
     * @param stageCodes the stage each transition entered, in order
     * @param ats when each transition happened
     * @return the derived columns
     * @throws org.crmkit.core.ValidationException when a stage is unknown to the process
     */
    static DerivedColumns of(SalesProcess process, List<String> stageCodes, List<Instant> ats) {
        int open = process.openStageCount();
        StageReplay r = new StageReplay(open, Instant.MAX);
        int[] toIndex = new int[stageCodes.size()];
        long[] toBit = new long[stageCodes.size()];
        for (int i = 0; i < toIndex.length; i++) {
            toIndex[i] = process.indexOf(stageCodes.get(i));
            toBit[i] = toIndex[i] < open ? 1L << toIndex[i] : 0L;
            r.offer(toIndex[i], StageReplay.nanos(ats.get(i)));
        }
        Long[] seconds = new Long[STAGE_TIME_COLUMNS];
        for (int s = 0; s < Math.min(open, STAGE_TIME_COLUMNS); s++) {
            if ((r.visitedMask() & (1L << s)) != 0) {
                seconds[s] = r.secondsIn(s);
            }
        }
        return new DerivedColumns(r.stage(), r.furthestOpenStage(), r.enteredMask(), seconds, toIndex, toBit,
                fingerprint(process));
    }

    /**
     * The fingerprint of a process definition as far as derived columns depend on it: its stage
     * codes in order (the stage indexes and masks follow from the order). 64 bits of SHA-256.
     *
     * @param process the process
     * @return the fingerprint
     */
    static long fingerprint(SalesProcess process) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Stage s : process.stages()) {
                sha.update(s.code().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            byte[] d = sha.digest();
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (d[i] & 0xFF);
            }
            return h;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}
