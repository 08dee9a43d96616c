package org.crmkit.funnel.spi;

/**
 * A mergeable, exact aggregate: the unit every source returns and every roll-up adds (in the
 * manner of Caffeine's {@code CacheStats}). {@link #plus} is associative and commutative with
 * the empty aggregate as its identity, so partial aggregates computed anywhere (threads, a
 * database, cluster members) add up to the aggregate of the whole. {@link #minus} is the exact
 * inverse of {@link #plus} for aggregates whose parts are all exact (counts, exact sums, exact
 * histograms), so an aggregate can be maintained: add a new contribution, take back the old.
 *
 * @param <T> the aggregate type
 */
public interface Aggregate<T extends Aggregate<T>> {
    /**
     * The sum of this aggregate and another.
     *
     * @param other the other aggregate, of the same shape
     * @return the sum
     * @throws org.crmkit.core.ValidationException when the shapes differ (e.g. another number
     *     of stages)
     * @throws org.crmkit.core.AmountOverflowException when an exact sum leaves the range of a
     *     {@code long}
     */
    T plus(T other);

    /**
     * This aggregate without another one that was added to it: {@code a.plus(b).minus(b)}
     * equals {@code a}.
     *
     * @param other an aggregate that is part of this one
     * @return the difference
     * @throws org.crmkit.core.ValidationException when {@code other} is not a part of this
     *     aggregate (a count, sum or histogram entry would become negative)
     */
    T minus(T other);

    /**
     * Whether the aggregate holds nothing (it is the identity of {@link #plus}).
     *
     * @return true when empty
     */
    boolean isEmpty();
}
