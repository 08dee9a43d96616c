package org.crmkit.forecast;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.money.CurrencyUnit;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.Period;
import org.crmkit.core.ProcessId;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.ValidationException;
import org.crmkit.funnel.CountingPolicy;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.FunnelMode;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.StageWinRate;
import org.crmkit.forecast.spi.ProbabilityModel;

/**
 * The historical stage-to-win rate: an open opportunity at stage {@code s} gets the share of
 * won deals among the closed deals that reached {@code s} in a past window.
 *
 * <p>The rates are a table of {@link MeasuredWinRate} figures, each rounded to basis points once
 * here. A stage whose rate rests on fewer than {@code minClosed} closed deals (or on none)
 * uses the fallback model instead, by default {@link ProbabilityModels#stageDefault()}, so a
 * thin history does not put a stage at 0 % or 100 %. The table can be given explicitly
 * ({@code of}) or measured by the funnel engine ({@code measure}), with the funnel's
 * definitions: the rate of stage {@code s} is won among those that reached {@code s} divided
 * by closed (won or lost) among those that reached {@code s}, where "reached" follows the
 * query's counting policy (LINEAR by default: a skipped stage counts as passed, a won deal
 * reached every open stage).
 *
 * <p>Immutable and thread-safe.
 */
public final class HistoricalWinRateModel implements ProbabilityModel {
    private record Key(ProcessId process, String stage) {
    }

    private final List<MeasuredWinRate> rates;
    private final Map<Key, Integer> basisPoints;
    private final long minClosed;
    private final ProbabilityModel fallback;
    private final String window;

    private HistoricalWinRateModel(Collection<MeasuredWinRate> rates, long minClosed, ProbabilityModel fallback,
            String window) {
        this.rates = List.copyOf(rates);
        this.minClosed = minClosed;
        this.fallback = fallback;
        this.window = window;
        Map<Key, Integer> bp = new HashMap<>();
        for (MeasuredWinRate r : this.rates) {
            Key key = new Key(r.process(), r.stage());
            ValidationException.require(!bp.containsKey(key), "rates", r, "one rate per process and stage");
            bp.put(key, r.closed() >= minClosed ? r.basisPoints().orElse(-1) : -1);
        }
        this.basisPoints = Map.copyOf(bp);
    }

    /**
     * A model over an explicit rate table, falling back to the stage default below one closed deal.
     *
     * @param rates one rate per (process, stage)
     * @param window a description of the window the rates were measured over, written on results
     * @return the model
     * @throws ValidationException when a (process, stage) repeats
     */
    public static HistoricalWinRateModel of(Collection<MeasuredWinRate> rates, String window) {
        return of(rates, window, 1, ProbabilityModels.stageDefault());
    }

    /**
     * A model over an explicit rate table.
     *
     * @param rates one rate per (process, stage)
     * @param window a description of the window the rates were measured over, written on results
     * @param minClosed the fewest closed deals a rate must rest on to be used, at least 1
     * @param fallback the model for stages without a usable rate
     * @return the model
     * @throws ValidationException when a (process, stage) repeats or {@code minClosed < 1}
     */
    public static HistoricalWinRateModel of(Collection<MeasuredWinRate> rates, String window, long minClosed,
            ProbabilityModel fallback) {
        Objects.requireNonNull(rates, "rates");
        ValidationException.requireText(window, "window");
        ValidationException.require(minClosed >= 1, "minClosed", minClosed, "at least 1");
        return new HistoricalWinRateModel(rates, minClosed, Objects.requireNonNull(fallback, "fallback"), window);
    }

    /**
     * Measures the rates with the funnel engine for any funnel query the caller chooses (its
     * nodes, mode, period, counting policy and filter), falling back to the stage default on
     * stages without a closed deal.
     *
     * @param funnel the funnel engine over the historical opportunities
     * @param query the funnel query that defines the population and window
     * @return the model
     * @throws org.crmkit.core.NotFoundException when a node of the query is unknown
     */
    public static HistoricalWinRateModel measure(FunnelEngine funnel, FunnelQuery query) {
        return measure(funnel, query, 1, ProbabilityModels.stageDefault());
    }

