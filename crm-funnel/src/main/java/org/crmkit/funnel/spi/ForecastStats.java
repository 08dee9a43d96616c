package org.crmkit.funnel.spi;

import java.math.BigInteger;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.crmkit.core.AmountOverflowException;
import org.crmkit.core.ValidationException;

/**
 * The forecast aggregate of one owner: per {@link ForecastCell}, the number of opportunities and
 * the exact sums of their values in minor units of the cell currency and, for open cells, of the
 * squares and of the cubes of those values (a won cell's are 0: its revenue is certain, and a
 * book of mostly closed deals should not pay for them). That is everything a weighted forecast and its revenue distribution
 * need: the expected value is the value sum × the cell's probability, the variance of the sum of
 * independent Bernoulli outcomes is Σ v² · p(1 − p) and its third absolute central moment (for the
 * error bound of the normal approximation) Σ v³ · p(1 − p)(p² + (1 − p)²), all per cell.
 *
 * <p>Every part is an exact integer, so {@link #plus} and {@link #minus} are exact inverses and
 * the stats of disjoint sets of opportunities add up to the stats of their union, in any order.
 * The value sum is a {@code long} (an {@link AmountOverflowException} when it would leave the
 * range); squares and cubes are unbounded integers.
 *
 * <p>Immutable and thread-safe.
 */
public final class ForecastStats implements Aggregate<ForecastStats> {
    /** No opportunity. */
    public static final ForecastStats EMPTY = new ForecastStats(Map.of());

    /**
     * The sums of one cell.
     *
     * @param count the number of opportunities
     * @param value the sum of their values in minor units
     * @param squares the sum of the squares of their values
     * @param cubes the sum of the cubes of their values
     */
    public record Sums(long count, long value, BigInteger squares, BigInteger cubes) {
        /** No opportunity. */
        public static final Sums ZERO = new Sums(0, 0, BigInteger.ZERO, BigInteger.ZERO);

        /**
         * Validates the sums.
         *
         * @throws ValidationException when a part is negative or missing
         */
        public Sums {
            ValidationException.require(count >= 0, "sums.count", count, "a count >= 0");
            ValidationException.require(value >= 0, "sums.value", value, "a sum >= 0");
            ValidationException.require(squares != null && squares.signum() >= 0, "sums.squares", squares, "a sum >= 0");
            ValidationException.require(cubes != null && cubes.signum() >= 0, "sums.cubes", cubes, "a sum >= 0");
        }

        /**
         * The sums of one opportunity.
         *
         * @param value its value in minor units, at least 0
         * @return the sums
         */
        public static Sums of(long value) {
            BigInteger v = BigInteger.valueOf(value);
            BigInteger square = v.multiply(v);
            return new Sums(1, value, square, square.multiply(v));
        }

        /**
         * The sums of {@code count} opportunities of the same value.
         *
         * @param count how many
         * @param value their value in minor units
         * @return the sums
         * @throws AmountOverflowException when the value sum leaves the range of a long
         */
        public static Sums of(long count, long value) {
            BigInteger v = BigInteger.valueOf(value);
            BigInteger n = BigInteger.valueOf(count);
            BigInteger square = v.multiply(v);
            return new Sums(count, AmountOverflowException.multiply(count, value, "forecast value"),
                    square.multiply(n), square.multiply(v).multiply(n));
        }

        Sums plus(Sums o) {
            return new Sums(AmountOverflowException.add(count, o.count, "opportunity count"),
                    AmountOverflowException.add(value, o.value, "forecast value"), squares.add(o.squares),
                    cubes.add(o.cubes));
        }

        Sums minus(Sums o) {
            return new Sums(count - o.count, value - o.value, squares.subtract(o.squares), cubes.subtract(o.cubes));
        }
    }

    private final Map<ForecastCell, Sums> cells;

    private ForecastStats(Map<ForecastCell, Sums> cells) {
        this.cells = cells;
    }

