package org.crmkit.forecast;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;
import org.crmkit.core.AmountOverflowException;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.ManagerId;
import org.crmkit.core.NotFoundException;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.ProcessId;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.UnitId;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.money.CurrencyConverter;
import org.crmkit.forecast.internal.BernoulliSums;
import org.crmkit.forecast.spi.ProbabilityModel;
import org.crmkit.funnel.OverduePolicy;
import org.crmkit.funnel.spi.ForecastCell;
import org.crmkit.funnel.spi.ForecastDeal;
import org.crmkit.funnel.spi.ForecastQuery;
import org.crmkit.funnel.spi.ForecastSource;
import org.crmkit.funnel.spi.ForecastStats;
import org.crmkit.funnel.spi.OwnerAggregates;

/**
 * A forecast of a {@link ForecastSource}'s opportunities as of a date, built by a
 * {@link ForecastEngine} from the source's per-owner {@link ForecastStats}: each owner's cells
 * classified once (probability from the model, category, period, rate date) into mergeable
 * cells keyed by (period, category, currency, rate date) holding exact sums in minor units
 * (count, amount, amount × basis points), and the exact moments the revenue distribution needs.
 * A node's figures are the merge of its distinct members' cells, each cell converted once to
 * the reporting currency with an exact product, so a node counts each opportunity once and the
 * forecast of a partition sums exactly to the forecast of the whole. No opportunity is read as
 * an object: drill-downs (lines, large deals, the draws of a small node's distribution) ask the
 * source for the few {@link ForecastDeal}s they show.
 *
 * <p>Sums are exact {@code long}s: one opportunity's weighted value (amount × basis points)
 * always fits, because the model bounds every amount ({@link org.crmkit.core.StoreLimits});
 * a sum of very many large ones that would leave the range is an
 * {@link AmountOverflowException} naming the figure, never a wrong figure.
 *
 * <p>Immutable and thread-safe when the source is.
 */
public final class ForecastSnapshot {
    private static final double[] QUANTILES = {0.10, 0.50, 0.90};
    /** Standard normal quantiles of {@link #QUANTILES}. */
    private static final double[] NORMAL_Z = {-1.2815515655446004, 0.0, 1.2815515655446004};
    /** Shevtsova's (2010) constant of the Berry–Esseen bound for independent, not identically distributed terms. */
    private static final double BERRY_ESSEEN = 0.56;

    private record CellKey(Period period, ForecastCategory category, CurrencyUnit currency, LocalDate rateDate) {
    }

    /** A group of open deals that share period, currency, rate date and probability (for exact moments). */
    private record MomentKey(Period period, CurrencyUnit currency, LocalDate rateDate, int basisPoints) {
    }

    /** How the engine reads one cell of a source. */
    private record Classified(Period period, ForecastCategory category, boolean byHand, int basisPoints,
            ForecastLine.ValueBasis basis, LocalDate rateDate, boolean valueCounts) {
    }

    private final ForecastConfig config;
    private final org.crmkit.core.Visibility visibility;
    private final CurrencyConverter converter;
    private final LocalDate asOf;
    private final String modelName;
    private final ConversionBasis conversion;
    private final ForecastSource source;
    private final ForecastQuery query;
    private final Classifier classifier;
    private final Map<ManagerId, Map<CellKey, long[]>> cellsByOwner;
    private final Map<ManagerId, Map<MomentKey, ForecastStats.Sums>> momentsByOwner;

    private ForecastSnapshot(ForecastConfig config, CurrencyConverter converter, LocalDate asOf, String modelName,
            ForecastSource source, ForecastQuery query, Classifier classifier,
            Map<ManagerId, Map<CellKey, long[]>> cellsByOwner,
            Map<ManagerId, Map<MomentKey, ForecastStats.Sums>> momentsByOwner, org.crmkit.core.Visibility visibility) {
        this.visibility = visibility;
        this.config = config;
        this.converter = converter;
        this.asOf = asOf;
        this.modelName = modelName;
        this.conversion = new ConversionBasis(config.reportingCurrency().getCurrencyCode(), config.openRatePolicy(),
                openRateDate(config, asOf));
        this.source = source;
        this.query = query;
        this.classifier = classifier;
        this.cellsByOwner = cellsByOwner;
        this.momentsByOwner = momentsByOwner;
    }

    private static LocalDate openRateDate(ForecastConfig config, LocalDate asOf) {
        return config.openRatePolicy() == ForecastConfig.OpenRatePolicy.BUDGET_RATE ? config.budgetRateDate() : asOf;
    }

    /**
     * The query a snapshot asks its source.
     *
     * @param config the policies
     * @param asOf the as-of date
     * @param window whole forecast buckets, or null for every period
     * @return the query
     */
    static ForecastQuery queryOf(ForecastConfig config, LocalDate asOf, Period window) {
        return new ForecastQuery(null, asOf, config.overduePolicy() == OverduePolicy.CURRENT_PERIOD,
                config.reportingCurrency(), window, config.calendar().zone());
    }

