package org.crmkit.funnel;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.money.CurrencyUnit;
import javax.money.convert.ExchangeRateProvider;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.ManagerId;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.UnitId;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.money.CurrencyConverter;
import org.crmkit.funnel.internal.FunnelMath;
import org.crmkit.funnel.internal.FunnelTotals;
import org.crmkit.funnel.internal.KeyRules;
import org.crmkit.funnel.internal.MoneySum;
import org.crmkit.funnel.internal.OwnerFigures;
import org.crmkit.funnel.spi.BucketBy;
import org.crmkit.funnel.spi.CellKey;
import org.crmkit.funnel.spi.CellQuery;
import org.crmkit.funnel.spi.FunnelCellSource;
import org.crmkit.funnel.spi.FunnelCells;
import org.crmkit.funnel.spi.OpportunityFacts;
import org.crmkit.funnel.spi.PopulationSummary;

/**
 * The funnel engine: answers funnel queries over any node of an org structure from the
 * cells of a {@link FunnelCellSource} (an in-memory {@link OpportunityColumns}, or a store
 * that groups in SQL). Thread-safe when its source and rate provider are.
 *
 * <p>A scope resolves to the distinct owners its nodes cover
 * ({@link OrgStructure#membersOf}); the source answers for exactly those owners, so an
 * opportunity whose owner is reachable through two paths counts once.
 *
 * <p>Two ways to the figures, with equal results (property-tested): over
 * {@link OpportunityColumns} the engine scans the query's owners' rows into dense per-owner
 * figures and sums a node's distinct owners' figures, so {@link #funnels} answers a company
 * and all its units from one pass; over any other source it asks for the cells once and sums
 * each node's owners' cells. Cells ({@link #cells}) stay the exchange format between
 * processes and stores.
 *
 * <p>Instants and dates: periods are turned into instants at the start of their days in the
 * zone of the engine's fiscal calendar; "now" comes from the injected clock.
 *
 * <p>No silent gaps: a result carries {@link FunnelNotice notices} for what its figures assume
 * or leave out. The reporting currency when the query named none (the engine's default, else
 * the only currency of the population; several currencies without one is an error). The
 * opportunities of owners in no unit of the org structure, on the funnel of a root unit (left
 * out, counted in the notice) and of the whole book (counted). A manager node not in the org
 * structure (its own opportunities are reported, no error). Stage changes after "now" when
 * "now" came from the clock (a dataset running past today). The last two need the source's
 * {@link FunnelCellSource#summary summary}; a source without one reports neither.
 */
public final class FunnelEngine {
    /** The node count from which {@link #funnels} sums the nodes on the common pool. */
    private static final int PARALLEL_NODES = 16;

    private final OrgStructure org;
    private final FunnelCellSource source;
    private final CurrencyConverter converter;
    private final FiscalCalendar calendar;
    private final Clock clock;
    private final CurrencyUnit defaultCurrency;

    private FunnelEngine(Builder b) {
        this.org = b.org;
        this.source = b.source;
        this.converter = b.converter;
        this.calendar = b.calendar;
        this.clock = b.clock;
        this.defaultCurrency = b.reportingCurrency;
    }

    /**
     * Starts a builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The org structure the engine resolves scopes in.
     *
     * @return the org structure
     */
    public OrgStructure org() {
        return org;
    }

    /**
     * The fiscal calendar (zone and fiscal year) of the engine.
     *
     * @return the calendar
     */
    public FiscalCalendar calendar() {
        return calendar;
    }

    /**
     * The distinct owners a set of nodes covers: a unit's members, transitively; a manager
     * covers itself, also when it is not in the org structure (its own opportunities).
     *
     * @param nodes managers or units
     * @return the owners, sorted
     * @throws org.crmkit.core.NotFoundException when a unit is unknown
     */
    public Set<ManagerId> owners(Collection<? extends OrgNodeId> nodes) {
        Set<ManagerId> out = new TreeSet<>();
        for (OrgNodeId node : nodes) {
            out.addAll(membersOf(node));
        }
        return out;
    }

    private Set<ManagerId> membersOf(OrgNodeId node) {
        return node instanceof ManagerId m && !org.contains(m) ? Set.of(m) : org.membersOf(node);
    }

    private String nameOf(OrgNodeId node) {
        return node instanceof ManagerId m && !org.contains(m) ? m.value() : org.nameOf(node);
    }

