package org.crmkit.forecast;

import java.math.BigDecimal;
import org.crmkit.core.Period;
import org.crmkit.core.ValidationException;

/**
 * The distribution of a period's revenue: the won revenue (certain) plus, for each open,
 * not omitted deal, its amount with its probability, as independent Bernoulli trials.
 *
 * <p>{@code mean} and {@code variance} are always exact (Σ a·p and Σ a²·p·(1−p), from the
 * exact converted amounts). The percentiles are the smallest revenue whose cumulative
 * probability reaches 10 %, 50 %, 90 %; they are exact when {@code method} is EXACT
 * (enumeration of every distinct sum, with probabilities in double precision) and sampled
 * when it is MONTE_CARLO, in which case {@code trials} and {@code seed} say how, and
 * {@code sampleMean} and {@code sampleVariance} give the sample moments. A node with more open
 * deals than {@link ForecastConfig#drawLimit()} is not drawn deal by deal: its percentiles are
 * those of the NORMAL distribution with the exact mean and variance, and {@code errorBound} is
 * the Berry–Esseen bound on the largest difference between that distribution's cumulative
 * probability and the true one (Shevtsova 2010: 0.56 · Σ E|Xᵢ − μᵢ|³ / σ³, from the exact
 * per-owner sums of cubed amounts), so the true probability of revenue at or below the reported
 * P10 lies within 10 % ± {@code errorBound}, and likewise for P50 and P90. The bound is small for
 * many deals of comparable size and approaches 1 (no information) when a few deals dominate. Amounts in another
 * currency than the reporting one are placed on the reporting currency's minor-unit grid
 * (half-even) for the percentiles only.
 *
 * @param period the period
 * @param currency the reporting currency (ISO code)
 * @param method how the percentiles were found
 * @param opportunities the number of open deals drawn
 * @param actual the won revenue
 * @param mean the exact expected revenue
 * @param variance the exact variance
 * @param standardDeviation the square root of the variance
 * @param p10 the 10th percentile
 * @param p50 the median
 * @param p90 the 90th percentile
 * @param trials the Monte Carlo trials, 0 when exact
 * @param seed the Monte Carlo seed, null when exact
 * @param sampleMean the Monte Carlo sample mean, null when exact
 * @param sampleVariance the Monte Carlo sample variance, null when exact
 * @param errorBound the Berry–Esseen bound of a NORMAL distribution (0..1), null otherwise
 */
public record RevenueDistribution(Period period, String currency, Method method, int opportunities,
        BigDecimal actual, BigDecimal mean, BigDecimal variance, double standardDeviation, BigDecimal p10,
        BigDecimal p50, BigDecimal p90, int trials, Long seed, Double sampleMean, Double sampleVariance,
        Double errorBound) {

    /** How the percentiles were found. */
    public enum Method {
        /** Every distinct sum with its exact probability. */
        EXACT,
        /** Seeded Monte Carlo sampling. */
        MONTE_CARLO,
        /** The normal distribution of the exact mean and variance, with a Berry–Esseen error bound. */
        NORMAL
    }

    /**
     * Validates the distribution.
     *
     * @throws ValidationException when a value is missing or the Monte Carlo fields disagree with the method
     */
    public RevenueDistribution {
        ValidationException.requireNonNull(period, "period");
        ValidationException.requireText(currency, "currency");
        ValidationException.requireNonNull(method, "method");
        ValidationException.require(opportunities >= 0, "opportunities", opportunities, "a count >= 0");
        ValidationException.requireNonNull(actual, "actual");
        ValidationException.requireNonNull(mean, "mean");
        ValidationException.requireNonNull(variance, "variance");
        ValidationException.requireNonNull(p10, "p10");
        ValidationException.requireNonNull(p50, "p50");
        ValidationException.requireNonNull(p90, "p90");
        boolean mc = method == Method.MONTE_CARLO;
        ValidationException.require(mc == (trials > 0) && mc == (seed != null) && mc == (sampleMean != null)
                && mc == (sampleVariance != null), "trials", trials,
                "trials, seed and sample moments exactly when the method is MONTE_CARLO");
        ValidationException.require((method == Method.NORMAL) == (errorBound != null), "errorBound", errorBound,
                "an error bound exactly when the method is NORMAL");
        ValidationException.require(errorBound == null || (errorBound >= 0 && errorBound <= 1), "errorBound",
                errorBound, "a probability 0..1");
    }

    @Override
    public String toString() {
        return period + " " + currency + ": mean " + mean.toPlainString() + ", sd "
                + String.format(java.util.Locale.ROOT, "%.2f", standardDeviation) + ", P10 " + p10.toPlainString()
                + ", P50 " + p50.toPlainString() + ", P90 " + p90.toPlainString() + " (" + method
                + (method == Method.MONTE_CARLO ? ", " + trials + " trials, seed " + seed : "")
                + (method == Method.NORMAL ? String.format(java.util.Locale.ROOT, ", error <= %.4f", errorBound) : "")
                + ", "
                + opportunities + " open deals)";
    }
}