    /**
     * Turns a source's cells into the engine's terms: the model's probability (cached per
     * process, stage and own probability), the category, the period and the rate date.
     */
    private static final class Classifier {
        private final ForecastConfig config;
        private final ProbabilityModel model;
        private final Map<ProcessId, SalesProcess> processes;
        private final LocalDate openRateDate;
        private final Map<java.time.YearMonth, Period> periodOfMonth = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<ForecastCell, Classified> cache = new java.util.concurrent.ConcurrentHashMap<>();

        Classifier(ForecastConfig config, ProbabilityModel model, Map<ProcessId, SalesProcess> processes,
                LocalDate asOf) {
            this.config = config;
            this.model = model;
            this.processes = processes;
            this.openRateDate = openRateDate(config, asOf);
        }

        Classified classify(ForecastCell cell) {
            Classified c = cache.get(cell);
            if (c == null) {
                c = compute(cell);
                cache.put(cell, c);
            }
            return c;
        }

        private Classified compute(ForecastCell cell) {
            Period period = periodOfMonth.computeIfAbsent(cell.month(),
                    m -> config.calendar().periodOf(config.periodType(), m.atDay(1)));
            if (!cell.isOpen()) {
                return new Classified(period, ForecastCategory.CLOSED, false, ProbabilityModel.ONE,
                        ForecastLine.ValueBasis.ACTUAL_REVENUE, cell.rateDay() == null ? openRateDate : cell.rateDay(),
                        true);
            }
            int bp = cell.modelBasisPoints();
            if (bp < 0) {
                SalesProcess process = processes.get(cell.process());
                if (process == null) {
                    throw new NotFoundException("process", cell.process().value());
                }
                java.util.OptionalInt decided = model.probabilityBasisPoints(process, cell.stage(), cell.probability());
                if (decided.isEmpty()) {
                    throw new ValidationException("probabilityModel", model.name(),
                            "a model that decides from process, stage and own probability, to forecast from a"
                                    + " source; a model that needs the whole opportunity forecasts a collection");
                }
                bp = decided.getAsInt();
                if (bp < 0 || bp > ProbabilityModel.ONE) {
                    // the name is built only on failure: this runs once per cell and owner
                    throw new ValidationException("probability(" + model.name() + ", " + cell.process().value()
                            + "/" + cell.stage() + ")", bp, "basis points 0..10000");
                }
            }
            ForecastCategory set = cell.handCategory();
            boolean byHand = set != null && set != ForecastCategory.CLOSED;
            ForecastCategory category = byHand ? set : config.thresholds().categoryOf(bp);
            ForecastLine.ValueBasis basis;
            boolean counts = true;
            switch (cell.basis()) {
                case AMOUNT -> basis = ForecastLine.ValueBasis.AMOUNT;
                case BUDGET -> {
                    counts = config.valuePolicy() == ForecastConfig.ValuePolicy.AMOUNT_OR_BUDGET;
                    basis = counts ? ForecastLine.ValueBasis.BUDGET : ForecastLine.ValueBasis.NONE;
                }
                default -> basis = ForecastLine.ValueBasis.NONE;
            }
            return new Classified(period, category, byHand, bp, basis, openRateDate, counts);
        }
    }

    /**
     * A probability model as the per-opportunity function a source over objects applies while
     * grouping, checking its range with the opportunity named.
     */
    static java.util.function.ToIntFunction<Opportunity> perOpportunity(ProbabilityModel model,
            Map<ProcessId, SalesProcess> processes) {
        return o -> {
            SalesProcess process = processes.get(o.processId());
            if (process == null) {
                throw new NotFoundException("process", o.processId().value());
            }
            int bp = model.probabilityBasisPoints(o, process);
            if (bp < 0 || bp > ProbabilityModel.ONE) {
                // the name is built only on failure: this runs once per opportunity
                throw new ValidationException("probability(" + model.name() + ", " + o.id().value() + ")", bp,
                        "basis points 0..10000");
            }
            return bp;
        };
    }