    /**
     * The funnel of a query.
     *
     * <p>Its notices say what the figures depend on that the query did not say, or leave out:
     * the reporting currency when the query named none; on the funnel of a whole org (a root
     * unit) or of the whole book, the opportunities whose owners are in no unit; a manager of
     * the query that is not in the org structure; and, when "now" came from the engine's
     * clock, the scope's opportunities with stage changes after it.
     *
     * @param query the query
     * @return the funnel
     * @throws org.crmkit.core.NotFoundException when a unit is unknown
     * @throws org.crmkit.core.MissingExchangeRateException when a rate is missing
     * @throws ValidationException when the query cannot be answered (e.g. as of before its
     *     period, or no reporting currency and amounts in several currencies)
     */
    public FunnelResult funnel(FunnelQuery query) {
        Objects.requireNonNull(query, "query");
        Resolved r = resolve(query, query.nodes().isEmpty() ? List.of() : List.of(query.nodes()));
        OwnerParts parts = ownerParts(r.countedQuery, rules(query));
        Currency currency = currency(query, parts);
        return nodeFunnel(currency.query, r, parts, r.owners).withNotices(notices(r, r.scopes.get(0), parts, currency));
    }

    /**
     * The same funnel for each of several nodes (the "all units" roll-up): one pass over the
     * population of all the nodes' owners gives each owner's figures, and each node's funnel
     * is the sum of its distinct owners' figures, so an opportunity counts once per node
     * whatever the paths to its owner. Each result equals
     * {@code funnel(query.withNodes(List.of(node)))}; the query's own nodes are ignored (and
     * may be none). Every result is in the same reporting currency.
     *
     * @param query the query (process, mode, period, filter, currency, policy)
     * @param nodes the nodes, e.g. a company and all its units
     * @return one funnel per distinct node, in the order given, unmodifiable
     * @throws org.crmkit.core.NotFoundException when a unit is unknown
     * @throws org.crmkit.core.MissingExchangeRateException when a rate is missing
     * @throws ValidationException when {@code nodes} is empty or holds null
     */
    public Map<OrgNodeId, FunnelResult> funnels(FunnelQuery query, List<? extends OrgNodeId> nodes) {
        Objects.requireNonNull(query, "query");
        ValidationException.requireNonNull(nodes, "nodes");
        ValidationException.require(!nodes.isEmpty() && nodes.stream().allMatch(Objects::nonNull), "nodes", nodes,
                "at least one org node and no null");
        List<OrgNodeId> distinct = List.copyOf(new LinkedHashSet<>(nodes));
        Resolved r = resolve(query.withNodes(distinct), distinct.stream().map(List::of).toList());
        OwnerParts parts = ownerParts(r.countedQuery, rules(query));
        Currency currency = currency(query, parts);
        // nodes are independent sums over read-only parts: many of them are summed in parallel
        FunnelResult[] results = new FunnelResult[distinct.size()];
        IntStream range = IntStream.range(0, results.length);
        (results.length >= PARALLEL_NODES && parts.parallel() ? range.parallel() : range).forEach(i -> {
            NodeScope scope = r.scopes.get(i);
            results[i] = nodeFunnel(currency.query.withNodes(List.of(distinct.get(i))), r, parts, scope.owners)
                    .withNotices(notices(r, scope, parts, currency));
        });
        Map<OrgNodeId, FunnelResult> out = new LinkedHashMap<>();
        for (int i = 0; i < results.length; i++) {
            out.put(distinct.get(i), results[i]);
        }
        return Collections.unmodifiableMap(out);
    }

    private FunnelResult nodeFunnel(FunnelQuery nodeQuery, Resolved r, OwnerParts parts,
            Collection<ManagerId> owners) {
        FunnelTotals totals = parts.totals(nodeQuery.process().openStageCount());
        for (ManagerId m : owners) {
            parts.addTo(totals, m);
        }
        return totals.result(nodeQuery, converter, r.rateDate, r.reportedAsOf);
    }

    /**
     * The population of a cell query split by owner: figures of the columns, else the
     * source's cells summed once per owner into the same figures (so a node's sum adds
     * arrays, not its owners' cells again).
     */
    private OwnerParts ownerParts(CellQuery cellQuery, KeyRules rules) {
        if (cellQuery != null && source instanceof OpportunityColumns columns) {
            return columns.ownerParts(cellQuery, rules);
        }
        return partsOf(cellQuery == null ? FunnelCells.empty() : source.cells(cellQuery), rules);
    }

    private static OwnerParts partsOf(FunnelCells cells, KeyRules rules) {
        int n = rules.openStages();
        List<CurrencyUnit> currencies = new ArrayList<>();
        CurrencyUnit last = null;
        for (CellKey k : cells.cells().keySet()) {
            // few currencies: a list beats hashing every key's currency
            if (k.currency() != last && !currencies.contains(k.currency())) {
                currencies.add(k.currency());
            }
            last = k.currency();
        }
        Map<ManagerId, FunnelTotals> perOwner = new HashMap<>();
        cells.cells().forEach((k, m) -> perOwner.computeIfAbsent(k.owner(), o -> new FunnelTotals(n, currencies))
                .addCell(k, m, rules));
        cells.stageTimes().forEach((k, d) -> perOwner.computeIfAbsent(k.owner(), o -> new FunnelTotals(n, currencies))
                .addStageTime(k, d));
        Map<ManagerId, OwnerFigures> figures = new HashMap<>();
        perOwner.forEach((m, t) -> figures.put(m, t.toFigures()));
        return new OwnerParts(figures, currencies, true);
    }

