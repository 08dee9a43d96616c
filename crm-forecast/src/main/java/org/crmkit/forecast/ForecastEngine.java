package org.crmkit.forecast;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.money.convert.ExchangeRateProvider;
import org.crmkit.core.NotFoundException;
import org.crmkit.core.Opportunity;
import org.crmkit.core.ProcessId;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.CurrencyConverter;
import org.crmkit.forecast.spi.ProbabilityModel;
import org.crmkit.funnel.spi.ForecastReference;
import org.crmkit.funnel.spi.ForecastSource;
import org.crmkit.funnel.spi.ForecastStats;
import org.crmkit.core.Period;

/**
 * Computes weighted forecasts. Built once with its policies ({@link ForecastConfig}), a
 * {@link ProbabilityModel}, the caller's exchange rates and the sales processes; then
 * {@link #snapshot(ForecastSource)} reads a source's per-owner aggregates once (a store groups
 * them in SQL; no opportunity is read as an object), and the snapshot answers forecasts,
 * roll-ups, plan vs actual and distributions from mergeable cells; {@link #snapshot(Collection)}
 * does the same for a plain collection.
 *
 * <p>Rules (see {@link ForecastSnapshot} for the figures):
 * <ul>
 *   <li>an open opportunity is worth its amount, or its budget when the amount is unknown
 *       (by {@link ForecastConfig.ValuePolicy}); its expected value is worth × probability
 *       from the model, kept exact (minor units × basis points);</li>
 *   <li>it is bucketed by its expected close date; when that date is before the as-of date it
 *       goes to the current period ({@link org.crmkit.funnel.OverduePolicy#CURRENT_PERIOD}, the
 *       default) or stays in its own past period;</li>
 *   <li>its category is the one set by hand on the opportunity, else the one its probability
 *       reaches ({@link CategoryThresholds}); a hand-set CLOSED on an open opportunity is
 *       ignored (only won deals are closed);</li>
 *   <li>a won opportunity is CLOSED, counts as actual with its actual revenue in the period of
 *       its closing transition's date in the calendar's zone (where the funnel counts it won
 *       too, whatever the zone) and converts at the rate of its close date; a lost one counts
 *       nowhere;</li>
 *   <li>a unit's plan is the one set for it or one derived from the distinct plans below it,
 *       each manager's once ({@link ForecastConfig.ParentPlanPolicy});</li>
 *   <li>open opportunities convert at the rate of the as-of date or of the budget-rate date.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe when the model and the rate provider are.
 */
public final class ForecastEngine {
    private final ForecastConfig config;
    private final ProbabilityModel model;
    private final CurrencyConverter converter;
    private final Map<ProcessId, SalesProcess> processes;
    private final Clock clock;
    private final org.crmkit.core.Visibility visibility;

    private ForecastEngine(Builder b) {
        this.config = b.config;
        this.model = b.model;
        this.converter = b.converter;
        this.processes = Map.copyOf(b.processes);
        this.clock = b.clock;
        this.visibility = b.visibility;
    }

    /**
     * Starts an engine.
     *
     * @param config the policies
     * @return a builder
     */
    public static Builder builder(ForecastConfig config) {
        return new Builder(Objects.requireNonNull(config, "config"));
    }

    /**
     * The policies.
     *
     * @return the configuration
     */
    public ForecastConfig config() {
        return config;
    }

    /**
     * The probability model.
     *
     * @return the model
     */
    public ProbabilityModel model() {
        return model;
    }

    /**
     * Classifies opportunities as of today (by the engine's clock, in the calendar's zone): the
     * convenience for a plain collection, on the same path as a store (the opportunities are
     * grouped into per-owner {@link ForecastStats} by {@link ForecastReference}, then forecast).
     * A probability model that needs the whole opportunity is applied to each one while grouping.
     *
     * @param opportunities the opportunities, any status
     * @return the snapshot
     * @throws NotFoundException when an open opportunity's process was not given to the engine
     * @throws org.crmkit.core.MissingExchangeRateException when a needed rate is missing
     * @throws ValidationException when the model returns a probability outside 0..10000
     */
    public ForecastSnapshot snapshot(Collection<Opportunity> opportunities) {
        return snapshot(opportunities, config.calendar().today(clock));
    }