    /**
     * Stats holding the given cells (empty sums are dropped).
     *
     * @param cells the sums per cell
     * @return the stats
     */
    public static ForecastStats of(Map<ForecastCell, Sums> cells) {
        Map<ForecastCell, Sums> copy = new HashMap<>();
        Objects.requireNonNull(cells, "cells").forEach((k, v) -> {
            if (v.count() > 0) {
                copy.put(Objects.requireNonNull(k, "cell"), v);
            }
        });
        return copy.isEmpty() ? EMPTY : new ForecastStats(Collections.unmodifiableMap(copy));
    }

    /**
     * Starts a mutable accumulator.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The sums per cell.
     *
     * @return the cells, unmodifiable
     */
    public Map<ForecastCell, Sums> cells() {
        return cells;
    }

    /**
     * The number of opportunities.
     *
     * @return the count
     */
    public long count() {
        long n = 0;
        for (Sums s : cells.values()) {
            n += s.count();
        }
        return n;
    }

    @Override
    public ForecastStats plus(ForecastStats other) {
        if (other.cells.isEmpty()) {
            return this;
        }
        if (cells.isEmpty()) {
            return other;
        }
        Map<ForecastCell, Sums> out = new HashMap<>(cells);
        other.cells.forEach((k, v) -> out.merge(k, v, Sums::plus));
        return new ForecastStats(Collections.unmodifiableMap(out));
    }

    @Override
    public ForecastStats minus(ForecastStats other) {
        Map<ForecastCell, Sums> out = new HashMap<>(cells);
        other.cells.forEach((k, v) -> {
            Sums have = out.getOrDefault(k, Sums.ZERO);
            ValidationException.require(have.count() >= v.count() && have.value() >= v.value()
                    && have.squares().compareTo(v.squares()) >= 0 && have.cubes().compareTo(v.cubes()) >= 0,
                    "forecastStats.minus", k, "a cell that is part of these stats");
            Sums left = have.minus(v);
            if (left.count() == 0) {
                ValidationException.require(left.value() == 0 && left.squares().signum() == 0
                        && left.cubes().signum() == 0, "forecastStats.minus", k, "a cell that is part of these stats");
                out.remove(k);
            } else {
                out.put(k, left);
            }
        });
        return out.isEmpty() ? EMPTY : new ForecastStats(Collections.unmodifiableMap(out));
    }

    @Override
    public boolean isEmpty() {
        return cells.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ForecastStats s && s.cells.equals(cells);
    }

    @Override
    public int hashCode() {
        return cells.hashCode();
    }

    @Override
    public String toString() {
        TreeMap<ForecastCell, Sums> sorted = new TreeMap<>(ForecastCell.ORDER);
        sorted.putAll(cells);
        return "ForecastStats" + sorted;
    }

    /** A mutable accumulator of one owner's cells; not thread-safe. */
    public static final class Builder {
        private final Map<ForecastCell, Sums> cells = new HashMap<>();

        private Builder() {
        }

        /**
         * Adds one opportunity.
         *
         * @param cell its cell
         * @param value its value in minor units
         * @return this builder
         */
        public Builder add(ForecastCell cell, long value) {
            cells.merge(Objects.requireNonNull(cell, "cell"), cell.isOpen() ? Sums.of(value)
                    : new Sums(1, value, BigInteger.ZERO, BigInteger.ZERO), Sums::plus);
            return this;
        }

        /**
         * Adds sums to a cell.
         *
         * @param cell the cell
         * @param sums the sums
         * @return this builder
         */
        public Builder add(ForecastCell cell, Sums sums) {
            if (sums.count() > 0) {
                cells.merge(Objects.requireNonNull(cell, "cell"), sums, Sums::plus);
            }
            return this;
        }

        /**
         * The stats.
         *
         * @return the stats
         */
        public ForecastStats build() {
            return ForecastStats.of(cells);
        }
    }
}