    /**
     * The funnel of a query computed from cells the caller supplies, e.g. cells aggregated
     * elsewhere (another process, a distributed engine) and merged. They must be the cells of
     * {@link #cellQuery(FunnelQuery)}.
     *
     * @param query the query
     * @param cells the cells of the query's cell query
     * @return the funnel
     * @throws org.crmkit.core.MissingExchangeRateException when a rate is missing
     */
    public FunnelResult funnel(FunnelQuery query, FunnelCells cells) {
        Objects.requireNonNull(cells, "cells");
        Resolved r = resolve(query, List.of());
        Currency currency = currency(query, currenciesOf(cells));
        return FunnelMath.funnel(currency.query, cells, rules(query), converter, r.rateDate, r.reportedAsOf)
                .withNotices(currency.notices());
    }

    /**
     * The cells behind a query (merged over its owners).
     *
     * @param query the query
     * @return the cells
     */
    public FunnelCells cells(FunnelQuery query) {
        return cellsOf(resolve(query, List.of()));
    }

    /**
     * The cell query a funnel query is answered with.
     *
     * @param query the query
     * @return the cell query, null when the scope has no owner
     */
    public CellQuery cellQuery(FunnelQuery query) {
        return resolve(query, List.of()).cellQuery;
    }

    /**
     * The historical stage-to-win rates of a query's population: per open stage, the share
     * of the closed opportunities that reached the stage (under the query's counting
     * policy) and were won. Typically asked in SNAPSHOT mode over a past year.
     *
     * @param query the query
     * @return one rate per open stage, in process order
     */
    public List<StageWinRate> stageWinRates(FunnelQuery query) {
        Resolved r = resolve(query, List.of());
        return FunnelMath.stageWinRates(query.process(), cellsOf(r), rules(query));
    }

    /**
     * The ids behind a funnel figure, sorted, one page.
     *
     * @param query the query
     * @param measure the numerator or denominator
     * @param stage the open stage index for per-stage measures (ignored otherwise)
     * @param offset the position of the first id
     * @param limit the page size
     * @return the page
     * @throws ValidationException when the stage, offset or limit is out of range
     */
    public IdPage drillDown(FunnelQuery query, FunnelMeasure measure, int stage, long offset, int limit) {
        Objects.requireNonNull(measure, "measure");
        int n = query.process().openStageCount();
        ValidationException.require(!measure.perStage() || (stage >= 0 && stage < n), "stage", stage,
                "an open stage index in [0, " + n + ")");
        ValidationException.require(offset >= 0, "offset", offset, "an offset >= 0");
        ValidationException.require(limit > 0, "limit", limit, "a page size > 0");
        Resolved r = resolve(query, List.of());
        KeyRules rules = rules(query);
        if (r.cellQuery == null) {
            return new IdPage(List.of(), 0, offset, limit);
        }
        List<OpportunityId> ids;
        try (Stream<OpportunityFacts> facts = source.facts(r.cellQuery)) {
            ids = new ArrayList<>(facts.filter(f -> rules.matches(f.key(), measure, stage))
                    .map(OpportunityFacts::id).toList());
        }
        ids.sort(null);
        int from = (int) Math.min(offset, ids.size());
        int to = (int) Math.min((long) from + limit, ids.size());
        return new IdPage(ids.subList(from, to), ids.size(), offset, limit);
    }

    /**
     * A unit's funnel beside the funnels of its parts (child units, then direct members),
     * each with its share of the total. The population is fetched once for the unit and split
     * by the parts' distinct owners.
     *
     * @param query a query whose scope is exactly one unit
     * @return the comparison
     * @throws ValidationException when the scope is not exactly one unit
     * @throws org.crmkit.core.NotFoundException when the unit is unknown
     */
    public FunnelComparison compare(FunnelQuery query) {
        ValidationException.require(query.nodes().size() == 1 && query.nodes().get(0) instanceof UnitId,
                "query.nodes", query.nodes(), "exactly one unit to compare its parts");
        UnitId unit = (UnitId) query.nodes().get(0);
        Resolved r = resolve(query, List.of(query.nodes()));
        OwnerParts byOwner = ownerParts(r.countedQuery, rules(query));
        Currency currency = currency(query, byOwner);
        FunnelResult total = nodeFunnel(currency.query, r, byOwner, r.owners)
                .withNotices(notices(r, r.scopes.get(0), byOwner, currency));
        List<NodeFunnel> parts = new ArrayList<>();
        for (OrgNodeId child : org.childrenOf(unit)) {
            FunnelResult f = nodeFunnel(currency.query.withNodes(List.of(child)), r, byOwner, org.membersOf(child));
            parts.add(new NodeFunnel(child, org.nameOf(child), f, FunnelMath.ratio(f.count(), total.count()),
                    share(f.openAmount(), total.openAmount()), share(f.wonAmount(), total.wonAmount())));
        }
        return new FunnelComparison(total, parts);
    }

