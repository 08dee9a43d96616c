package org.crmkit.forecast;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.crmkit.core.Opportunity;
import org.crmkit.core.ProcessId;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.ValidationException;
import org.crmkit.forecast.spi.ProbabilityModel;

/**
 * The historical stage-to-win rate: an open opportunity at stage {@code s} gets the share of
 * won deals among the closed deals that reached {@code s} in a past window.
 *
 * <p>The rates are a table of {@link StageWinRate} figures, each rounded to basis points once
 * here. A stage whose rate rests on fewer than {@code minClosed} closed deals (or on none)
 * uses the fallback model instead, by default {@link ProbabilityModels#stageDefault()}, so a
 * thin history does not put a stage at 0 % or 100 %. The table can be given explicitly or
 * measured by the funnel engine ({@code measure} factories).
 *
 * <p>Immutable and thread-safe.
 */
public final class HistoricalWinRateModel implements ProbabilityModel {
    private record Key(ProcessId process, String stage) {
    }

    private final List<StageWinRate> rates;
    private final Map<Key, Integer> basisPoints;
    private final long minClosed;
    private final ProbabilityModel fallback;
    private final String window;

    private HistoricalWinRateModel(Collection<StageWinRate> rates, long minClosed, ProbabilityModel fallback,
            String window) {
        this.rates = List.copyOf(rates);
        this.minClosed = minClosed;
        this.fallback = fallback;
        this.window = window;
        Map<Key, Integer> bp = new HashMap<>();
        for (StageWinRate r : this.rates) {
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
    public static HistoricalWinRateModel of(Collection<StageWinRate> rates, String window) {
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
    public static HistoricalWinRateModel of(Collection<StageWinRate> rates, String window, long minClosed,
            ProbabilityModel fallback) {
        Objects.requireNonNull(rates, "rates");
        ValidationException.requireText(window, "window");
        ValidationException.require(minClosed >= 1, "minClosed", minClosed, "at least 1");
        return new HistoricalWinRateModel(rates, minClosed, Objects.requireNonNull(fallback, "fallback"), window);
    }

    @Override
    public int probabilityBasisPoints(Opportunity opportunity, SalesProcess process) {
        Integer bp = basisPoints.get(new Key(opportunity.processId(), opportunity.stage()));
        if (bp == null || bp < 0) {
            return fallback.probabilityBasisPoints(opportunity, process);
        }
        return bp;
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
    public List<StageWinRate> rates() {
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