    /**
     * Classifies opportunities as of a date (see {@link #snapshot(Collection)}).
     *
     * @param opportunities the opportunities, any status
     * @param asOf the as-of date: overdue is judged and open rates taken against it
     * @return the snapshot
     * @throws NotFoundException when an open opportunity's process was not given to the engine
     * @throws org.crmkit.core.MissingExchangeRateException when a needed rate is missing
     * @throws ValidationException when the model returns a probability outside 0..10000
     */
    public ForecastSnapshot snapshot(Collection<Opportunity> opportunities, LocalDate asOf) {
        Objects.requireNonNull(opportunities, "opportunities");
        return snapshot(ForecastReference.source(opportunities, ForecastSnapshot.perOpportunity(model, processes)),
                asOf, null);
    }

    /**
     * What the forecast said at a past instant: each opportunity as it was then
     * ({@link Opportunity#asOf}: amount, close date, probability, category, owner and stage of
     * then), classified as of that instant's date in the calendar's zone. Opportunities created
     * after the instant are left out. Reconstructing takes the opportunities' whole history, so
     * this is the in-memory path (every opportunity as an object).
     *
     * @param opportunities the opportunities as they are now, with their history
     * @param instant the instant the forecast is wanted for
     * @return the snapshot of then
     * @throws NotFoundException when an open opportunity's process was not given to the engine
     * @throws org.crmkit.core.MissingExchangeRateException when a needed rate is missing
     */
    public ForecastSnapshot snapshotAt(Collection<Opportunity> opportunities, java.time.Instant instant) {
        Objects.requireNonNull(opportunities, "opportunities");
        Objects.requireNonNull(instant, "instant");
        List<Opportunity> then = new java.util.ArrayList<>(opportunities.size());
        for (Opportunity o : opportunities) {
            o.asOf(instant).ifPresent(then::add);
        }
        return snapshot(then, config.calendar().dateOf(instant));
    }

    /**
     * Forecasts a source's opportunities as of today, from its per-owner aggregates: a store
     * groups in SQL, the in-memory columns scan primitives; no opportunity is read as an
     * object. The probability model must decide from process, stage and own probability
     * ({@link ProbabilityModel#probabilityBasisPoints(SalesProcess, String, int)}), as the
     * built-in ones do.
     *
     * @param source the source (a {@code CrmStore}, {@code OpportunityColumns}, ...)
     * @return the snapshot
     * @throws NotFoundException when an open opportunity's process was not given to the engine
     * @throws ValidationException when the model needs whole opportunities or returns a probability outside 0..10000
     */
    public ForecastSnapshot snapshot(ForecastSource source) {
        return snapshot(source, config.calendar().today(clock), null);
    }