    private static Double share(BigDecimal part, BigDecimal whole) {
        return whole.signum() == 0 ? null : part.doubleValue() / whole.doubleValue();
    }

    /**
     * Ranks the distinct managers of a query's scope ("best managers"), highest first;
     * managers without the ranked figure (e.g. no closed deal for the win rate) come last,
     * ties by manager id.
     *
     * @param query the query
     * @param by the figure to rank by
     * @return one entry per manager of the scope
     */
    public List<ManagerRank> rankManagers(FunnelQuery query, RankBy by) {
        Objects.requireNonNull(by, "by");
        Resolved r = resolve(query, List.of());
        int last = query.process().openStageCount() - 1;
        OwnerParts byOwner = ownerParts(r.cellQuery, rules(query));
        FunnelQuery q = currency(query, byOwner).query;
        List<ManagerRank> unranked = new ArrayList<>();
        for (ManagerId m : r.owners) {
            FunnelResult f = nodeFunnel(q.withNodes(List.of(m)), r, byOwner, List.of(m));
            unranked.add(new ManagerRank(1, m, nameOf(m), f.count(), f.won(), f.lost(), f.wonAmount(), f.winRate(),
                    f.stage(last).cumulativeConversion(), f.velocityPerDay()));
        }
        Comparator<ManagerRank> order = switch (by) {
            case WON_AMOUNT -> Comparator.comparing(ManagerRank::wonAmount, Comparator.nullsLast(Comparator.reverseOrder()));
            case WIN_RATE -> Comparator.comparing(ManagerRank::winRate, Comparator.nullsLast(Comparator.reverseOrder()));
            case CONVERSION -> Comparator.comparing(ManagerRank::conversion,
                    Comparator.nullsLast(Comparator.reverseOrder()));
            case VELOCITY -> Comparator.comparing(ManagerRank::velocityPerDay,
                    Comparator.nullsLast(Comparator.reverseOrder()));
        };
        unranked.sort(order.thenComparing(ManagerRank::manager));
        List<ManagerRank> out = new ArrayList<>(unranked.size());
        for (int i = 0; i < unranked.size(); i++) {
            ManagerRank m = unranked.get(i);
            out.add(new ManagerRank(i + 1, m.manager(), m.name(), m.count(), m.won(), m.lost(), m.wonAmount(),
                    m.winRate(), m.conversion(), m.velocityPerDay()));
        }
        return List.copyOf(out);
    }

    /**
     * The win/loss analysis of a query's closed opportunities (in ACTIVITY mode, those
     * closed during the period): by reason, by winning competitor, by stage lost at.
     *
     * @param query the query
     * @return the analysis
     */
    public WinLossAnalysis winLoss(FunnelQuery query) {
        Resolved r = resolve(query, List.of());
        FunnelCells cells = cellsOf(r);
        Currency currency = currency(query, currenciesOf(cells));
        return FunnelMath.winLoss(query.process(), cells, rules(query), converter, currency.query.reportingCurrency(),
                r.rateDate).withNotices(currency.notices());
    }