    static ForecastSnapshot build(ForecastConfig config, ProbabilityModel model, CurrencyConverter converter,
            Map<ProcessId, SalesProcess> processes, ForecastSource source, ForecastQuery query,
            org.crmkit.core.Visibility visibility) {
        Classifier classifier = new Classifier(config, model, processes, query.asOf());
        OwnerAggregates<ForecastStats> stats = source.forecast(query);
        Map<ManagerId, Map<CellKey, long[]>> cells = new HashMap<>();
        Map<ManagerId, Map<MomentKey, ForecastStats.Sums>> moments = new HashMap<>();
        stats.forEachIn(0, (owner, st) -> {
            Map<CellKey, long[]> own = new HashMap<>();
            Map<MomentKey, ForecastStats.Sums> ownMoments = new HashMap<>();
            st.cells().forEach((cell, sums) -> {
                Classified c = classifier.classify(cell);
                long value = c.valueCounts() ? sums.value() : 0;
                long weighted = AmountOverflowException.multiply(value, c.basisPoints(), "weighted amount",
                        cell.currency());
                long[] acc = own.computeIfAbsent(new CellKey(c.period(), c.category(), cell.currency(), c.rateDate()),
                        k -> new long[3]);
                acc[0] = AmountOverflowException.add(acc[0], sums.count(), "opportunity count");
                acc[1] = AmountOverflowException.add(acc[1], value, "forecast amount", cell.currency());
                acc[2] = AmountOverflowException.add(acc[2], weighted, "weighted amount", cell.currency());
                if (cell.isOpen() && c.category() != ForecastCategory.OMITTED) {
                    ForecastStats.Sums m = c.valueCounts() ? sums
                            : new ForecastStats.Sums(sums.count(), 0, java.math.BigInteger.ZERO,
                                    java.math.BigInteger.ZERO);
                    ownMoments.merge(new MomentKey(c.period(), cell.currency(), c.rateDate(), c.basisPoints()), m,
                            ForecastSnapshot::plus);
                }
            });
            cells.put(owner, own);
            moments.put(owner, ownMoments);
        });
        // every rate a figure will need is asked now, so a missing one fails the snapshot, not a later figure
        java.util.Set<java.util.Map.Entry<CurrencyUnit, LocalDate>> rates = new java.util.HashSet<>();
        cells.values().forEach(m -> m.keySet().forEach(k -> {
            if (rates.add(java.util.Map.entry(k.currency(), k.rateDate()))) {
                converter.rate(k.currency(), config.reportingCurrency(), k.rateDate());
            }
        }));
        return new ForecastSnapshot(config, converter, query.asOf(), model.name(), source, query, classifier,
                Map.copyOf(cells), Map.copyOf(moments), visibility);
    }

    private static ForecastStats.Sums plus(ForecastStats.Sums a, ForecastStats.Sums b) {
        return new ForecastStats.Sums(AmountOverflowException.add(a.count(), b.count(), "opportunity count"),
                AmountOverflowException.add(a.value(), b.value(), "forecast value"), a.squares().add(b.squares()),
                a.cubes().add(b.cubes()));
    }

    /** A deal of the source as a forecast line. */
    private ForecastLine lineOf(ForecastDeal d) {
        Classified c = classifier.classify(d.cell());
        CurrencyUnit currency = d.cell().currency();
        int digits = Amounts.fractionDigits(currency);
        long minor = c.valueCounts() ? d.value() : 0;
        long weighted = AmountOverflowException.multiply(minor, c.basisPoints(), "weighted amount", currency);
        LocalDate rateDate = d.cell().isOpen() ? c.rateDate() : d.closeDate();
        BigDecimal rate = converter.rate(currency, config.reportingCurrency(), rateDate);
        BigDecimal original = BigDecimal.valueOf(minor, digits);
        return new ForecastLine(d.id(), d.owner(), d.cell().status(), c.period(), d.cell().overdue(), c.category(),
                c.byHand(), c.basisPoints(), c.basis(), currency.getCurrencyCode(), original, rateDate,
                convert(original, rate), convert(BigDecimal.valueOf(weighted, digits + 4), rate));
    }

    private List<ForecastLine> linesOf(ForecastQuery q, Map<CurrencyUnit, Long> minValue) {
        List<ForecastLine> out = new ArrayList<>();
        try (java.util.stream.Stream<ForecastDeal> deals = source.forecastDeals(q, minValue)) {
            deals.forEach(d -> out.add(lineOf(d)));
        }
        out.sort(Comparator.comparing((ForecastLine l) -> l.owner().value()).thenComparing(l -> l.id().value()));
        return out;
    }

    private static BigDecimal convert(BigDecimal value, BigDecimal rate) {
        return rate.compareTo(BigDecimal.ONE) == 0 ? value : value.multiply(rate);
    }

    /**
     * The as-of date.
     *
     * @return the date overdue deals are judged and open rates taken against
     */
    public LocalDate asOf() {
        return asOf;
    }

    /**
     * What the snapshot's viewer may see, when the engine had one: every figure of the snapshot
     * (lines, node forecasts, roll-ups, plan vs actual, distributions, large deals) counts only
     * the deals of visible owners, so a parent's figures are the total of its visible part.
     *
     * @return the visibility, empty when the snapshot holds the whole source
     */
    public java.util.Optional<org.crmkit.core.Visibility> visibility() {
        return java.util.Optional.ofNullable(visibility);
    }

    /**
     * Whether the snapshot holds every deal of a node, or only the part its viewer may see: a
     * figure of a node for which this is false is the total of the visible part.
     *
     * @param org the org structure
     * @param node the node
     * @return true when no owner of the node is hidden from the snapshot's viewer
     */
    public boolean holdsAllOf(OrgStructure org, OrgNodeId node) {
        return visibility == null || visibility.seesAll(org.membersOf(node));
    }

