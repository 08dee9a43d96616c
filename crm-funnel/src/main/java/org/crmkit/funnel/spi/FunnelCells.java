package org.crmkit.funnel.spi;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.crmkit.core.ManagerId;

/**
 * A set of funnel cells: opportunity cells ({@link CellKey} to {@link CellMeasures}) and
 * time-in-stage cells ({@link StageTimeKey} to {@link DurationSummary}). Cell sets form a
 * commutative monoid: {@link #merge} adds the measures of equal keys, is associative and
 * commutative, and {@link #empty()} is its identity. So a report over many owners is the
 * merge of the owners' cells, and a large input is split, aggregated per part (on any
 * thread or in a database) and merged.
 *
 * <p>Immutable. {@link #builder()} gives the mutable accumulator to build one.
 */
public final class FunnelCells {
    private static final FunnelCells EMPTY = new FunnelCells(Map.of(), Map.of());

    private final Map<CellKey, CellMeasures> cells;
    private final Map<StageTimeKey, DurationSummary> stageTimes;

    private FunnelCells(Map<CellKey, CellMeasures> cells, Map<StageTimeKey, DurationSummary> stageTimes) {
        this.cells = cells;
        this.stageTimes = stageTimes;
    }

    /**
     * The empty set.
     *
     * @return the identity of {@link #merge}
     */
    public static FunnelCells empty() {
        return EMPTY;
    }

    /**
     * A set from its maps; cells whose count is 0 are dropped so that equal contents compare
     * equal however they were built.
     *
     * @param cells the opportunity cells
     * @param stageTimes the time-in-stage cells
     * @return the set
     */
    public static FunnelCells of(Map<CellKey, CellMeasures> cells, Map<StageTimeKey, DurationSummary> stageTimes) {
        Builder b = builder();
        Objects.requireNonNull(cells, "cells").forEach(b::add);
        Objects.requireNonNull(stageTimes, "stageTimes").forEach(b::addStageTime);
        return b.build();
    }

    /**
     * Aggregates the facts of opportunities into cells.
     *
     * @param facts one row per opportunity
     * @return the cells
     */
    public static FunnelCells aggregate(Stream<OpportunityFacts> facts) {
        Builder b = builder();
        facts.forEachOrdered(b::add);
        return b.build();
    }

    /**
     * Starts a mutable accumulator.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The opportunity cells.
     *
     * @return the cells, unmodifiable
     */
    public Map<CellKey, CellMeasures> cells() {
        return cells;
    }

    /**
     * The time-in-stage cells.
     *
     * @return the cells, unmodifiable
     */
    public Map<StageTimeKey, DurationSummary> stageTimes() {
        return stageTimes;
    }

    /**
     * Whether the set holds no cell.
     *
     * @return true when empty
     */
    public boolean isEmpty() {
        return cells.isEmpty() && stageTimes.isEmpty();
    }

    /**
     * Merges two sets: the measures of equal keys are added.
     *
     * @param other the other set
     * @return the merged set
     */
    public FunnelCells merge(FunnelCells other) {
        Objects.requireNonNull(other, "other");
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        // start from a copy of the larger side and add the smaller one into it
        FunnelCells big = size() >= other.size() ? this : other;
        FunnelCells small = big == this ? other : this;
        return new Builder(new HashMap<>(big.cells), new HashMap<>(big.stageTimes)).addAll(small).build();
    }

    private int size() {
        return cells.size() + stageTimes.size();
    }

    /**
     * The cells of some owners only: a node's cells are the cells of its distinct members.
     *
     * @param owners the owners to keep
     * @return the cells whose owner is in {@code owners}
     */
    public FunnelCells forOwners(Set<ManagerId> owners) {
        Objects.requireNonNull(owners, "owners");
        return where(k -> owners.contains(k.owner()), k -> owners.contains(k.owner()));
    }

    /**
     * The cells split by owner, in one pass: the parts whose merge is this set.
     *
     * @return each owner's cells, unmodifiable
     */
    public Map<ManagerId, FunnelCells> byOwner() {
        Map<ManagerId, Builder> parts = new HashMap<>();
        cells.forEach((k, m) -> parts.computeIfAbsent(k.owner(), o -> builder()).add(k, m));
        stageTimes.forEach((k, d) -> parts.computeIfAbsent(k.owner(), o -> builder()).addStageTime(k, d));
        Map<ManagerId, FunnelCells> out = new HashMap<>();
        parts.forEach((o, b) -> out.put(o, b.build()));
        return Collections.unmodifiableMap(out);
    }