    /**
     * Measures the rates with the funnel engine for any funnel query the caller chooses.
     *
     * @param funnel the funnel engine over the historical opportunities
     * @param query the funnel query that defines the population and window
     * @param minClosed the fewest closed deals a rate must rest on to be used, at least 1
     * @param fallback the model for stages without a usable rate
     * @return the model
     * @throws org.crmkit.core.NotFoundException when a node of the query is unknown
     */
    public static HistoricalWinRateModel measure(FunnelEngine funnel, FunnelQuery query, long minClosed,
            ProbabilityModel fallback) {
        Objects.requireNonNull(funnel, "funnel");
        Objects.requireNonNull(query, "query");
        List<MeasuredWinRate> rates = new ArrayList<>();
        for (StageWinRate r : funnel.stageWinRates(query)) {
            rates.add(new MeasuredWinRate(query.process().id(), r.code(), r.wonReached(), r.closedReached()));
        }
        String window = query.mode() + " " + query.periodIfAny().map(Period::toString).orElse("all time") + ", "
                + query.policy();
        return of(rates, window, minClosed, fallback);
    }

    /**
     * Measures the rates over a window: the deals of the nodes created in the window (funnel
     * COHORT mode, LINEAR counting), in their state as of the funnel engine's now.
     *
     * @param funnel the funnel engine over the historical opportunities
     * @param process the sales process
     * @param nodes the org nodes whose deals count
     * @param window the window the deals were created in
     * @param currency a currency the funnel can report amounts in (amounts do not enter the rates)
     * @return the model
     * @throws org.crmkit.core.NotFoundException when a node is unknown
     */
    public static HistoricalWinRateModel measure(FunnelEngine funnel, SalesProcess process,
            List<? extends OrgNodeId> nodes, Period window, CurrencyUnit currency) {
        return measure(funnel, FunnelQuery.builder(process).nodes(nodes).mode(FunnelMode.COHORT)
                .policy(CountingPolicy.LINEAR).period(Objects.requireNonNull(window, "window"))
                .reportingCurrency(currency).build());
    }

    @Override
    public int probabilityBasisPoints(Opportunity opportunity, SalesProcess process) {
        Integer bp = basisPoints.get(new Key(opportunity.processId(), opportunity.stage()));
        if (bp == null || bp < 0) {
            return fallback.probabilityBasisPoints(opportunity, process);
        }
        return bp;
    }

    /** {@inheritDoc} The table's rate, else the fallback's answer (empty when the fallback needs the opportunity). */
    @Override
    public java.util.OptionalInt probabilityBasisPoints(SalesProcess process, String stage, int ownProbability) {
        Integer bp = basisPoints.get(new Key(process.id(), stage));
        if (bp == null || bp < 0) {
            return fallback.probabilityBasisPoints(process, stage, ownProbability);
        }
        return java.util.OptionalInt.of(bp);
    }

    /**
     * The rate used for a stage.
     *
     * @param process the process
     * @param stage the stage code
     * @return the measured rate in basis points, empty when the fallback model applies
     */
    public Optional<Integer> rateBasisPoints(ProcessId process, String stage) {
        Integer bp = basisPoints.get(new Key(process, stage));
        return bp == null || bp < 0 ? Optional.empty() : Optional.of(bp);
    }

    /**
     * The measured figures.
     *
     * @return the rates, unmodifiable
     */
    public List<MeasuredWinRate> rates() {
        return rates;
    }

    /**
     * The window the rates were measured over.
     *
     * @return its description
     */
    public String window() {
        return window;
    }

    /**
     * The fewest closed deals a rate must rest on.
     *
     * @return the threshold
     */
    public long minClosed() {
        return minClosed;
    }

    /**
     * The model for stages without a usable rate.
     *
     * @return the fallback
     */
    public ProbabilityModel fallback() {
        return fallback;
    }

    @Override
    public String name() {
        return "historical-win-rate(" + window + ")";
    }

    @Override
    public String toString() {
        return "HistoricalWinRateModel[window=" + window + ", minClosed=" + minClosed + ", fallback="
                + fallback.name() + ", rates=" + rates + "]";
    }
}