    /**
     * How figures are converted.
     *
     * @return the conversion basis
     */
    public ConversionBasis conversion() {
        return conversion;
    }

    /**
     * Every line: one per open or won opportunity of the snapshot (lost ones left out), by owner
     * then id. Read from the source on each call (one row per opportunity): a drill-down, not
     * the way to total a large book.
     *
     * @return the lines, unmodifiable
     */
    public List<ForecastLine> lines() {
        return Collections.unmodifiableList(linesOf(query, null));
    }

    /**
     * The lines of the opportunities owned by a node's distinct members, by owner then id; read
     * from the source on each call.
     *
     * @param org the org structure
     * @param node the node
     * @return the lines, unmodifiable
     * @throws NotFoundException when the node is unknown
     */
    public List<ForecastLine> lines(OrgStructure org, OrgNodeId node) {
        Set<ManagerId> members = org.membersOf(node);
        if (members.isEmpty()) {
            return List.of();
        }
        return Collections.unmodifiableList(linesOf(query.withOwners(members), null));
    }

    /**
     * The forecast of every opportunity of the snapshot.
     *
     * @return the forecast per period
     */
    public Forecast forecast() {
        return forecastOf(cellsByOwner.keySet());
    }

    /**
     * The forecast of a node: the opportunities of its distinct members, each counted once.
     *
     * @param org the org structure
     * @param node a manager or unit
     * @return the forecast per period
     * @throws NotFoundException when the node is unknown
     */
    public Forecast forecast(OrgStructure org, OrgNodeId node) {
        return forecastOf(org.membersOf(Objects.requireNonNull(node, "node")));
    }

    /**
     * The forecast of the opportunities of a set of owners.
     *
     * @param owners the owners
     * @return the forecast per period
     */
    public Forecast forecastOf(Set<ManagerId> owners) {
        Objects.requireNonNull(owners, "owners");
        TreeMap<Period, PeriodForecast> periods = periodForecasts(owners);
        long count = 0;
        for (PeriodForecast p : periods.values()) {
            count += p.closed().count() + p.openPipeline().count() + p.omitted().count();
        }
        return new Forecast(asOf, modelName, conversion, config.periodType(), count, new ArrayList<>(periods.values()));
    }

    private Map<CellKey, long[]> merged(Set<ManagerId> owners) {
        Map<CellKey, long[]> out = new HashMap<>();
        for (ManagerId m : owners) {
            Map<CellKey, long[]> cells = cellsByOwner.get(m);
            if (cells == null) {
                continue;
            }
            cells.forEach((k, v) -> {
                long[] acc = out.computeIfAbsent(k, x -> new long[3]);
                acc[0] = AmountOverflowException.add(acc[0], v[0], "opportunity count");
                acc[1] = AmountOverflowException.add(acc[1], v[1], "forecast amount", k.currency());
                acc[2] = AmountOverflowException.add(acc[2], v[2], "weighted amount", k.currency());
            });
        }
        return out;
    }

    private TreeMap<Period, PeriodForecast> periodForecasts(Set<ManagerId> owners) {
        CurrencyUnit reporting = config.reportingCurrency();
        TreeMap<Period, Map<ForecastCategory, Figure>> figures = new TreeMap<>();
        for (Map.Entry<CellKey, long[]> e : merged(owners).entrySet()) {
            CellKey k = e.getKey();
            long[] v = e.getValue();
            int digits = Amounts.fractionDigits(k.currency());
            BigDecimal rate = converter.rate(k.currency(), reporting, k.rateDate());
            Figure f = new Figure(v[0], convert(BigDecimal.valueOf(v[1], digits), rate),
                    convert(BigDecimal.valueOf(v[2], digits + 4), rate));
            figures.computeIfAbsent(k.period(), p -> new EnumMap<>(ForecastCategory.class))
                    .merge(k.category(), f, Figure::plus);
        }
        TreeMap<Period, PeriodForecast> out = new TreeMap<>();
        figures.forEach((p, m) -> out.put(p, PeriodForecast.of(p, m.getOrDefault(ForecastCategory.CLOSED, Figure.ZERO),
                m.getOrDefault(ForecastCategory.COMMIT, Figure.ZERO),
                m.getOrDefault(ForecastCategory.BEST_CASE, Figure.ZERO),
                m.getOrDefault(ForecastCategory.PIPELINE, Figure.ZERO),
                m.getOrDefault(ForecastCategory.OMITTED, Figure.ZERO))));
        return out;
    }

    private void requireAligned(Period period) {
        Objects.requireNonNull(period, "period");
        boolean aligned = config.calendar().periodOf(config.periodType(), period.start()).start().equals(period.start())
                && config.calendar().periodOf(config.periodType(), period.lastDay()).end().equals(period.end());
        ValidationException.require(aligned, "period", period,
                "a period made of whole " + config.periodType() + " periods of the forecast calendar");
    }