    /**
     * Funnel completeness against a plan: the open pipeline of the plan's node expected to
     * close in the plan's period (by expected close date, as of the query's as-of instant)
     * divided by what is left of the plan ({@code plan − revenue won with a close date in
     * the period}). The query gives the process, the filter, the as-of instant, the
     * reporting currency (by default the engine's, else the plan's) and the rate date; its
     * scope, mode and period are replaced by the plan's node and period. The plan target is
     * converted at the same rate date.
     *
     * @param query the query
     * @param plan the plan
     * @return the coverage
     */
    public Coverage coverage(FunnelQuery query, SalesPlan plan) {
        Objects.requireNonNull(plan, "plan");
        FunnelQuery q = query.withNodes(List.of(plan.node()));
        Instant asOf = q.asOf() != null ? q.asOf() : clock.instant();
        Instant until = asOf.plusNanos(1);
        LocalDate rateDate = q.rateDate() != null ? q.rateDate() : LocalDate.ofInstant(asOf, calendar.zone());
        Set<ManagerId> owners = owners(q.nodes());
        FunnelCells cells = owners.isEmpty() ? FunnelCells.empty()
                : source.cells(new CellQuery(owners, q.process(), until, null, null, null, q.filter(), BucketBy.CLOSE,
                        List.of(plan.period()), calendar.zone()));
        MoneySum pipeline = new MoneySum(0);
        MoneySum weighted = new MoneySum(2);
        MoneySum actual = new MoneySum(0);
        long openCount = 0;
        for (var e : cells.cells().entrySet()) {
            var k = e.getKey();
            var m = e.getValue();
            if (k.status() == OpportunityStatus.OPEN) {
                openCount += m.count();
                pipeline.add(k.currency(), m.amountMinor());
                weighted.add(k.currency(), m.weightedPercentMinor());
            } else if (k.status() == OpportunityStatus.WON) {
                actual.add(k.currency(), m.revenueMinor());
            }
        }
        List<FunnelNotice> notices = new ArrayList<>();
        CurrencyUnit target = q.reportingCurrency();
        if (target == null) {
            target = defaultCurrency != null ? defaultCurrency : plan.target().getCurrency();
            notices.add(currencyNotice(target, defaultCurrency != null ? "the engine's default" : "the plan's currency"));
        }
        BigDecimal planAmount = converter.convert(Amounts.decimal(plan.target()), plan.target().getCurrency(), target,
                rateDate);
        BigDecimal actualAmount = actual.in(converter, target, rateDate);
        BigDecimal remaining = planAmount.subtract(actualAmount).max(BigDecimal.ZERO);
        BigDecimal pipe = pipeline.in(converter, target, rateDate);
        BigDecimal wpipe = weighted.in(converter, target, rateDate);
        Double cov = remaining.signum() == 0 ? null : pipe.divide(remaining, MathContext.DECIMAL64).doubleValue();
        Double wcov = remaining.signum() == 0 ? null : wpipe.divide(remaining, MathContext.DECIMAL64).doubleValue();
        return new Coverage(List.of(plan.node()), plan.period().label(), asOf, target.getCurrencyCode(), rateDate,
                FunnelMath.present(planAmount, target), FunnelMath.present(actualAmount, target),
                FunnelMath.present(remaining, target), openCount, FunnelMath.present(pipe, target),
                FunnelMath.present(wpipe, target), cov, wcov, notices);
    }

    /**
     * The funnel period by period over a range (periods of the engine's fiscal calendar), for
     * charts. COHORT: the cohort of each period, all in one bucketed cell query. ACTIVITY:
     * the activity of each period that started before the as-of instant. SNAPSHOT: the state
     * at the end of each period that started before the as-of instant (or at the as-of
     * instant when earlier), keeping the query's own period as the creation window. Every
     * point is in the same reporting currency.
     *
     * @param query the query (its period is replaced per point for COHORT and ACTIVITY)
     * @param type the period length
     * @param from the first day to cover
     * @param toInclusive the last day to cover
     * @return the dynamics
     * @throws ValidationException when the range is empty or the type is CUSTOM
     */
    public FunnelDynamics dynamics(FunnelQuery query, PeriodType type, LocalDate from, LocalDate toInclusive) {
        List<Period> periods = calendar.periods(type, from, toInclusive);
        Instant asOf = query.asOf() != null ? query.asOf() : clock.instant();
        FunnelQuery fixed = query.toBuilder().asOf(asOf).build();
        List<PeriodFunnel> points = new ArrayList<>();
        ZoneId zone = calendar.zone();
        // "now" from the clock is fixed once for every point; the points evaluated at it say
        // so when the scope has changes after it, as a funnel of that query would
        List<FunnelNotice> clockNotices = List.of();
        if (query.asOf() == null) {
            Set<ManagerId> owners = resolve(fixed.withPeriod(periods.get(0)), List.of()).owners;
            clockNotices = source.summary(query.process(), asOf)
                    .flatMap(summary -> changesAfter(owners, summary, asOf)).map(List::of).orElse(List.of());
        }
        if (query.mode() == FunnelMode.COHORT) {
            FunnelQuery first = fixed.withPeriod(periods.get(0));
            Resolved r = resolve(first, List.of());
            Instant start = periods.get(0).start().atStartOfDay(zone).toInstant();
            Instant end = periods.get(periods.size() - 1).end().atStartOfDay(zone).toInstant();
            // one bucketed query for every point, with the owners outside the org when counted
            FunnelCells cells = r.countedQuery == null ? FunnelCells.empty()
                    : source.cells(new CellQuery(r.countedQuery.owners(), query.process(), r.countedQuery.until(), start,
                            end, null, query.filter(), BucketBy.CREATED, periods, zone));
            Currency currency = currency(fixed, currenciesOf(cells));
            for (int i = 0; i < periods.size(); i++) {
                Period p = periods.get(i);
                FunnelQuery pq = currency.query.withPeriod(p);
                Resolved pr = resolve(pq, List.of());
                OwnerParts parts = partsOf(cells.forBucket(i), rules(pq));
                points.add(new PeriodFunnel(p.label(), p.start(), p.end(),
                        nodeFunnel(pq, pr, parts, pr.owners).withNotices(notices(pr, pr.scopes.get(0), parts,
                                currency))));
            }
        } else {
            FunnelQuery q = fixed;
            if (query.reportingCurrency() == null) {
                // one currency for every point: the one the whole range's population holds
                Resolved whole = resolve(fixed.toBuilder().mode(FunnelMode.SNAPSHOT).period(null).build(), List.of());
                q = fixed.toBuilder().reportingCurrency(currency(fixed, currenciesOf(cellsOf(whole))).query
                        .reportingCurrency()).build();
            }
            for (Period p : periods) {
                Instant pStart = p.start().atStartOfDay(zone).toInstant();
                if (!pStart.isBefore(asOf)) {
                    break;
                }
                FunnelQuery pq;
                if (query.mode() == FunnelMode.ACTIVITY) {
                    pq = q.withPeriod(p);
                } else {
                    Instant pEnd = p.end().atStartOfDay(zone).toInstant().minusNanos(1);
                    pq = q.toBuilder().asOf(pEnd.isBefore(asOf) ? pEnd : asOf).build();
                }
                points.add(new PeriodFunnel(p.label(), p.start(), p.end(), funnel(pq)));
            }
        }
        if (!clockNotices.isEmpty()) {
            List<FunnelNotice> notices = clockNotices;
            points.replaceAll(p -> p.funnel().asOf().equals(asOf)
                    ? new PeriodFunnel(p.period(), p.start(), p.end(), p.funnel().withNotices(notices)) : p);
        }
        return new FunnelDynamics(type, points);
    }

