package org.crmkit.forecast.spi;

import java.math.BigDecimal;
import java.util.OptionalInt;
import org.crmkit.core.Opportunity;
import org.crmkit.core.SalesProcess;

/**
 * Decides the win probability of an open opportunity, which weights its expected value.
 *
 * <p>Probabilities are whole <em>basis points</em>: {@code 0} to {@link #ONE} ({@code 10000}),
 * that is percent with two decimals. Integers keep the expected value (minor units × basis
 * points) exact in a {@code long}, so a forecast of a partition sums exactly to the forecast
 * of the whole. A model that measures a rate (such as a historical win rate) rounds it to
 * basis points once, when it is built.
 *
 * <p>Implementations must be thread-safe and side-effect free: the engine may call them from
 * several threads and more than once per opportunity. New methods are added as default
 * methods, so implementations keep compiling.
 */
public interface ProbabilityModel {
    /** Basis points of certainty: 100 %. */
    int ONE = 10_000;

    /**
     * The win probability of an open opportunity.
     *
     * @param opportunity an open opportunity
     * @param process its sales process
     * @return the probability in basis points, {@code 0..10000}
     */
    int probabilityBasisPoints(Opportunity opportunity, SalesProcess process);

    /**
     * The win probability of an open opportunity from the columns a store groups by: its
     * process, current stage and own probability. A model that decides from these alone
     * answers here, so a forecast can be computed from a store's aggregates without reading any
     * opportunity ({@code ForecastEngine.snapshot(ForecastSource, ...)}); it must answer exactly
     * what {@link #probabilityBasisPoints} answers for such an opportunity. The default answers
     * empty: the model needs the whole opportunity, and only a forecast over opportunity
     * objects can use it.
     *
     * @param process the process
     * @param stage the current stage code
     * @param ownProbability the opportunity's own probability in percent
     * @return the probability in basis points, or empty when the model needs the whole opportunity
     */
    default OptionalInt probabilityBasisPoints(SalesProcess process, String stage, int ownProbability) {
        return OptionalInt.empty();
    }

    /**
     * A short name written on results, e.g. {@code "own"} or {@code "stage-default"}.
     *
     * @return the name of the model
     */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * The probability in percent, exact.
     *
     * @param opportunity an open opportunity
     * @param process its sales process
     * @return the probability in percent with at most two decimals, {@code 0..100}
     */
    default BigDecimal probabilityPercent(Opportunity opportunity, SalesProcess process) {
        return BigDecimal.valueOf(probabilityBasisPoints(opportunity, process), 2);
    }
}