    private PeriodForecast periodForecast(Set<ManagerId> owners, Period period) {
        requireAligned(period);
        PeriodForecast sum = PeriodForecast.empty(period);
        for (PeriodForecast p : periodForecasts(owners).values()) {
            if (!p.period().start().isBefore(period.start()) && !p.period().end().isAfter(period.end())) {
                sum = sum.plus(PeriodForecast.of(period, p.closed(), p.commit(), p.bestCase(), p.pipeline(),
                        p.omitted()));
            }
        }
        return sum;
    }

    /**
     * The forecast of a node for one period, which may span several buckets (a year of a
     * quarterly forecast) but must be made of whole ones.
     *
     * @param org the org structure
     * @param node the node
     * @param period the period
     * @return the forecast, zero when nothing falls in it
     * @throws ValidationException when the period does not align with the buckets
     * @throws NotFoundException when the node is unknown
     */
    public PeriodForecast periodForecast(OrgStructure org, OrgNodeId node, Period period) {
        return periodForecast(org.membersOf(node), period);
    }

    /**
     * The roll-up of a node and everything below it, with the managers' adjustments beside
     * the computed figures. Each node's figures come from its own distinct members; an
     * adjustment belongs to the node it names and never changes a computed figure, its own
     * or its parent's.
     *
     * @param org the org structure
     * @param node the top node
     * @param adjustments adjustments of any nodes (those of other nodes are ignored)
     * @return the roll-up tree
     * @throws ValidationException when an adjustment is not in the reporting currency or its period is not aligned
     * @throws NotFoundException when the node is unknown
     */
    public NodeForecast rollUp(OrgStructure org, OrgNodeId node, Collection<ForecastAdjustment> adjustments) {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(adjustments, "adjustments");
        String reporting = config.reportingCurrency().getCurrencyCode();
        Map<OrgNodeId, List<ForecastAdjustment>> byNode = new HashMap<>();
        for (ForecastAdjustment a : adjustments) {
            ValidationException.require(a.currency().equals(reporting), "adjustment.currency", a.currency(),
                    "the reporting currency " + reporting);
            requireAligned(a.period());
            byNode.computeIfAbsent(a.node(), k -> new ArrayList<>()).add(a);
        }
        return rollUp(org, node, byNode);
    }

    private NodeForecast rollUp(OrgStructure org, OrgNodeId node, Map<OrgNodeId, List<ForecastAdjustment>> byNode) {
        Set<ManagerId> owners = org.membersOf(node);
        TreeMap<Period, PeriodForecast> computed = periodForecasts(owners);
        List<ForecastAdjustment> own = new ArrayList<>(byNode.getOrDefault(node, List.of()));
        own.sort(Comparator.comparing(ForecastAdjustment::at));
        Map<Period, List<ForecastAdjustment>> ownByPeriod = new TreeMap<>();
        for (ForecastAdjustment a : own) {
            ownByPeriod.computeIfAbsent(a.period(), k -> new ArrayList<>()).add(a);
        }
        TreeSet<Period> allPeriods = new TreeSet<>(computed.keySet());
        allPeriods.addAll(ownByPeriod.keySet());
        List<NodePeriodForecast> periods = new ArrayList<>();
        for (Period p : allPeriods) {
            PeriodForecast pf = computed.containsKey(p) ? computed.get(p) : periodForecast(owners, p);
            List<AdjustedFigure> adjusted = new ArrayList<>();
            Map<ForecastFigure, List<ForecastAdjustment>> byFigure = new EnumMap<>(ForecastFigure.class);
            for (ForecastAdjustment a : ownByPeriod.getOrDefault(p, List.of())) {
                byFigure.computeIfAbsent(a.figure(), k -> new ArrayList<>()).add(a);
            }
            byFigure.forEach((f, list) -> adjusted.add(new AdjustedFigure(f, pf.value(f),
                    list.get(list.size() - 1).value(), list)));
            periods.add(new NodePeriodForecast(pf, adjusted));
        }
        List<NodeForecast> children = new ArrayList<>();
        if (node instanceof UnitId unit) {
            for (OrgNodeId child : org.childrenOf(unit)) {
                children.add(rollUp(org, child, byNode));
            }
        }
        return new NodeForecast(node, org.nameOf(node), owners.size(), conversion, periods, children);
    }