    /**
     * The cells of one period bucket, moved to bucket 0 (so a bucket reads as an unbucketed
     * query of its period).
     *
     * @param bucket the bucket index
     * @return the cells of that bucket
     */
    public FunnelCells forBucket(int bucket) {
        Builder b = builder();
        cells.forEach((k, m) -> {
            if (k.bucket() == bucket) {
                b.add(new CellKey(k.owner(), k.status(), k.stage(), k.enteredMask(), k.priorStage(),
                        k.priorEnteredMask(), k.currency(), k.reason(), k.competitor(), 0), m);
            }
        });
        stageTimes.forEach((k, d) -> {
            if (k.bucket() == bucket) {
                b.addStageTime(new StageTimeKey(k.owner(), k.stage(), 0), d);
            }
        });
        return b.build();
    }

    /**
     * The cells whose keys pass the tests.
     *
     * @param cellTest the test of opportunity cell keys
     * @param stageTimeTest the test of time-in-stage cell keys
     * @return the cells kept
     */
    public FunnelCells where(Predicate<CellKey> cellTest, Predicate<StageTimeKey> stageTimeTest) {
        Objects.requireNonNull(cellTest, "cellTest");
        Objects.requireNonNull(stageTimeTest, "stageTimeTest");
        Builder b = builder();
        cells.forEach((k, m) -> {
            if (cellTest.test(k)) {
                b.add(k, m);
            }
        });
        stageTimes.forEach((k, d) -> {
            if (stageTimeTest.test(k)) {
                b.addStageTime(k, d);
            }
        });
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FunnelCells other && cells.equals(other.cells) && stageTimes.equals(other.stageTimes);
    }

    @Override
    public int hashCode() {
        return 31 * cells.hashCode() + stageTimes.hashCode();
    }

    @Override
    public String toString() {
        return "FunnelCells[" + cells.size() + " cells, " + stageTimes.size() + " stage-time cells]";
    }

    /** A mutable accumulator of cells; not thread-safe (aggregate per thread, then merge). */
    public static final class Builder {
        private Map<CellKey, CellMeasures> cells;
        private Map<StageTimeKey, DurationSummary> stageTimes;
        // true once build() handed the maps to a FunnelCells: the next change copies them first
        private boolean shared;

        private Builder() {
            this(new HashMap<>(), new HashMap<>());
        }

        private Builder(Map<CellKey, CellMeasures> cells, Map<StageTimeKey, DurationSummary> stageTimes) {
            this.cells = cells;
            this.stageTimes = stageTimes;
        }

        private void own() {
            if (shared) {
                cells = new HashMap<>(cells);
                stageTimes = new HashMap<>(stageTimes);
                shared = false;
            }
        }

        /**
         * Adds one opportunity's facts.
         *
         * @param facts the facts
         * @return this builder
         */
        public Builder add(OpportunityFacts facts) {
            add(facts.key(), facts.measures());
            for (StageTime t : facts.stageTimes()) {
                addStageTime(new StageTimeKey(facts.key().owner(), t.stage(), facts.key().bucket()),
                        DurationSummary.ofSeconds(t.seconds()));
            }
            return this;
        }

        /**
         * Adds measures to a cell.
         *
         * @param key the cell key
         * @param measures the measures to add
         * @return this builder
         */
        public Builder add(CellKey key, CellMeasures measures) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(measures, "measures");
            if (measures.count() > 0) {
                own();
                cells.merge(key, measures, CellMeasures::merge);
            }
            return this;
        }

        /**
         * Adds durations to a time-in-stage cell.
         *
         * @param key the cell key
         * @param durations the durations to add
         * @return this builder
         */
        public Builder addStageTime(StageTimeKey key, DurationSummary durations) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(durations, "durations");
            if (durations.count() > 0) {
                own();
                stageTimes.merge(key, durations, DurationSummary::merge);
            }
            return this;
        }

        /**
         * Adds every cell of a set.
         *
         * @param other the set
         * @return this builder
         */
        public Builder addAll(FunnelCells other) {
            other.cells.forEach(this::add);
            other.stageTimes.forEach(this::addStageTime);
            return this;
        }

        /**
         * Freezes the accumulated cells.
         *
         * @return the immutable set
         */
        public FunnelCells build() {
            if (cells.isEmpty() && stageTimes.isEmpty()) {
                return EMPTY;
            }
            shared = true;
            return new FunnelCells(Collections.unmodifiableMap(cells), Collections.unmodifiableMap(stageTimes));
        }
    }
}