    /**
     * Forecasts a source's opportunities as of a date, over every period or over a window of
     * whole forecast buckets (the source is asked only for the opportunities counting in it).
     *
     * @param source the source
     * @param asOf the as-of date: overdue is judged and open rates taken against it
     * @param window whole forecast periods, or null for every period
     * @return the snapshot
     * @throws NotFoundException when an open opportunity's process was not given to the engine
     * @throws ValidationException when the model needs whole opportunities, returns a probability outside 0..10000,
     *     or the window is not made of whole buckets
     */
    public ForecastSnapshot snapshot(ForecastSource source, LocalDate asOf, Period window) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(asOf, "asOf");
        if (window != null) {
            boolean aligned = config.calendar().periodOf(config.periodType(), window.start()).start()
                    .equals(window.start())
                    && config.calendar().periodOf(config.periodType(), window.lastDay()).end().equals(window.end());
            ValidationException.require(aligned, "window", window,
                    "a period made of whole " + config.periodType() + " periods of the forecast calendar");
        }
        // every question reaches the source narrowed to the viewer's owners, now and later
        ForecastSource visible = visibility == null ? source
                : org.crmkit.funnel.spi.VisibleSources.forecast(source, visibility);
        return ForecastSnapshot.build(config, model, converter, processes, visible,
                ForecastSnapshot.queryOf(config, asOf, window), visibility);
    }

    /**
     * Places the open deals in future months by a measured timing model instead of by their
     * expected close dates (see {@link TimingForecast}), with this engine's calendar, reporting
     * currency, value policy, open-rate policy and exchange rates. The deals' state is read as
     * of the model's as-of instant.
     *
     * @param timing the timing model (its as-of instant is the forecast's)
     * @param opportunities the opportunities, any status (only those open as of the model's instant count)
     * @param horizonMonths how many months to place deals in, 1..120; the first is the as-of month
     * @return the timing forecast
     * @throws NotFoundException when an opportunity's process is unknown to the model
     * @throws org.crmkit.core.MissingExchangeRateException when a needed rate is missing
     */
    public TimingForecast timingForecast(TimeToCloseModel timing, Iterable<Opportunity> opportunities,
            int horizonMonths) {
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(opportunities, "opportunities");
        Iterable<Opportunity> visible = opportunities;
        if (visibility != null && !visibility.isUnrestricted()) {
            java.util.List<Opportunity> seen = new java.util.ArrayList<>();
            opportunities.forEach(o -> {
                if (visibility.sees(o.owner())) {
                    seen.add(o);
                }
            });
            visible = seen;
        }
        return TimingForecast.build(config, converter, timing, visible, horizonMonths);
    }

    CurrencyConverter converter() {
        return converter;
    }

    Map<ProcessId, SalesProcess> processes() {
        return processes;
    }

    org.crmkit.core.Visibility visibility() {
        return visibility;
    }

    @Override
    public String toString() {
        return "ForecastEngine[" + config.periodType() + ", " + config.reportingCurrency().getCurrencyCode()
                + ", model=" + model.name() + ", processes=" + processes.keySet() + "]";
    }

    /** Wires an engine; {@link #build()} checks it. */
    public static final class Builder {
        private final ForecastConfig config;
        private ProbabilityModel model = ProbabilityModels.own();
        private CurrencyConverter converter = CurrencyConverter.identityOnly();
        private final Map<ProcessId, SalesProcess> processes = new HashMap<>();
        private Clock clock;
        private org.crmkit.core.Visibility visibility;

        private Builder(ForecastConfig config) {
            this.config = config;
        }

        /**
         * The probability model; default {@link ProbabilityModels#own()}.
         *
         * @param value the model
         * @return this builder
         */
        public Builder probabilityModel(ProbabilityModel value) {
            this.model = Objects.requireNonNull(value, "probabilityModel");
            return this;
        }

        /**
         * The caller's dated exchange rates; default: none (only the reporting currency converts).
         *
         * @param provider the provider (crmkit makes no network access)
         * @return this builder
         */
        public Builder exchangeRates(ExchangeRateProvider provider) {
            this.converter = CurrencyConverter.of(provider);
            return this;
        }

        /**
         * A converter to share its rate cache with other reports.
         *
         * @param value the converter
         * @return this builder
         */
        public Builder converter(CurrencyConverter value) {
            this.converter = Objects.requireNonNull(value, "converter");
            return this;
        }

        /**
         * Adds the processes the opportunities follow.
         *
         * @param values the processes
         * @return this builder
         * @throws ValidationException when two processes share an id
         */
        public Builder processes(Collection<SalesProcess> values) {
            for (SalesProcess p : values) {
                ValidationException.require(processes.put(p.id(), p) == null, "process.id", p.id(), "an id used once");
            }
            return this;
        }

        /**
         * Adds the processes the opportunities follow.
         *
         * @param values the processes
         * @return this builder
         */
        public Builder processes(SalesProcess... values) {
            return processes(java.util.List.of(values));
        }

        /**
         * Restricts every snapshot and timing forecast of the engine to what a viewer may see
         * ({@link org.crmkit.core.Visibility}): sources are asked about visible owners only, so
         * every figure counts visible deals only, and the snapshot says so
         * ({@link ForecastSnapshot#visibility()}, {@link ForecastSnapshot#holdsAllOf}).
         *
         * @param value what the viewer sees
         * @return this builder
         */
        public Builder visibility(org.crmkit.core.Visibility value) {
            this.visibility = Objects.requireNonNull(value, "visibility");
            return this;
        }

        /**
         * The clock "today" comes from; default the system clock in the calendar's zone.
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Builds the engine.
         *
         * @return the engine
         */
        public ForecastEngine build() {
            if (clock == null) {
                clock = Clock.system(config.calendar().zone());
            }
            return new ForecastEngine(this);
        }
    }
}
