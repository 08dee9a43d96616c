package org.crmkit.forecast;

import java.math.BigDecimal;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.Period;
import org.crmkit.core.ValidationException;

/**
 * The forecast of one period, in the reporting currency, exact. Categories are reported
 * individually and cumulatively, as Salesforce users expect:
 * <ul>
 *   <li>{@code commitCumulative} = Commit + Closed;</li>
 *   <li>{@code bestCaseCumulative} = Best case + Commit + Closed;</li>
 *   <li>{@code openPipeline} = Pipeline + Best case + Commit (open deals only).</li>
 * </ul>
 * {@code weightedOpen} is the expected value of the open, not omitted deals, and
 * {@code projected} = actual (closed amount) + weighted open. Build with {@link #of}, which
 * derives the cumulative figures; the constructor checks they agree.
 *
 * @param period the period
 * @param closed won deals, at actual revenue
 * @param commit open deals in COMMIT
 * @param bestCase open deals in BEST_CASE
 * @param pipeline open deals in PIPELINE
 * @param omitted open deals in OMITTED (in no other figure)
 * @param commitCumulative Commit + Closed
 * @param bestCaseCumulative Best case + Commit + Closed
 * @param openPipeline Pipeline + Best case + Commit
 * @param weightedOpen expected value of Pipeline + Best case + Commit
 * @param projected closed amount + weighted open
 */
public record PeriodForecast(Period period, Figure closed, Figure commit, Figure bestCase, Figure pipeline,
        Figure omitted, Figure commitCumulative, Figure bestCaseCumulative, Figure openPipeline,
        BigDecimal weightedOpen, BigDecimal projected) {

    /**
     * Validates the figures and checks that the cumulative ones are the sums they stand for.
     *
     * @throws ValidationException when a figure is missing or a cumulative figure disagrees
     */
    public PeriodForecast {
        ValidationException.requireNonNull(period, "period");
        ValidationException.requireNonNull(closed, "closed");
        ValidationException.requireNonNull(commit, "commit");
        ValidationException.requireNonNull(bestCase, "bestCase");
        ValidationException.requireNonNull(pipeline, "pipeline");
        ValidationException.requireNonNull(omitted, "omitted");
        ValidationException.require(same(commitCumulative, commit.plus(closed)), "commitCumulative", commitCumulative,
                "commit + closed");
        ValidationException.require(same(bestCaseCumulative, bestCase.plus(commit).plus(closed)),
                "bestCaseCumulative", bestCaseCumulative, "best case + commit + closed");
        ValidationException.require(same(openPipeline, pipeline.plus(bestCase).plus(commit)), "openPipeline",
                openPipeline, "pipeline + best case + commit");
        ValidationException.require(weightedOpen != null && weightedOpen.compareTo(openPipeline.expected()) == 0,
                "weightedOpen", weightedOpen, "the expected value of the open pipeline");
        ValidationException.require(projected != null && projected.compareTo(closed.amount().add(weightedOpen)) == 0,
                "projected", projected, "closed + weighted open");
    }

    private static boolean same(Figure a, Figure b) {
        return a != null && a.count() == b.count() && a.amount().compareTo(b.amount()) == 0
                && a.expected().compareTo(b.expected()) == 0;
    }

    /**
     * A period forecast from the individual category figures.
     *
     * @param period the period
     * @param closed won deals
     * @param commit COMMIT deals
     * @param bestCase BEST_CASE deals
     * @param pipeline PIPELINE deals
     * @param omitted OMITTED deals
     * @return the forecast with its cumulative figures
     */
    public static PeriodForecast of(Period period, Figure closed, Figure commit, Figure bestCase, Figure pipeline,
            Figure omitted) {
        Figure open = pipeline.plus(bestCase).plus(commit);
        return new PeriodForecast(period, closed, commit, bestCase, pipeline, omitted, commit.plus(closed),
                bestCase.plus(commit).plus(closed), open, open.expected(), closed.amount().add(open.expected()));
    }

    /**
     * An empty period.
     *
     * @param period the period
     * @return a forecast with every figure zero
     */
    public static PeriodForecast empty(Period period) {
        return of(period, Figure.ZERO, Figure.ZERO, Figure.ZERO, Figure.ZERO, Figure.ZERO);
    }

    /**
     * The individual figure of a category.
     *
     * @param category the category
     * @return its figure
     */
    public Figure individual(ForecastCategory category) {
        return switch (category) {
            case CLOSED -> closed;
            case COMMIT -> commit;
            case BEST_CASE -> bestCase;
            case PIPELINE -> pipeline;
            case OMITTED -> omitted;
        };
    }

    /**
     * The actual revenue: the amount of the closed (won) deals.
     *
     * @return the actual, exact
     */
    public BigDecimal actual() {
        return closed.amount();
    }

    /**
     * The value of an adjustable figure.
     *
     * @param figure the figure
     * @return its computed value, exact
     */
    public BigDecimal value(ForecastFigure figure) {
        return switch (figure) {
            case CLOSED -> closed.amount();
            case COMMIT -> commitCumulative.amount();
            case BEST_CASE -> bestCaseCumulative.amount();
            case OPEN_PIPELINE -> openPipeline.amount();
            case WEIGHTED_OPEN -> weightedOpen;
            case PROJECTED -> projected;
        };
    }

    /**
     * The sum of two forecasts of the same period.
     *
     * @param other another forecast of the same period
     * @return the sum
     * @throws ValidationException when the periods differ
     */
    public PeriodForecast plus(PeriodForecast other) {
        ValidationException.require(period.equals(other.period), "period", other.period, "the period " + period);
        return of(period, closed.plus(other.closed), commit.plus(other.commit), bestCase.plus(other.bestCase),
                pipeline.plus(other.pipeline), omitted.plus(other.omitted));
    }

    @Override
    public String toString() {
        return period + ": closed " + closed.amount().toPlainString() + ", commit " + commitCumulative.amount()
                .toPlainString() + ", best case " + bestCaseCumulative.amount().toPlainString() + ", open pipeline "
                + openPipeline.amount().toPlainString() + ", weighted open " + weightedOpen.toPlainString()
                + ", projected " + projected.toPlainString();
    }
}
