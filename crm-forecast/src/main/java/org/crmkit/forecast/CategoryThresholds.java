package org.crmkit.forecast;

import org.crmkit.core.ForecastCategory;
import org.crmkit.core.ValidationException;
import org.crmkit.forecast.spi.ProbabilityModel;

/**
 * Probability thresholds that put an open opportunity into a forecast category when no
 * category was set by hand: at least {@code commitFrom} is {@link ForecastCategory#COMMIT},
 * at least {@code bestCaseFrom} is {@link ForecastCategory#BEST_CASE}, at least
 * {@code pipelineFrom} is {@link ForecastCategory#PIPELINE}, below it
 * {@link ForecastCategory#OMITTED}. All in basis points (10000 = 100 %).
 *
 * @param commitFrom the least probability of a commit, basis points
 * @param bestCaseFrom the least probability of a best case, basis points
 * @param pipelineFrom the least probability of a pipeline deal, basis points
 */
public record CategoryThresholds(int commitFrom, int bestCaseFrom, int pipelineFrom) {
    /**
     * Validates the thresholds.
     *
     * @throws ValidationException unless {@code 0 <= pipelineFrom <= bestCaseFrom <= commitFrom <= 10000}
     */
    public CategoryThresholds {
        ValidationException.require(commitFrom >= 0 && commitFrom <= ProbabilityModel.ONE, "commitFrom", commitFrom,
                "basis points 0..10000");
        ValidationException.require(bestCaseFrom >= 0 && bestCaseFrom <= commitFrom, "bestCaseFrom", bestCaseFrom,
                "basis points 0.." + commitFrom + " (not above commitFrom)");
        ValidationException.require(pipelineFrom >= 0 && pipelineFrom <= bestCaseFrom, "pipelineFrom", pipelineFrom,
                "basis points 0.." + bestCaseFrom + " (not above bestCaseFrom)");
    }

    /**
     * The defaults: commit from 80 %, best case from 50 %, pipeline above 0 % (from 0.01 %);
     * an open deal at 0 % is omitted. With the reference process this puts Closing in commit,
     * Proposal presentation in best case and the earlier stages in pipeline.
     *
     * @return the default thresholds
     */
    public static CategoryThresholds defaults() {
        return new CategoryThresholds(8_000, 5_000, 1);
    }

    /**
     * Thresholds in whole percent.
     *
     * @param commitFrom least commit probability, percent
     * @param bestCaseFrom least best-case probability, percent
     * @param pipelineFrom least pipeline probability, percent
     * @return the thresholds
     * @throws ValidationException when the order or range is broken
     */
    public static CategoryThresholds ofPercent(int commitFrom, int bestCaseFrom, int pipelineFrom) {
        ValidationException.require(commitFrom >= 0 && commitFrom <= 100, "commitFrom", commitFrom, "percent 0..100");
        ValidationException.require(bestCaseFrom >= 0 && bestCaseFrom <= 100, "bestCaseFrom", bestCaseFrom,
                "percent 0..100");
        ValidationException.require(pipelineFrom >= 0 && pipelineFrom <= 100, "pipelineFrom", pipelineFrom,
                "percent 0..100");
        return new CategoryThresholds(commitFrom * 100, bestCaseFrom * 100, pipelineFrom * 100);
    }

    /**
     * The category of an open opportunity with a probability.
     *
     * @param basisPoints the probability, basis points
     * @return COMMIT, BEST_CASE, PIPELINE or OMITTED
     */
    public ForecastCategory categoryOf(int basisPoints) {
        if (basisPoints >= commitFrom) {
            return ForecastCategory.COMMIT;
        }
        if (basisPoints >= bestCaseFrom) {
            return ForecastCategory.BEST_CASE;
        }
        if (basisPoints >= pipelineFrom) {
            return ForecastCategory.PIPELINE;
        }
        return ForecastCategory.OMITTED;
    }
}
