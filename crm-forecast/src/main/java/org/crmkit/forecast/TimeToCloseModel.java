package org.crmkit.forecast;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.crmkit.core.ManagerId;
import org.crmkit.core.NotFoundException;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.ProcessId;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.StageTransition;
import org.crmkit.core.UnitId;
import org.crmkit.core.ValidationException;
import org.crmkit.forecast.internal.CumulativeIncidence;
import org.crmkit.forecast.spi.ProbabilityModel;

/**
 * The measured timing model: from the stage history, how long deals take from entering each
 * stage to being won or lost, and so when an open deal is likely to close, independent of the
 * close dates the managers type in.
 *
 * <p><b>Data.</b> Every entry into an open stage (each visit, also a return after a backward
 * move) is an <em>episode</em> of that stage. It ends on the day of the deal's next closing
 * transition, as WON or LOST; a deal still open at the model's as-of instant is
 * <em>censored</em> there. Only what was known at the as-of instant is read: later transitions
 * are ignored, so a model "as of" a past month start sees exactly the history of that day
 * (backtests rely on it). Durations are whole days between the calendar dates, in the model's
 * zone, of the entry and the outcome, capped at {@value #MAX_DAYS} days.
 *
 * <p><b>Estimator.</b> Per stage and pool, the Aalen–Johansen estimator of the two competing
 * outcomes: the overall survival S(d) = P(still open after d days) is Kaplan–Meier with both
 * outcomes as events, and the cumulative incidence of winning is CIF<sub>won</sub>(d) =
 * Σ<sub>u≤d</sub> S(u−1)·won(u)/atRisk(u) (losing likewise). Unlike 1 − Kaplan–Meier with
 * losses treated as censored, it does not overstate the chance of winning: CIF<sub>won</sub> +
 * CIF<sub>lost</sub> + S = 1 at every day. The mass still open after the longest observed
 * episode is <em>unresolved</em>: the data cannot place it, and results report it instead of
 * guessing.
 *
 * <p><b>An open deal</b> at stage s that entered it a days before the as-of date: given it is
 * still open, P(won on day d after entry) = [CIF<sub>won</sub>(d) − CIF<sub>won</sub>(d−1)] /
 * S(a−1) for d ≥ a. Summed over the days of a month this is P(won in that month) — which is
 * P(win) × P(closing in that month | won), the product the timing forecast needs, without
 * assuming the outcome independent of the timing. Moving on to another stage does not end an
 * episode; but a deal that has sat at its stage for a long time is less likely to close soon
 * than one that moved on, so the curves are also estimated per <em>landmark</em> (0, 7, 14, 30,
 * 60, 90, 180, 365 days at the stage): a deal a days at its stage is predicted from the
 * episodes that were still at that stage at the largest landmark ℓ ≤ a that rests on at least
 * {@value #MIN_LANDMARK_EPISODES} episodes (landmarking, van Houwelingen 2007), conditioned on
 * still being open a days after entry. When none of those closed, the deal's outcome is
 * unresolved: deals that sat that long have not been seen to close.
 *
 * <p><b>Pools and fallback.</b> By default one pool per process and stage (all owners). With
 * {@link Builder#byManager()} an owner's own history is used where it has at least
 * {@code minClosed} closed episodes of the stage; with {@link Builder#byUnits} the first listed
 * unit that holds the owner is tried next; then the process. A stage without any closed
 * episode in the process cannot be modelled: deals at it are reported as unmodelled.
 *
 * <p><b>As a {@link ProbabilityModel}</b> the model gives an open opportunity, at its current
 * stage and time in it as of the model's as-of date, the chance it is won among the outcomes
 * the data places (won / (won + lost) of the remaining incidence), in basis points; where it
 * cannot model the stage it asks its fallback (the stage default unless set). So the
 * close-date forecast can use measured probabilities beside its close-date bucketing.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class TimeToCloseModel implements ProbabilityModel {
    /** Durations are capped at this many days (ten years). */
    public static final int MAX_DAYS = 3_660;

    /**
     * Landmarks, in days spent at the stage: a deal still at its stage after a days is predicted
     * from the episodes that were still at the stage at the largest landmark not after a.
     */
    static final int[] LANDMARKS = {0, 7, 14, 30, 60, 90, 180, 365};
    /**
     * The fewest episodes (any outcome) a landmark curve needs; with fewer the next smaller
     * landmark is used. Closed ones are not required: when deals that sat this long at a stage
     * have not closed, that is what the data says, and the deal's mass stays unresolved.
     */
    static final int MIN_LANDMARK_EPISODES = 30;

    private static final int WON = 0;
    private static final int LOST = 1;
    private static final int CENSORED = 2;

    /**
     * A pool's curves per open stage (null where the pool has no episode), and per stage the
     * curves of each landmark (null where no episode was still at the stage by it).
     */
    static final class Pool {
        final String label;
        final CumulativeIncidence[] stages;
        final CumulativeIncidence[][] landmarks;

        Pool(String label, CumulativeIncidence[] stages, CumulativeIncidence[][] landmarks) {
            this.label = label;
            this.stages = stages;
            this.landmarks = landmarks;
        }

        /** The curve for a deal {@code age} days at the stage: the largest landmark with enough episodes. */
        CumulativeIncidence curve(int stage, int age) {
            CumulativeIncidence[] l = landmarks[stage];
            for (int k = LANDMARKS.length - 1; k > 0; k--) {
                CumulativeIncidence c = l[k];
                if (LANDMARKS[k] <= age && c != null && c.episodes() >= MIN_LANDMARK_EPISODES) {
                    return c;
                }
            }
            return stages[stage];
        }
    }

    /**
     * Episodes of one owner in one process, per open stage, packed as {@code length << 14 |
     * atStage << 2 | outcome}: days from entry to the outcome (or censoring), days the deal stayed
     * at the stage, and WON, LOST or CENSORED (both day counts fit 12 bits).
     */
    private static final class OwnerEpisodes {
        final int[][] packed;
        final int[] size;

        OwnerEpisodes(int stages) {
            packed = new int[stages][];
            size = new int[stages];
        }

        void add(int stage, int day, int atStage, int outcome) {
            int[] a = packed[stage];
            if (a == null) {
                a = packed[stage] = new int[4];
            } else if (size[stage] == a.length) {
                a = packed[stage] = Arrays.copyOf(a, a.length * 2);
            }
            a[size[stage]++] = day << 14 | atStage << 2 | outcome;
        }
    }

    private final Instant asOf;
    private final ZoneId zone;
    private final LocalDate asOfDate;
    private final Map<ProcessId, SalesProcess> processes;
    private final int minClosed;
    private final boolean byManager;
    private final OrgStructure org;
    private final List<UnitId> units;
    private final ProbabilityModel fallback;
    private final Map<ProcessId, Map<ManagerId, OwnerEpisodes>> episodes;
    private final Map<ProcessId, Pool> processPools;
    private final Map<ProcessId, Map<ManagerId, Pool>> managerPools;
    private final Map<ProcessId, Map<UnitId, Pool>> unitPools;
    private final Map<ProcessId, Map<ManagerId, Pool[]>> resolved = new ConcurrentHashMap<>();
    private final long journeys;

    private TimeToCloseModel(Builder b) {
        this.asOf = b.asOf;
        this.zone = b.zone;
        this.asOfDate = LocalDate.ofInstant(asOf, zone);
        this.processes = Map.copyOf(b.processes);
        this.minClosed = b.minClosed;
        this.byManager = b.byManager;
        this.org = b.org;
        this.units = b.units;
        this.fallback = b.fallback;
        this.episodes = b.episodes;
        this.journeys = b.journeys;
        Map<ProcessId, Pool> pp = new HashMap<>();
        Map<ProcessId, Map<ManagerId, Pool>> mp = new HashMap<>();
        Map<ProcessId, Map<UnitId, Pool>> up = new HashMap<>();
        for (SalesProcess p : processes.values()) {
            Map<ManagerId, OwnerEpisodes> owners = episodes.getOrDefault(p.id(), Map.of());
            pp.put(p.id(), pool("process", p, owners.values()));
            if (byManager) {
                Map<ManagerId, Pool> m = new HashMap<>();
                owners.forEach((id, e) -> m.put(id, pool(id.key(), p, List.of(e))));
                mp.put(p.id(), m);
            }
            if (org != null) {
                Map<UnitId, Pool> u = new HashMap<>();
                for (UnitId unit : units) {
                    List<OwnerEpisodes> members = new ArrayList<>();
                    for (ManagerId m : org.membersOf(unit)) {
                        OwnerEpisodes e = owners.get(m);
                        if (e != null) {
                            members.add(e);
                        }
                    }
                    u.put(unit, pool(unit.key(), p, members));
                }
                up.put(p.id(), u);
            }
        }
        this.processPools = Map.copyOf(pp);
        this.managerPools = Map.copyOf(mp);
        this.unitPools = Map.copyOf(up);
    }

    private static Pool pool(String label, SalesProcess process, Collection<OwnerEpisodes> members) {
        int stages = process.openStageCount();
        CumulativeIncidence[] out = new CumulativeIncidence[stages];
        CumulativeIncidence[][] marks = new CumulativeIncidence[stages][LANDMARKS.length];
        for (int s = 0; s < stages; s++) {
            int maxDay = -1;
            for (OwnerEpisodes e : members) {
                int[] a = e.packed[s];
                for (int i = 0; i < e.size[s]; i++) {
                    maxDay = Math.max(maxDay, a[i] >>> 14);
                }
            }
            if (maxDay < 0) {
                continue;
            }
            int[][][] h = new int[LANDMARKS.length][][];
            for (OwnerEpisodes e : members) {
                int[] a = e.packed[s];
                for (int i = 0; i < e.size[s]; i++) {
                    int v = a[i];
                    int day = v >>> 14;
                    int atStage = v >>> 2 & 0xfff;
                    int outcome = v & 3;
                    for (int k = 0; k < LANDMARKS.length && LANDMARKS[k] <= atStage; k++) {
                        if (h[k] == null) {
                            h[k] = new int[3][maxDay + 1];
                        }
                        h[k][outcome][day]++;
                    }
                }
            }
            for (int k = 0; k < LANDMARKS.length; k++) {
                // a landmark curve on fewer episodes is never asked (Pool.curve), so it is not kept
                if (h[k] != null && (k == 0 || count(h[k]) >= MIN_LANDMARK_EPISODES)) {
                    marks[s][k] = CumulativeIncidence.estimate(h[k][WON], h[k][LOST], h[k][CENSORED]);
                }
            }
            out[s] = marks[s][0];
        }
        return new Pool(label, out, marks);
    }

    private static long count(int[][] histograms) {
        long n = 0;
        for (int[] h : histograms) {
            for (int v : h) {
                n += v;
            }
        }
        return n;
    }

    /**
     * Starts a model.
     *
     * @param zone the zone whose calendar days durations are counted in
     * @param asOf the instant the history is read as of (later transitions are ignored)
     * @param processes the processes of the deals
     * @return a builder
     */
    public static Builder builder(ZoneId zone, Instant asOf, Collection<SalesProcess> processes) {
        return new Builder(zone, asOf, processes);
    }

    /**
     * Fits a model with one pool per process over opportunities.
     *
     * @param zone the zone whose calendar days durations are counted in
     * @param asOf the instant the history is read as of
     * @param processes the processes of the deals
     * @param opportunities the opportunities, any status
     * @return the model
     * @throws NotFoundException when an opportunity's process is not given
     */
    public static TimeToCloseModel fit(ZoneId zone, Instant asOf, Collection<SalesProcess> processes,
            Iterable<Opportunity> opportunities) {
        return builder(zone, asOf, processes).addAll(opportunities).build();
    }

    /**
     * The instant the history was read as of.
     *
     * @return the as-of instant
     */
    public Instant asOf() {
        return asOf;
    }

    /**
     * The as-of date in the model's zone: ages of open deals are counted to it.
     *
     * @return the date
     */
    public LocalDate asOfDate() {
        return asOfDate;
    }

    /**
     * The zone days are counted in.
     *
     * @return the zone
     */
    public ZoneId zone() {
        return zone;
    }

    /**
     * The fewest closed episodes a manager's or unit's pool needs to be used for a stage.
     *
     * @return the threshold
     */
    public int minClosed() {
        return minClosed;
    }

    /**
     * How many journeys (opportunities) were read.
     *
     * @return the count, those created after the as-of instant included
     */
    public long journeys() {
        return journeys;
    }

    /**
     * The process-wide timing of every open stage of a process.
     *
     * @param process the process id
     * @return one figure per open stage, in process order
     * @throws NotFoundException when the process is unknown
     */
    public List<StageTiming> timings(ProcessId process) {
        SalesProcess p = process(process);
        List<StageTiming> out = new ArrayList<>();
        for (int s = 0; s < p.openStageCount(); s++) {
            out.add(describe(p, s, processPools.get(process)));
        }
        return out;
    }

    /**
     * The timing that applies to an owner's deals at a stage: the owner's, a unit's or the
     * process pool, by the fallback rules.
     *
     * @param process the process id
     * @param stage the open stage code
     * @param owner the owner
     * @return the figures of the pool used
     * @throws NotFoundException when the process is unknown
     * @throws ValidationException when the stage is not an open stage of the process
     */
    public StageTiming timing(ProcessId process, String stage, ManagerId owner) {
        SalesProcess p = process(process);
        int s = openIndex(p, stage);
        Pool pool = resolve(p, owner, s);
        return describe(p, s, pool == null ? processPools.get(process) : pool);
    }

    private static StageTiming describe(SalesProcess p, int s, Pool pool) {
        CumulativeIncidence c = pool.stages[s];
        String code = p.openStages().get(s).code();
        if (c == null) {
            return new StageTiming(p.id().value(), code, pool.label, 0, 0, 0, 0, 0, 0, 1, null, null, null, 0, 0, 0);
        }
        int last = c.lastDay();
        return new StageTiming(p.id().value(), code, pool.label, c.episodes(), c.wins(), c.losses(),
                c.episodes() - c.wins() - c.losses(), c.won(last), c.lost(last), c.survival(last),
                day(c.dayWonShareReaches(0.5)), day(c.dayWonShareReaches(0.9)), day(c.dayLostShareReaches(0.5)),
                c.won(30), c.won(90), last);
    }

    private static Integer day(int d) {
        return d < 0 ? null : d;
    }

    private SalesProcess process(ProcessId id) {
        SalesProcess p = processes.get(Objects.requireNonNull(id, "process"));
        if (p == null) {
            throw new NotFoundException("process", id.value());
        }
        return p;
    }

    private static int openIndex(SalesProcess p, String stage) {
        int s = p.indexOf(stage);
        ValidationException.require(s < p.openStageCount(), "stage", stage, "an open stage of process " + p.id());
        return s;
    }

    /** The pool for an owner's deals at an open stage, or null when the stage cannot be modelled. */
    Pool resolve(SalesProcess p, ManagerId owner, int stage) {
        Pool[] cached = resolved.computeIfAbsent(p.id(), k -> new ConcurrentHashMap<>())
                .computeIfAbsent(owner, k -> resolveAll(p, k));
        return cached[stage];
    }

    private Pool[] resolveAll(SalesProcess p, ManagerId owner) {
        Pool[] out = new Pool[p.openStageCount()];
        Pool own = byManager ? managerPools.get(p.id()).get(owner) : null;
        Pool unit = null;
        if (org != null && org.contains(owner)) {
            Set<UnitId> ancestors = org.ancestorsOf(owner);
            for (UnitId u : units) {
                if (ancestors.contains(u)) {
                    unit = unitPools.get(p.id()).get(u);
                    break;
                }
            }
        }
        Pool whole = processPools.get(p.id());
        for (int s = 0; s < out.length; s++) {
            if (closed(own, s) >= minClosed) {
                out[s] = own;
            } else if (closed(unit, s) >= minClosed) {
                out[s] = unit;
            } else if (closed(whole, s) >= 1) {
                out[s] = whole;
            }
        }
        return out;
    }

    private static long closed(Pool pool, int s) {
        if (pool == null || pool.stages[s] == null) {
            return 0;
        }
        return pool.stages[s].wins() + pool.stages[s].losses();
    }

    /**
     * The curve an open deal is predicted from: its pool's, at the largest usable landmark not
     * after its days at the stage.
     *
     * @return the curve, or null when the stage cannot be modelled
     */
    CumulativeIncidence curve(SalesProcess p, ManagerId owner, int stage, int age) {
        Pool pool = resolve(p, owner, stage);
        return pool == null ? null : pool.curve(stage, age);
    }

    /**
     * Fills, for an open deal predicted from a curve, the probability of winning in each of a
     * series of day ranges, later, or never placed. {@code out[k]} for range k, {@code out[n]} =
     * won after the last range, {@code out[n + 1]} = lost, {@code out[n + 2]} = unresolved. Ranges
     * are day numbers relative to the entry; the deal is known open {@code age} days after entry.
     */
    static void winByRange(CumulativeIncidence c, int age, int[] firstDay, int[] lastDay, double[] out) {
        int n = firstDay.length;
        double alive = c.survival(age - 1);
        if (age - 1 > c.lastDay() || alive <= 0) {
            Arrays.fill(out, 0, n + 2, 0.0);
            out[n + 2] = 1.0;
            return;
        }
        double baseWon = c.won(age - 1);
        double placed = 0;
        for (int k = 0; k < n; k++) {
            int from = Math.max(firstDay[k], age);
            double v = from > lastDay[k] ? 0.0 : (c.won(lastDay[k]) - c.won(from - 1)) / alive;
            out[k] = Math.max(0.0, v);
            placed += out[k];
        }
        double wonTotal = (c.won(c.lastDay()) - baseWon) / alive;
        out[n] = Math.max(0.0, wonTotal - placed);
        out[n + 1] = Math.max(0.0, (c.lost(c.lastDay()) - c.lost(age - 1)) / alive);
        out[n + 2] = Math.max(0.0, c.survival(c.lastDay()) / alive);
    }

    /**
     * The day number of a date in the model's calendar.
     *
     * @param instant an instant
     * @return its epoch day in the model's zone
     */
    long epochDay(Instant instant) {
        return LocalDate.ofInstant(instant, zone).toEpochDay();
    }

    SalesProcess processOrNull(ProcessId id) {
        return processes.get(id);
    }

    @Override
    public int probabilityBasisPoints(Opportunity opportunity, SalesProcess process) {
        SalesProcess p = processes.getOrDefault(opportunity.processId(), process);
        int s = p.indexOf(opportunity.stage());
        if (s >= p.openStageCount()) {
            return fallback.probabilityBasisPoints(opportunity, process);
        }
        Pool pool = resolve(p, opportunity.owner(), s);
        if (pool == null) {
            return fallback.probabilityBasisPoints(opportunity, process);
        }
        int age = (int) Math.max(0, Math.min(MAX_DAYS, asOfDate.toEpochDay() - epochDay(opportunity.stageEnteredAt())));
        CumulativeIncidence c = pool.curve(s, age);
        double won = c.won(c.lastDay()) - c.won(age - 1);
        double lost = c.lost(c.lastDay()) - c.lost(age - 1);
        if (won + lost <= 0) {
            return fallback.probabilityBasisPoints(opportunity, process);
        }
        return (int) Math.round(ProbabilityModel.ONE * won / (won + lost));
    }

    @Override
    public String name() {
        return "measured-timing(as of " + asOfDate + (byManager ? ", by manager" : "")
                + (org != null ? ", by unit" : "") + ", min " + minClosed + " closed)";
    }

    @Override
    public String toString() {
        return "TimeToCloseModel[" + name() + ", " + journeys + " journeys, processes=" + processes.keySet() + "]";
    }

    /** Collects the history and the pooling rules; {@link #build()} estimates the curves. */
    public static final class Builder {
        private final ZoneId zone;
        private final ZoneRules rules;
        private final Instant asOf;
        private final Map<ProcessId, SalesProcess> processes = new HashMap<>();
        private final Map<ProcessId, Map<ManagerId, OwnerEpisodes>> episodes = new HashMap<>();
        private int minClosed = 30;
        private boolean byManager;
        private OrgStructure org;
        private List<UnitId> units = List.of();
        private ProbabilityModel fallback = ProbabilityModels.stageDefault();
        private long journeys;
        private long asOfDay;

        private Builder(ZoneId zone, Instant asOf, Collection<SalesProcess> processes) {
            this.zone = Objects.requireNonNull(zone, "zone");
            this.rules = zone.getRules();
            this.asOf = Objects.requireNonNull(asOf, "asOf");
            this.asOfDay = LocalDate.ofInstant(asOf, zone).toEpochDay();
            for (SalesProcess p : Objects.requireNonNull(processes, "processes")) {
                ValidationException.require(this.processes.put(p.id(), p) == null, "process.id", p.id(),
                        "an id used once");
            }
        }

        /**
         * Uses each manager's own history for a stage where it has at least {@code minClosed}
         * closed episodes.
         *
         * @return this builder
         */
        public Builder byManager() {
            this.byManager = true;
            return this;
        }

        /**
         * Uses the history of the first listed unit that holds an owner, where it has at least
         * {@code minClosed} closed episodes of the stage (after the manager's own, when enabled).
         *
         * @param structure the org structure
         * @param pools the units to pool by, most specific first (e.g. groups, then departments)
         * @return this builder
         * @throws org.crmkit.core.NotFoundException when a unit is unknown
         */
        public Builder byUnits(OrgStructure structure, List<UnitId> pools) {
            this.org = Objects.requireNonNull(structure, "structure");
            this.units = List.copyOf(pools);
            for (UnitId u : units) {
                if (!structure.contains(u)) {
                    throw new NotFoundException("unit", u.value());
                }
            }
            return this;
        }

        /**
         * The fewest closed episodes a manager's or unit's pool needs; default 30.
         *
         * @param value at least 1
         * @return this builder
         * @throws ValidationException when the value is below 1
         */
        public Builder minClosed(int value) {
            ValidationException.require(value >= 1, "minClosed", value, "at least 1");
            this.minClosed = value;
            return this;
        }

        /**
         * The probability model for deals at a stage the data cannot model; default the stage default.
         *
         * @param value the fallback
         * @return this builder
         */
        public Builder fallback(ProbabilityModel value) {
            this.fallback = Objects.requireNonNull(value, "fallback");
            return this;
        }

        /**
         * Reads an opportunity's journey.
         *
         * @param opportunity the opportunity
         * @return this builder
         * @throws NotFoundException when its process is not given
         */
        public Builder add(Opportunity opportunity) {
            return add(opportunity.owner(), opportunity.processId(), opportunity.transitions(),
                    opportunity.id().value());
        }

        /**
         * Reads a journey.
         *
         * @param journey the journey
         * @return this builder
         * @throws NotFoundException when its process is not given
         */
        public Builder add(StageJourney journey) {
            return add(journey.owner(), journey.process(), journey.transitions(), journey.id().value());
        }

        /**
         * Reads opportunities.
         *
         * @param opportunities the opportunities
         * @return this builder
         */
        public Builder addAll(Iterable<Opportunity> opportunities) {
            for (Opportunity o : opportunities) {
                add(o);
            }
            return this;
        }

        /**
         * Reads a stream of opportunities (in order; the stream is consumed).
         *
         * @param opportunities the opportunities
         * @return this builder
         */
        public Builder addAll(Stream<Opportunity> opportunities) {
            opportunities.forEachOrdered(this::add);
            return this;
        }

        private long day(Instant at) {
            long s = at.getEpochSecond() + rules.getOffset(at).getTotalSeconds();
            return Math.floorDiv(s, 86_400L);
        }

        private Builder add(ManagerId owner, ProcessId processId, List<StageTransition> ts, String id) {
            SalesProcess p = processes.get(processId);
            if (p == null) {
                throw new NotFoundException("process", processId.value() + " (opportunity " + id + ")");
            }
            journeys++;
            int n = 0;
            while (n < ts.size() && !ts.get(n).at().isAfter(asOf)) {
                n++;
            }
            if (n == 0) {
                return this;
            }
            int open = p.openStageCount();
            OwnerEpisodes e = episodes.computeIfAbsent(processId, k -> new HashMap<>())
                    .computeIfAbsent(owner, k -> new OwnerEpisodes(open));
            long endDay = asOfDay;
            long nextDay = asOfDay;
            int outcome = CENSORED;
            for (int i = n - 1; i >= 0; i--) {
                StageTransition t = ts.get(i);
                int s = p.indexOf(t.to());
                long d = day(t.at());
                if (s >= open) {
                    endDay = d;
                    nextDay = d;
                    outcome = s == open ? WON : LOST;
                    continue;
                }
                long length = Math.max(0, Math.min(MAX_DAYS, endDay - d));
                long atStage = Math.max(0, Math.min(length, nextDay - d));
                e.add(s, (int) length, (int) atStage, outcome);
                nextDay = d;
            }
            return this;
        }

        /**
         * Estimates the curves.
         *
         * @return the model
         */
        public TimeToCloseModel build() {
            return new TimeToCloseModel(this);
        }
    }
}