    private KeyRules rules(FunnelQuery query) {
        return new KeyRules(query.policy(), query.process().openStageCount(), query.mode() == FunnelMode.ACTIVITY);
    }

    private FunnelCells cellsOf(Resolved r) {
        return r.cellQuery == null ? FunnelCells.empty() : source.cells(r.cellQuery);
    }

    // ---- the scope of a query, its reporting currency and its notices -------------------------

    /** One node (or the whole book) of a query, resolved. */
    private record NodeScope(Set<ManagerId> owners, boolean wholeOrg, List<FunnelNotice> notices) {
    }

    /**
     * A query resolved: the cell query of its scope ({@code cellQuery}), the one that also
     * holds the owners outside the org when a node is a whole org ({@code countedQuery}), the
     * evaluation instants and rate date, the scope's owners, each node's scope, the owners
     * outside the org.
     */
    private record Resolved(CellQuery cellQuery, CellQuery countedQuery, Instant reportedAsOf, LocalDate rateDate,
            Set<ManagerId> owners, List<NodeScope> scopes, Set<ManagerId> outside) {
    }

    /** The reporting currency of a query and the query that names it. */
    private record Currency(FunnelQuery query, FunnelNotice notice) {
        List<FunnelNotice> notices() {
            return notice == null ? List.of() : List.of(notice);
        }
    }