    /**
     * Plan vs actual vs forecast of a node for a period, with large deals.
     *
     * @param org the org structure
     * @param node the node
     * @param period the period of the plan, made of whole forecast buckets
     * @param plans the plans (of any nodes and periods); plans in another currency convert at the open rate
     * @return the comparison
     * @throws ValidationException when the period does not align with the buckets
     * @throws NotFoundException when the node is unknown
     * @throws org.crmkit.core.MissingExchangeRateException when a plan's rate is missing
     */
    public PlanVsActual planVsActual(OrgStructure org, OrgNodeId node, Period period, Collection<SalesPlan> plans) {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(plans, "plans");
        Set<ManagerId> owners = org.membersOf(node);
        PeriodForecast pf = periodForecast(owners, period);
        Map<OrgNodeId, SalesPlan> plansOfPeriod = new HashMap<>();
        for (SalesPlan p : plans) {
            if (p.period().start().equals(period.start()) && p.period().end().equals(period.end())) {
                plansOfPeriod.put(p.node(), p);
            }
        }
        PlanResolution.Resolved resolved = PlanResolution.resolve(config, org, node, plansOfPeriod, this::toReporting);
        BigDecimal plan = resolved.plan();
        BigDecimal actual = pf.actual();
        BigDecimal weighted = pf.weightedOpen();
        BigDecimal projected = pf.projected();
        MathContext mc = MathContext.DECIMAL64;
        BigDecimal attainment = null;
        BigDecimal projectedAttainment = null;
        BigDecimal remaining = null;
        BigDecimal gap = null;
        BigDecimal coverage = null;
        BigDecimal unweightedCoverage = null;
        BigDecimal threshold = null;
        List<ForecastLine> large = new ArrayList<>();
        BigDecimal largeWeighted = BigDecimal.ZERO;
        if (plan != null) {
            if (plan.signum() > 0) {
                attainment = actual.divide(plan, mc);
                projectedAttainment = projected.divide(plan, mc);
            }
            remaining = plan.subtract(actual);
            gap = plan.subtract(projected);
            if (remaining.signum() > 0) {
                coverage = weighted.divide(remaining, mc);
                unweightedCoverage = pf.openPipeline().amount().divide(remaining, mc);
            }
            threshold = plan.multiply(config.largeDealShare());
            for (ForecastLine l : largeDeals(owners, period, threshold)) {
                large.add(l);
                largeWeighted = largeWeighted.add(l.expected());
            }
            large.sort(Comparator.comparing(ForecastLine::amount).reversed()
                    .thenComparing(l -> l.id().value()));
        }
        BigDecimal weightedWithout = weighted.subtract(largeWeighted);
        return new PlanVsActual(node, period, conversion, plan, resolved.source(), pf, actual, weighted, projected,
                attainment, projectedAttainment, remaining, gap, coverage, unweightedCoverage, threshold, large,
                weightedWithout, actual.add(weightedWithout));
    }

    private static boolean within(Period inner, Period outer) {
        return !inner.start().isBefore(outer.start()) && !inner.end().isAfter(outer.end());
    }

    private BigDecimal toReporting(MonetaryAmount amount) {
        return converter.convert(Amounts.decimal(amount), amount.getCurrency(), config.reportingCurrency(),
                conversion.openRateDate());
    }

    /**
     * The revenue distribution of every opportunity of the snapshot in a period.
     *
     * @param period the period, made of whole forecast buckets
     * @return the distribution
     * @throws ValidationException when the period does not align with the buckets
     */
    public RevenueDistribution distribution(Period period) {
        return distributionOf(cellsByOwner.keySet(), period);
    }

    /**
     * The revenue distribution of a node in a period.
     *
     * @param org the org structure
     * @param node the node
     * @param period the period, made of whole forecast buckets
     * @return the distribution
     * @throws ValidationException when the period does not align with the buckets
     * @throws NotFoundException when the node is unknown
     */
    public RevenueDistribution distribution(OrgStructure org, OrgNodeId node, Period period) {
        return distributionOf(org.membersOf(node), period);
    }

    /**
     * The open deals of some owners in a period worth more than a threshold in the reporting
     * currency: the source is asked only for deals above each currency's threshold in its minor
     * units (one below the exact bound, so rounding cannot lose one), then compared exactly.
     */
    private List<ForecastLine> largeDeals(Set<ManagerId> owners, Period period, BigDecimal threshold) {
        if (owners.isEmpty()) {
            return List.of();
        }
        CurrencyUnit reporting = config.reportingCurrency();
        LocalDate openRate = conversion.openRateDate();
        Map<CurrencyUnit, Long> minValue = new HashMap<>();
        for (ManagerId m : owners) {
            for (CellKey k : cellsByOwner.getOrDefault(m, Map.of()).keySet()) {
                if (k.category() == ForecastCategory.CLOSED || minValue.containsKey(k.currency())) {
                    continue;
                }
                BigDecimal rate = converter.rate(k.currency(), reporting, openRate);
                if (rate.signum() <= 0) {
                    continue;
                }
                BigDecimal minor = threshold.movePointRight(Amounts.fractionDigits(k.currency()))
                        .divide(rate, 0, RoundingMode.FLOOR).subtract(BigDecimal.ONE).max(BigDecimal.valueOf(-1));
                minValue.put(k.currency(), minor.min(BigDecimal.valueOf(Long.MAX_VALUE)).longValueExact());
            }
        }
        if (minValue.isEmpty()) {
            return List.of();
        }
        List<ForecastLine> out = new ArrayList<>();
        for (ForecastLine l : linesOf(query.withOwners(owners).withWindow(period), minValue)) {
            if (l.countsInWeightedOpen() && l.amount().compareTo(threshold) > 0) {
                out.add(l);
            }
        }
        return out;
    }

