package org.crmkit.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The state of an opportunity as of an instant, replayed from its stage transitions: the one
 * definition of that state in crmkit. The funnel's in-memory columns, the JDBC store's derived
 * columns (and the SQL tested against them), the reference aggregation of the funnel,
 * {@link Opportunity#stageAt} and {@link StageHistory} all replay with this class, so they
 * cannot disagree on what "as of" means.
 *
 * <h2>Convention</h2>
 * A transition is <em>in effect</em> as of an instant {@code t} when it happened at or before
 * {@code t} ({@code at <= t}, inclusive, to the nanosecond). The state as of {@code t} is the
 * result of the transitions in effect, in their stored (time) order:
 * <ul>
 *   <li><b>stage</b>: the process index of the stage the last transition in effect entered
 *       ({@link SalesProcess#indexOf}: open stages {@code 0 .. n-1}, then WON {@code n} and LOST
 *       {@code n + 1}); {@code -1} when no transition is in effect (the opportunity did not
 *       exist yet);</li>
 *   <li><b>entered mask</b>: bit {@code i} for every open stage {@code i} entered by a
 *       transition in effect; its highest bit is the furthest open stage;</li>
 *   <li><b>finished visits</b>: for every pair of consecutive transitions {@code (a, b)} in
 *       effect where {@code a} entered open stage {@code s}, the opportunity spent
 *       {@code epochSecond(b.at) − epochSecond(a.at)} seconds in {@code s}; the seconds of one
 *       stage are summed over its visits, and the last (current) visit is not finished;</li>
 *   <li><b>cycle</b>: for a stage of WON or LOST, {@code max(0, epochSecond(last.at) −
 *       epochSecond(createdAt))} seconds;</li>
 *   <li>with a <b>window</b> start {@code w}: the <em>prior</em> stage and entered mask are the
 *       same values over the transitions before {@code w} ({@code at < w}), and the replay
 *       records whether a transition in effect happened inside {@code [w, t]}.</li>
 * </ul>
 *
 * <h2>Use</h2>
 * One replay is configured per question (the process's number of open stages, the as-of
 * instant, an optional window) and reused for every opportunity: {@link #start()}, then
 * {@link #offer} each transition in order until it returns false. The instants are epoch
 * nanoseconds (exact for every instant a store holds, see {@link StoreLimits}). Not
 * thread-safe: one replay per thread.
 */
public final class StageReplay {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int openStages;
    private final long asOfNanos;
    private final long windowNanos;
    private final boolean window;
    private final long[] secondsIn;

    private int stage;
    private long entered;
    private long visited;
    private long enteredAtNanos;
    private int priorStage;
    private long priorEntered;
    private boolean changedInWindow;
    private int inEffect;

    /**
     * A replay to an instant, without a window.
     *
     * @param openStages the number of open stages of the process (at most
     *     {@link SalesProcess#MAX_OPEN_STAGES})
     * @param asOf the instant, inclusive; any instant (beyond the store's range it saturates)
     * @throws ValidationException when {@code openStages} is out of range
     */
    public StageReplay(int openStages, Instant asOf) {
        this(openStages, asOf, null);
    }

    /**
     * A replay to an instant with an activity window.
     *
     * @param openStages the number of open stages of the process
     * @param asOf the instant, inclusive
     * @param windowFrom the start of the window (inclusive), or null for none
     * @throws ValidationException when {@code openStages} is out of range or the window starts
     *     after {@code asOf}
     */
    public StageReplay(int openStages, Instant asOf, Instant windowFrom) {
        ValidationException.require(openStages >= 1 && openStages <= SalesProcess.MAX_OPEN_STAGES, "openStages",
                openStages, "between 1 and " + SalesProcess.MAX_OPEN_STAGES);
        Objects.requireNonNull(asOf, "asOf");
        ValidationException.require(windowFrom == null || !windowFrom.isAfter(asOf), "windowFrom", windowFrom,
                "an instant not after asOf " + asOf);
        this.openStages = openStages;
        this.asOfNanos = saturatedNanos(asOf);
        this.window = windowFrom != null;
        this.windowNanos = window ? saturatedNanos(windowFrom) : Long.MIN_VALUE;
        this.secondsIn = new long[openStages];
        start();
    }

    /**
     * Replays an opportunity against its process (convenience for object paths).
     *
     * @param opp the opportunity
     * @param process its process
     * @param asOf the instant, inclusive
     * @return the replay holding the opportunity's state as of {@code asOf}
     * @throws ValidationException when a stage in the history is unknown to the process
     */
    public static StageReplay of(Opportunity opp, SalesProcess process, Instant asOf) {
        StageReplay r = new StageReplay(process.openStageCount(), asOf);
        r.replay(opp, process);
        return r;
    }

    /**
     * Whether a transition at {@code at} is in effect as of {@code asOf}: the one convention
     * ({@code at <= asOf}).
     *
     * @param at when the transition happened
     * @param asOf the instant of the state
     * @return true when the transition counts for the state as of {@code asOf}
     */
    public static boolean inEffect(Instant at, Instant asOf) {
        return !at.isAfter(asOf);
    }

    /**
     * Epoch nanoseconds of an instant a store holds.
     *
     * @param instant the instant
     * @return the nanoseconds since the epoch
     * @throws ValidationException when the instant is outside the years 1678–2261
     */
    public static long nanos(Instant instant) {
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
        } catch (ArithmeticException e) {
            throw new ValidationException("instant", instant, "an instant between the years 1678 and 2261");
        }
    }

    /**
     * Epoch nanoseconds of any instant, saturated at the range of {@code long} (for query
     * instants, which may lie anywhere).
     *
     * @param instant the instant
     * @return the nanoseconds, or {@code Long.MIN_VALUE} / {@code Long.MAX_VALUE} beyond the range
     */
    public static long saturatedNanos(Instant instant) {
        long sec = instant.getEpochSecond();
        if (sec >= Long.MAX_VALUE / NANOS_PER_SECOND) {
            return Long.MAX_VALUE;
        }
        if (sec <= Long.MIN_VALUE / NANOS_PER_SECOND) {
            return Long.MIN_VALUE;
        }
        return sec * NANOS_PER_SECOND + instant.getNano();
    }

    /**
     * The epoch second of an instant given in epoch nanoseconds (floor).
     *
     * @param nanos epoch nanoseconds
     * @return the epoch second
     */
    public static long epochSecond(long nanos) {
        return Math.floorDiv(nanos, NANOS_PER_SECOND);
    }

    /** Forgets the previous opportunity: the state of one with no transition yet. */
    public void start() {
        stage = -1;
        entered = 0;
        visited = 0;
        enteredAtNanos = 0;
        priorStage = -1;
        priorEntered = 0;
        changedInWindow = false;
        inEffect = 0;
    }

    /**
     * Offers the next transition of the opportunity, in stored order.
     *
     * @param stageIndex the process index of the stage it entered
     * @param atNanos when it happened, epoch nanoseconds
     * @return true when it was in effect and applied; false when it happened after the
     *     as-of instant (the caller stops: every later transition is later still)
     * @throws ValidationException when {@code stageIndex} is not a stage of the process
     */
    public boolean offer(int stageIndex, long atNanos) {
        if (atNanos > asOfNanos) {
            return false;
        }
        if (stageIndex < 0 || stageIndex > openStages + 1) {
            throw new ValidationException("stageIndex", stageIndex, "a stage index in [0, " + (openStages + 2) + ")");
        }
        if (stage >= 0 && stage < openStages) {
            long secs = epochSecond(atNanos) - epochSecond(enteredAtNanos);
            if ((visited & (1L << stage)) == 0) {
                visited |= 1L << stage;
                secondsIn[stage] = secs;
            } else {
                secondsIn[stage] = Math.addExact(secondsIn[stage], secs);
            }
        }
        stage = stageIndex;
        enteredAtNanos = atNanos;
        if (stageIndex < openStages) {
            entered |= 1L << stageIndex;
        }
        if (window) {
            if (atNanos < windowNanos) {
                priorStage = stageIndex;
                priorEntered = entered;
            } else {
                changedInWindow = true;
            }
        }
        inEffect++;
        return true;
    }

    /**
     * Replays a whole opportunity (after {@link #start()}).
     *
     * @param opp the opportunity
     * @param process its process
     * @return this replay
     * @throws ValidationException when a stage in the history is unknown to the process
     */
    public StageReplay replay(Opportunity opp, SalesProcess process) {
        start();
        List<StageTransition> ts = opp.transitions();
        for (StageTransition t : ts) {
            if (!offer(process.indexOf(t.to()), nanos(t.at()))) {
                break;
            }
        }
        return this;
    }

    /**
     * The number of open stages of the process replayed against.
     *
     * @return the count
     */
    public int openStages() {
        return openStages;
    }

    /**
     * The stage as of the instant.
     *
     * @return its process index, {@code -1} when no transition is in effect
     */
    public int stage() {
        return stage;
    }

    /**
     * The status as of the instant.
     *
     * @return WON, LOST or OPEN
     * @throws IllegalStateException when no transition is in effect
     */
    public OpportunityStatus status() {
        if (stage < 0) {
            throw new IllegalStateException("no transition in effect");
        }
        return stage == openStages ? OpportunityStatus.WON
                : stage == openStages + 1 ? OpportunityStatus.LOST : OpportunityStatus.OPEN;
    }

    /**
     * Whether the stage as of the instant is WON or LOST.
     *
     * @return true when closed
     */
    public boolean isClosed() {
        return stage >= openStages;
    }

    /**
     * The open stages entered by the transitions in effect.
     *
     * @return bit {@code i} for open stage {@code i}
     */
    public long enteredMask() {
        return entered;
    }

    /**
     * The furthest open stage entered.
     *
     * @return its index, {@code -1} when none
     */
    public int furthestOpenStage() {
        return 63 - Long.numberOfLeadingZeros(entered);
    }

    /**
     * The open stages with at least one finished visit.
     *
     * @return bit {@code i} for open stage {@code i}
     */
    public long visitedMask() {
        return visited;
    }

    /**
     * The seconds of the finished visits of an open stage.
     *
     * @param openStage the open stage index
     * @return the summed seconds, 0 when the stage has no finished visit
     */
    public long secondsIn(int openStage) {
        return (visited & (1L << openStage)) == 0 ? 0 : secondsIn[openStage];
    }

    /**
     * When the last transition in effect happened.
     *
     * @return epoch nanoseconds (meaningless when no transition is in effect)
     */
    public long lastAtNanos() {
        return enteredAtNanos;
    }

    /**
     * When the last transition in effect happened.
     *
     * @return the instant (meaningless when no transition is in effect)
     */
    public Instant lastAt() {
        return Instant.ofEpochSecond(epochSecond(enteredAtNanos), Math.floorMod(enteredAtNanos, NANOS_PER_SECOND));
    }

    /**
     * How many transitions are in effect.
     *
     * @return the count
     */
    public int transitionsInEffect() {
        return inEffect;
    }

    /**
     * The creation-to-close duration, when closed as of the instant.
     *
     * @param createdNanos the creation instant, epoch nanoseconds
     * @return {@code max(0, epochSecond(last transition) − epochSecond(created))}, or {@code -1}
     *     when not closed
     */
    public long cycleSeconds(long createdNanos) {
        return isClosed() ? Math.max(0, epochSecond(enteredAtNanos) - epochSecond(createdNanos)) : -1;
    }

    /**
     * The stage just before the window opened.
     *
     * @return its index, {@code -1} when there is no window or no transition before it
     */
    public int priorStage() {
        return priorStage;
    }

    /**
     * The open stages entered before the window opened.
     *
     * @return the mask, 0 without a window
     */
    public long priorEnteredMask() {
        return priorEntered;
    }

    /**
     * Whether a transition in effect happened inside the window.
     *
     * @return true when it did; false without a window
     */
    public boolean changedInWindow() {
        return changedInWindow;
    }

    /**
     * Whether the last transition in effect happened inside the window: for a closed state,
     * the opportunity was won or lost during the window (also after a reopen).
     *
     * @return true when it did; false without a window
     */
    public boolean lastInWindow() {
        return window && stage >= 0 && enteredAtNanos >= windowNanos;
    }
}