    private Resolved resolve(FunnelQuery q, List<List<OrgNodeId>> nodeScopes) {
        ZoneId zone = calendar.zone();
        Instant asOf = q.asOf() != null ? q.asOf() : clock.instant();
        Period p = q.period();
        ValidationException.require(p != null || q.mode() == FunnelMode.SNAPSHOT, "query.period", null,
                "a period for mode " + q.mode() + " (a query without a period and without a mode is a SNAPSHOT"
                        + " as of now)");
        Instant pStart = p == null ? null : p.start().atStartOfDay(zone).toInstant();
        Instant pEnd = p == null ? null : p.end().atStartOfDay(zone).toInstant();
        Instant until;
        Instant createdFrom = null;
        Instant createdUntil = null;
        Instant activityFrom = null;
        Instant reported;
        if (q.mode() == FunnelMode.ACTIVITY) {
            Instant afterAsOf = asOf.plusNanos(1);
            until = afterAsOf.isBefore(pEnd) ? afterAsOf : pEnd;
            ValidationException.require(until.isAfter(pStart), "query.asOf", asOf,
                    "an instant not before the period start " + p.start());
            activityFrom = pStart;
            reported = until == pEnd ? pEnd : asOf;
        } else {
            until = asOf.plusNanos(1);
            createdFrom = pStart;
            createdUntil = pEnd;
            reported = asOf;
        }
        LocalDate rateDate = q.rateDate() != null ? q.rateDate() : LocalDate.ofInstant(until.minusNanos(1), zone);

        // "Now" from the clock decides what counts: changes after it are reported, not hidden.
        boolean clockNow = q.asOf() == null && until.equals(asOf.plusNanos(1));
        boolean wholeBook = q.nodes().isEmpty();
        boolean wholeOrg = wholeBook || q.nodes().stream().anyMatch(this::isRoot);
        PopulationSummary summary = wholeOrg || clockNow ? source.summary(q.process(), asOf).orElse(null) : null;
        Set<ManagerId> owners;
        if (wholeBook) {
            ValidationException.require(summary != null, "query.nodes", q.nodes(),
                    "at least one org node: this source cannot list the owners of the whole book");
            owners = new TreeSet<>(summary.opportunities().keySet());
        } else {
            owners = owners(q.nodes());
        }
        Set<ManagerId> outside = new TreeSet<>();
        if (wholeOrg && summary != null) {
            for (ManagerId m : summary.opportunities().keySet()) {
                if (!org.contains(m) || org.parentsOf(m).isEmpty()) {
                    outside.add(m);
                }
            }
        }
        List<NodeScope> scopes = new ArrayList<>();
        for (List<OrgNodeId> nodes : nodeScopes.isEmpty() ? List.of(q.nodes()) : nodeScopes) {
            Set<ManagerId> nodeOwners = nodes.isEmpty() ? owners : owners(nodes);
            List<FunnelNotice> notices = new ArrayList<>();
            for (OrgNodeId node : nodes) {
                if (node instanceof ManagerId m && !org.contains(m)) {
                    notices.add(new FunnelNotice(FunnelNotice.Kind.MANAGER_NOT_IN_ORG, 0, List.of(m.value()),
                            "manager '" + m.value() + "' is not in the org structure: its own opportunities are"
                                    + " reported"));
                }
            }
            if (clockNow && summary != null) {
                changesAfter(nodeOwners, summary, asOf).ifPresent(notices::add);
            }
            scopes.add(new NodeScope(nodeOwners, nodes.isEmpty() || nodes.stream().anyMatch(this::isRoot), notices));
        }
        Set<ManagerId> counted = owners;
        if (!outside.isEmpty() && !owners.containsAll(outside)) {
            counted = new TreeSet<>(owners);
            counted.addAll(outside);
        }
        CellQuery cq = owners.isEmpty() ? null
                : new CellQuery(owners, q.process(), until, createdFrom, createdUntil, activityFrom, q.filter(),
                        BucketBy.NONE, List.of(), zone);
        CellQuery countedQuery = counted == owners ? cq
                : new CellQuery(counted, q.process(), until, createdFrom, createdUntil, activityFrom, q.filter(),
                        BucketBy.NONE, List.of(), zone);
        return new Resolved(cq, countedQuery, reported, rateDate, owners, scopes, outside);
    }

    private boolean isRoot(OrgNodeId node) {
        return node instanceof UnitId u && org.contains(u) && org.parentsOf(u).isEmpty();
    }

    private static java.util.Optional<FunnelNotice> changesAfter(Set<ManagerId> owners, PopulationSummary summary,
            Instant asOf) {
        long changed = 0;
        for (Map.Entry<ManagerId, Long> e : summary.changedAfter().entrySet()) {
            if (owners.contains(e.getKey())) {
                changed += e.getValue();
            }
        }
        if (changed == 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new FunnelNotice(FunnelNotice.Kind.CHANGES_AFTER_AS_OF, changed, List.of(),
                count(changed, "opportunity", "opportunities") + " of this scope "
                        + (changed == 1 ? "has" : "have") + " stage changes after the as-of instant " + asOf
                        + " (the engine clock's now; the latest at " + summary.latestChange() + "): they count as"
                        + " they stood then; set the query's asOf or the engine's clock to count them"));
    }

    /** The notices of one node's result: currency, scope notices, and owners outside the org. */
    private List<FunnelNotice> notices(Resolved r, NodeScope scope, OwnerParts parts, Currency currency) {
        List<FunnelNotice> out = new ArrayList<>(currency.notices());
        out.addAll(scope.notices);
        if (scope.wholeOrg && !r.outside.isEmpty()) {
            long count = 0;
            List<String> owners = new ArrayList<>();
            for (ManagerId m : r.outside) {
                long n = parts.count(m);
                if (n > 0) {
                    count += n;
                    owners.add(m.value());
                }
            }
            if (count > 0) {
                boolean included = scope.owners.containsAll(r.outside);
                out.add(new FunnelNotice(FunnelNotice.Kind.OWNERS_OUTSIDE_ORG, count,
                        owners.subList(0, Math.min(owners.size(), FunnelNotice.MAX_SUBJECTS)),
                        count(count, "opportunity", "opportunities") + " of " + count(owners.size(), "owner", "owners")
                                + " in no unit of the org structure "
                                + (included ? "are counted here but in no unit's figures" : "are not counted here")
                                + ": " + String.join(", ", owners.subList(0, Math.min(owners.size(), 10)))
                                + (owners.size() > 10 ? ", ..." : "")));
            }
        }
        return out;
    }

    private Currency currency(FunnelQuery query, OwnerParts parts) {
        if (query.reportingCurrency() != null) {
            return new Currency(query, null);
        }
        FunnelTotals all = parts.totals(query.process().openStageCount());
        for (ManagerId m : parts.figures().keySet()) {
            parts.addTo(all, m);
        }
        return currency(query, all.currenciesWithAmounts());
    }