    /**
     * The revenue distributions of several nodes in a period, in the order the nodes are given
     * (the first of a repeated node kept). Each is the one {@link #distribution(OrgStructure,
     * OrgNodeId, Period)} returns, but the deals of every node small enough to be drawn one by
     * one are read from the source in a single drill-down, not one per node: the way to show
     * each unit's P10/P50/P90 on a dashboard.
     *
     * @param org the org structure
     * @param nodes the nodes
     * @param period the period, made of whole forecast buckets
     * @return each node's distribution, unmodifiable, in the nodes' order
     * @throws ValidationException when the period does not align with the buckets
     * @throws NotFoundException when a node is unknown
     */
    public Map<OrgNodeId, RevenueDistribution> distributions(OrgStructure org, Collection<? extends OrgNodeId> nodes,
            Period period) {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(nodes, "nodes");
        requireAligned(period);
        Map<OrgNodeId, Set<ManagerId>> members = new java.util.LinkedHashMap<>();
        Map<OrgNodeId, Moments> moments = new HashMap<>();
        Set<ManagerId> drawn = new TreeSet<>(Comparator.comparing(ManagerId::value));
        for (OrgNodeId node : nodes) {
            Objects.requireNonNull(node, "node");
            if (members.containsKey(node)) {
                continue;
            }
            Set<ManagerId> owners = org.membersOf(node);
            Moments m = momentsOf(owners, period);
            members.put(node, owners);
            moments.put(node, m);
            if (m.drawn(config)) {
                drawn.addAll(owners);
            }
        }
        List<ForecastLine> lines = drawn.isEmpty() ? List.of()
                : linesOf(query.withOwners(drawn).withWindow(period), null);
        Map<OrgNodeId, RevenueDistribution> out = new java.util.LinkedHashMap<>();
        members.forEach((node, owners) -> {
            Moments m = moments.get(node);
            if (!m.drawn(config)) {
                out.put(node, normal(m, period));
            } else {
                List<ForecastLine> own = new ArrayList<>();
                for (ForecastLine l : lines) {
                    if (owners.contains(l.owner())) {
                        own.add(l);
                    }
                }
                out.put(node, drawn(m, period, own));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /**
     * What a distribution takes from the aggregate: the won revenue, the exact mean, variance
     * and sum of absolute third central moments of the open terms, their count and their most.
     */
    private record Moments(BigDecimal actual, BigDecimal mean, BigDecimal variance, BigDecimal thirdMoments,
            BigDecimal openMax, long count) {
        /** Whether the node's open deals are few enough to be drawn one by one. */
        boolean drawn(ForecastConfig config) {
            return count <= config.drawLimit();
        }
    }

    private Moments momentsOf(Set<ManagerId> owners, Period period) {
        CurrencyUnit reporting = config.reportingCurrency();
        BigDecimal actual = BigDecimal.ZERO;
        for (ManagerId m : owners) {
            for (Map.Entry<CellKey, long[]> e : cellsByOwner.getOrDefault(m, Map.of()).entrySet()) {
                CellKey k = e.getKey();
                if (k.category() == ForecastCategory.CLOSED && within(k.period(), period)) {
                    actual = actual.add(convert(BigDecimal.valueOf(e.getValue()[1], Amounts.fractionDigits(k.currency())),
                            converter.rate(k.currency(), reporting, k.rateDate())));
                }
            }
        }
        Map<MomentKey, ForecastStats.Sums> moments = new HashMap<>();
        long n = 0;
        for (ManagerId m : owners) {
            for (Map.Entry<MomentKey, ForecastStats.Sums> e : momentsByOwner.getOrDefault(m, Map.of()).entrySet()) {
                if (within(e.getKey().period(), period)) {
                    moments.merge(e.getKey(), e.getValue(), ForecastSnapshot::plus);
                    n += e.getValue().count();
                }
            }
        }
        BigDecimal mean = actual;
        BigDecimal variance = BigDecimal.ZERO;
        BigDecimal thirdMoments = BigDecimal.ZERO;
        BigDecimal openMax = BigDecimal.ZERO;
        for (Map.Entry<MomentKey, ForecastStats.Sums> e : moments.entrySet()) {
            MomentKey k = e.getKey();
            ForecastStats.Sums g = e.getValue();
            int d = Amounts.fractionDigits(k.currency());
            BigDecimal rate = converter.rate(k.currency(), reporting, k.rateDate());
            int bp = k.basisPoints();
            mean = mean.add(BigDecimal.valueOf(g.value()).multiply(BigDecimal.valueOf(bp)).multiply(rate)
                    .movePointLeft(d + 4));
            // Σ a² · p(1−p) = Σ minor² · rate² · bp(10000 − bp) · 10^-(2d + 8), exact.
            variance = variance.add(new BigDecimal(g.squares()).multiply(BigDecimal.valueOf((long) bp * (10_000 - bp)))
                    .multiply(rate).multiply(rate).movePointLeft(2 * d + 8));
            // E|X − μ|³ of a Bernoulli term a·B(p) is a³ · p q (p² + q²), summed exactly (so in any
            // order of the parts the bound is the same number): bp·q'·(bp² + q'²) · 10^-16 with q' = 10000 − bp
            long q = 10_000 - bp;
            BigDecimal pq = BigDecimal.valueOf((long) bp * q).multiply(BigDecimal.valueOf((long) bp * bp + q * q));
            thirdMoments = thirdMoments.add(new BigDecimal(g.cubes()).multiply(pq).multiply(rate.pow(3))
                    .movePointLeft(3 * d + 16));
            openMax = openMax.add(BigDecimal.valueOf(g.value()).multiply(rate).movePointLeft(d));
        }
        return new Moments(actual, mean, variance, thirdMoments, openMax, n);
    }

    private RevenueDistribution distributionOf(Set<ManagerId> owners, Period period) {
        requireAligned(period);
        Moments m = momentsOf(owners, period);
        if (!m.drawn(config)) {
            return normal(m, period);
        }
        return drawn(m, period, m.count() == 0 ? List.of() : linesOf(query.withOwners(owners).withWindow(period), null));
    }

    /** The normal law of the exact moments, clamped to the possible range, with its Berry–Esseen bound. */
    private RevenueDistribution normal(Moments m, Period period) {
        CurrencyUnit reporting = config.reportingCurrency();
        int digits = Amounts.fractionDigits(reporting);
        double sd = Math.sqrt(m.variance().doubleValue());
        BigDecimal[] p = new BigDecimal[3];
        for (int i = 0; i < 3; i++) {
            // revenue cannot leave [won, won + every open amount]: clamp the normal quantile
            BigDecimal x = m.mean().add(BigDecimal.valueOf(NORMAL_Z[i] * sd)).max(m.actual())
                    .min(m.actual().add(m.openMax()));
            p[i] = x.setScale(digits, RoundingMode.HALF_EVEN);
        }
        double bound = sd == 0 ? 0 : Math.min(1, BERRY_ESSEEN * m.thirdMoments().doubleValue() / (sd * sd * sd));
        return new RevenueDistribution(period, reporting.getCurrencyCode(), RevenueDistribution.Method.NORMAL,
                Math.toIntExact(m.count()), m.actual(), m.mean(), m.variance(), sd, p[0], p[1], p[2], 0, null, null,
                null, bound);
    }

    /** The node's open deals in the period (lines by owner then id) drawn one by one: exact or Monte Carlo. */
    private RevenueDistribution drawn(Moments m, Period period, List<ForecastLine> lines) {
        CurrencyUnit reporting = config.reportingCurrency();
        int digits = Amounts.fractionDigits(reporting);
        int n = Math.toIntExact(m.count());
        long[] amounts = new long[n];
        int[] bps = new int[n];
        int i = 0;
        for (ForecastLine l : lines) {
            if (l.countsInWeightedOpen()) {
                ValidationException.require(i < n, "source.forecastDeals", i + 1,
                        "the " + n + " open deals its aggregate counts in " + period);
                String currency = l.currency();
                amounts[i] = currency.equals(reporting.getCurrencyCode())
                        ? l.originalValue().unscaledValue().longValueExact()
                        : l.amount().setScale(digits, RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
                bps[i] = l.probabilityBasisPoints();
                i++;
            }
        }
        ValidationException.require(i == n, "source.forecastDeals", i,
                "the " + n + " open deals its aggregate counts in " + period);
        double sd = Math.sqrt(m.variance().doubleValue());
        BernoulliSums.Result r = BernoulliSums.percentiles(amounts, bps, QUANTILES, config.exactWorkLimit(),
                config.monteCarloTrials(), config.seed());
        BigDecimal actual = m.actual();
        BigDecimal p10 = actual.add(BigDecimal.valueOf(r.percentiles()[0], digits));
        BigDecimal p50 = actual.add(BigDecimal.valueOf(r.percentiles()[1], digits));
        BigDecimal p90 = actual.add(BigDecimal.valueOf(r.percentiles()[2], digits));
        double unit = Math.pow(10, -digits);
        boolean mc = !r.exact();
        return new RevenueDistribution(period, reporting.getCurrencyCode(),
                mc ? RevenueDistribution.Method.MONTE_CARLO : RevenueDistribution.Method.EXACT, n, actual,
                m.mean(), m.variance(), sd, p10, p50, p90, mc ? r.trials() : 0,
                mc ? config.seed() : null,
                mc ? actual.doubleValue() + r.sampleMean() * unit : null,
                mc ? r.sampleVariance() * unit * unit : null, null);
    }

    @Override
    public String toString() {
        return "ForecastSnapshot[asOf=" + asOf + ", model=" + modelName + ", " + cellsByOwner.size() + " owners, "
                + conversion + ", source=" + source + "]";
    }
}