    private static List<CurrencyUnit> currenciesOf(FunnelCells cells) {
        List<CurrencyUnit> out = new ArrayList<>();
        cells.cells().forEach((k, m) -> {
            if ((m.amountMinor() != 0 || m.revenueMinor() != 0) && !out.contains(k.currency())) {
                out.add(k.currency());
            }
        });
        return out;
    }

    /**
     * The query's reporting currency, else the engine's default, else the only currency the
     * population's amounts are in (a population without amounts reports in {@code XXX}, the
     * ISO code for "no currency").
     */
    private Currency currency(FunnelQuery query, List<CurrencyUnit> present) {
        if (query.reportingCurrency() != null) {
            return new Currency(query, null);
        }
        CurrencyUnit chosen;
        String why;
        if (defaultCurrency != null) {
            chosen = defaultCurrency;
            why = "the engine's default";
        } else if (present.size() == 1) {
            chosen = present.get(0);
            why = "the only currency of the population's amounts";
        } else if (present.isEmpty()) {
            chosen = Amounts.currency("XXX");
            why = "no currency: the population has no amounts";
        } else {
            throw new ValidationException("query.reportingCurrency", null, "a reporting currency: the population's"
                    + " amounts are in " + present.stream().map(CurrencyUnit::getCurrencyCode).sorted().toList()
                    + " (set it on the query or as the engine's default)");
        }
        return new Currency(query.toBuilder().reportingCurrency(chosen).build(), currencyNotice(chosen, why));
    }

    private static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private static FunnelNotice currencyNotice(CurrencyUnit currency, String why) {
        return new FunnelNotice(FunnelNotice.Kind.REPORTING_CURRENCY_DEFAULTED, 0, List.of(currency.getCurrencyCode()),
                "amounts in " + currency.getCurrencyCode() + ": the query named no reporting currency, this is " + why);
    }

    /** Collects the parts of a {@link FunnelEngine}; {@link #build()} validates them. */
    public static final class Builder {
        private OrgStructure org;
        private FunnelCellSource source;
        private CurrencyConverter converter = CurrencyConverter.identityOnly();
        private FiscalCalendar calendar = FiscalCalendar.calendarYear(java.time.ZoneOffset.UTC);
        private Clock clock = Clock.systemUTC();
        private CurrencyUnit reportingCurrency;

        private Builder() {
        }

        /**
         * Sets the reporting currency of queries that name none; without it such a query
         * reports in the only currency of its population's amounts (and fails when they are in
         * several). The result says which was taken.
         *
         * @param value the currency
         * @return this builder
         */
        public Builder reportingCurrency(CurrencyUnit value) {
            this.reportingCurrency = Objects.requireNonNull(value, "reportingCurrency");
            return this;
        }

        /**
         * Sets the reporting currency of queries that name none, by code.
         *
         * @param code an ISO-4217 code
         * @return this builder
         */
        public Builder reportingCurrency(String code) {
            return reportingCurrency(Amounts.currency(code));
        }

        /**
         * Sets the org structure (required).
         *
         * @param value the org structure
         * @return this builder
         */
        public Builder org(OrgStructure value) {
            this.org = Objects.requireNonNull(value, "org");
            return this;
        }

        /**
         * Sets the cell source (required).
         *
         * @param value the source
         * @return this builder
         */
        public Builder source(FunnelCellSource value) {
            this.source = Objects.requireNonNull(value, "source");
            return this;
        }

        /**
         * Sets the exchange rates; by default only amounts already in the reporting currency
         * can be reported.
         *
         * @param value the caller's rate provider
         * @return this builder
         */
        public Builder rates(ExchangeRateProvider value) {
            this.converter = CurrencyConverter.of(value);
            return this;
        }

        /**
         * Sets the currency converter.
         *
         * @param value the converter
         * @return this builder
         */
        public Builder converter(CurrencyConverter value) {
            this.converter = Objects.requireNonNull(value, "converter");
            return this;
        }

        /**
         * Sets the fiscal calendar (zone and fiscal year); default: calendar year in UTC.
         *
         * @param value the calendar
         * @return this builder
         */
        public Builder calendar(FiscalCalendar value) {
            this.calendar = Objects.requireNonNull(value, "calendar");
            return this;
        }

        /**
         * Sets the clock that gives "now"; default: the UTC system clock. A result whose
         * "now" came from the clock says so when the scope has stage changes after it (a
         * dataset running past today would otherwise lose them silently).
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Validates and builds the engine.
         *
         * @return the engine
         * @throws ValidationException when the org structure or the source is missing
         */
        public FunnelEngine build() {
            ValidationException.requireNonNull(org, "org");
            ValidationException.requireNonNull(source, "source");
            return new FunnelEngine(this);
        }
    }
}
