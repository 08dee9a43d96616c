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
import org.crmkit.core.AmountOverflowException;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.ManagerId;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.StoreLimits;
import org.crmkit.core.UnitId;
import org.crmkit.core.ValidationException;
import org.crmkit.core.Visibility;
import org.crmkit.funnel.spi.VisibleSources;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.money.CurrencyConverter;
import org.crmkit.funnel.internal.FunnelResults;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.BucketBy;
import org.crmkit.funnel.spi.FunnelSource;
import org.crmkit.funnel.spi.FunnelStats;
import org.crmkit.funnel.spi.FunnelStats.Money;
import org.crmkit.funnel.spi.OwnerAggregates;
import org.crmkit.funnel.spi.PopulationSummary;

/**
 * The funnel engine: answers funnel queries over any node of an org structure from the
 * per-owner {@link FunnelStats} of a {@link FunnelSource} (the in-memory
 * {@link OpportunityColumns}, a store that groups in SQL, a cluster, a user's own source).
 * Thread-safe when its source and rate provider are.
 *
 * <p>A query resolves to the distinct owners its nodes cover ({@link OrgStructure#membersOf})
 * and one {@link AggregateQuery} (process, instant, windows, filter, counting policy). The
 * source answers it once with each owner's stats, and a node's funnel is the sum of its
 * distinct owners' stats: an opportunity whose owner is reachable through two paths counts
 * once, and {@link #funnels} answers a company and all its units from one fetch. The engine
 * never looks at the concrete type of its source: every source rolls up the same way.
 *
 * <p>Instants and dates: the state of an opportunity is taken as of an instant, inclusive
 * ({@link org.crmkit.core.StageReplay}); periods are turned into instants at the start of their
 * days in the zone of the engine's fiscal calendar, so a period {@code [start, end)} ends with
 * the last nanosecond before its end day; "now" comes from the injected clock.
 *
 * <p>No silent gaps: a result carries {@link FunnelNotice notices} for what its figures assume
 * or leave out. The reporting currency when the query named none (the engine's default, else
 * the only currency of the population; several currencies without one is an error). The
 * opportunities of owners in no unit of the org structure, on the funnel of a root unit (left
 * out, counted in the notice) and of the whole book (counted). A manager node not in the org
 * structure (its own opportunities are reported, no error). Stage changes after "now" when
 * "now" came from the clock (a dataset running past today). The last two need the source's
 * {@link FunnelSource#summary summary}; a source without one reports neither. An engine built
 * for a viewer ({@link Builder#visibility}) answers from the deals the viewer may see only, and
 * says so on every result whose scope holds an owner it does not see.
 */
public final class FunnelEngine {
    /** The node count from which {@link #funnels} sums the nodes on the common pool. */
    private static final int PARALLEL_NODES = 16;

    private final OrgStructure org;
    private final FunnelSource source;
    private final CurrencyConverter converter;
    private final FiscalCalendar calendar;
    private final Clock clock;
    private final boolean parallel;
    private final CurrencyUnit defaultCurrency;
    /** What the engine's viewer may see; null when the engine was built without a viewer. */
    private final Visibility visibility;
    /** The visible members of each node asked about, when the engine has a viewer. */
    private final java.util.Map<OrgNodeId, Set<ManagerId>> visibleMembers = new java.util.concurrent.ConcurrentHashMap<>();

    private FunnelEngine(Builder b) {
        this.org = b.org;
        this.visibility = b.visibility;
        // every question reaches the source narrowed to the visible owners, whatever path asks it
        this.source = b.visibility == null ? b.source : VisibleSources.funnel(b.source, b.visibility);
        this.converter = b.converter;
        this.calendar = b.calendar;
        this.clock = b.clock;
        this.parallel = b.parallel;
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
        if (visibility == null || visibility.isUnrestricted()) {
            return allMembersOf(node);
        }
        // asked for every node of every roll-up: resolved once per node and engine
        return visibleMembers.computeIfAbsent(node, n -> {
            Set<ManagerId> all = allMembersOf(n);
            return visibility.seesAll(all) ? all : Set.copyOf(visibility.restrict(all));
        });
    }

    /** The members of a node whether the viewer sees them or not. */
    private Set<ManagerId> allMembersOf(OrgNodeId node) {
        return node instanceof ManagerId m && !org.contains(m) ? Set.of(m) : org.membersOf(node);
    }

    /** The notice of a scope the viewer sees only part of; empty when it sees all of it. */
    private java.util.Optional<FunnelNotice> restriction(List<OrgNodeId> nodes, Set<ManagerId> visibleOwners) {
        if (visibility == null || visibility.isUnrestricted()) {
            return java.util.Optional.empty();
        }
        String viewer = visibility.viewer().node().value();
        if (nodes.isEmpty()) {
            return java.util.Optional.of(new FunnelNotice(FunnelNotice.Kind.RESTRICTED_TO_VIEWER, 0, List.of(viewer),
                    "the figures count only the deals " + visibility.viewer() + " may see (" + visibleOwners.size()
                            + " owner(s)), not the whole book"));
        }
        Set<ManagerId> all;
        if (nodes.size() == 1) {
            all = allMembersOf(nodes.get(0));
        } else {
            all = new TreeSet<>();
            for (OrgNodeId node : nodes) {
                all.addAll(allMembersOf(node));
            }
        }
        // the visible owners are a subset of all of them: equal sizes mean nothing is hidden
        if (visibleOwners.size() == all.size()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new FunnelNotice(FunnelNotice.Kind.RESTRICTED_TO_VIEWER, 0, List.of(viewer),
                "the figures count only the deals " + visibility.viewer() + " may see: " + visibleOwners.size()
                        + " of the " + all.size() + " owners of this scope"));
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
        OwnerAggregates<FunnelStats> parts = counted(r);
        Currency currency = currency(query, parts, r);
        return nodeFunnel(currency.query, r, parts, r.owners).withNotices(notices(r, r.scopes.get(0), parts, currency));
    }

    /**
     * The same funnel for each of several nodes (the "all units" roll-up): one answer of the
     * source for all the nodes' owners gives each owner's stats, and each node's funnel is the
     * sum of its distinct owners' stats, so an opportunity counts once per node whatever the
     * paths to its owner. Each result equals {@code funnel(query.withNodes(List.of(node)))};
     * the query's own nodes are ignored (and may be none). Every result is in the same
     * reporting currency.
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
        OwnerAggregates<FunnelStats> parts = counted(r);
        Currency currency = currency(query, parts, r);
        // nodes are independent sums over read-only parts: many of them are summed in parallel
        FunnelResult[] results = new FunnelResult[distinct.size()];
        IntStream range = IntStream.range(0, results.length);
        (results.length >= PARALLEL_NODES && parallel ? range.parallel() : range).forEach(i -> {
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

    private FunnelResult nodeFunnel(FunnelQuery nodeQuery, Resolved r, OwnerAggregates<FunnelStats> parts,
            Collection<ManagerId> owners) {
        return FunnelResults.funnel(nodeQuery, FunnelResults.sum(parts, 0, owners, nodeQuery.process().openStageCount()),
                converter, r.rateDate, r.reportedAsOf).withAnsweredBy(parts.path());
    }

    private OwnerAggregates<FunnelStats> parts(Resolved r) {
        return r.query == null ? OwnerAggregates.empty(1) : source.aggregate(r.query);
    }

    /** The parts of the scope's owners and, when counted, of the owners outside the org. */
    private OwnerAggregates<FunnelStats> counted(Resolved r) {
        return r.countedQuery == null ? OwnerAggregates.empty(1) : source.aggregate(r.countedQuery);
    }

    /**
     * The funnel of a query computed from stats the caller supplies, e.g. stats aggregated
     * elsewhere (another process, a cluster) and merged. They must answer
     * {@link #aggregateQuery(FunnelQuery)}.
     *
     * @param query the query
     * @param parts the per-owner stats of the query's aggregate query
     * @return the funnel
     * @throws org.crmkit.core.MissingExchangeRateException when a rate is missing
     */
    public FunnelResult funnel(FunnelQuery query, OwnerAggregates<FunnelStats> parts) {
        Objects.requireNonNull(parts, "parts");
        Resolved r = resolve(query, List.of());
        Currency currency = currency(query, parts, r);
        return nodeFunnel(currency.query, r, parts, r.owners).withNotices(currency.notices());
    }

    /**
     * The per-owner stats behind a query, as its source answers them.
     *
     * @param query the query
     * @return the stats per owner
     */
    public OwnerAggregates<FunnelStats> aggregates(FunnelQuery query) {
        return parts(resolve(query, List.of()));
    }

    /**
     * The aggregate query a funnel query is answered with.
     *
     * @param query the query
     * @return the aggregate query, empty when the query's nodes cover no owner
     */
    public java.util.Optional<AggregateQuery> aggregateQuery(FunnelQuery query) {
        return java.util.Optional.ofNullable(resolve(query, List.of()).query);
    }

    /**
     * The historical stage-to-win rates of a query's population: per open stage, the share
     * of the counted closes that reached the stage (under the query's counting policy) and
     * were won. Typically asked in SNAPSHOT mode over a past year.
     *
     * @param query the query
     * @return one rate per open stage, in process order
     */
    public List<StageWinRate> stageWinRates(FunnelQuery query) {
        Resolved r = resolve(query, List.of());
        return FunnelResults.stageWinRates(query.process(), total(r, parts(r)));
    }

    private FunnelStats total(Resolved r, OwnerAggregates<FunnelStats> parts) {
        return FunnelResults.sum(parts, 0, r.owners, r.openStages).total();
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
        if (r.query == null) {
            return new IdPage(List.of(), 0, offset, limit);
        }
        List<OpportunityId> ids;
        try (Stream<OpportunityId> found = source.ids(r.query, measure, measure.perStage() ? stage : 0)) {
            ids = new ArrayList<>(found.toList());
        }
        ids.sort(null);
        int from = (int) Math.min(offset, ids.size());
        int to = (int) Math.min((long) from + limit, ids.size());
        return new IdPage(ids.subList(from, to), ids.size(), offset, limit);
    }

    /**
     * A unit's funnel beside the funnels of its parts (child units, then direct members),
     * each with its share of the total. The source is asked once for the unit, and each part
     * sums its distinct owners' stats.
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
        OwnerAggregates<FunnelStats> byOwner = counted(r);
        Currency currency = currency(query, byOwner, r);
        FunnelResult total = nodeFunnel(currency.query, r, byOwner, r.owners)
                .withNotices(notices(r, r.scopes.get(0), byOwner, currency));
        List<NodeFunnel> parts = new ArrayList<>();
        for (OrgNodeId child : org.childrenOf(unit)) {
            FunnelResult f = nodeFunnel(currency.query.withNodes(List.of(child)), r, byOwner, membersOf(child));
            parts.add(new NodeFunnel(child, org.nameOf(child), f, FunnelResults.ratio(f.count(), total.count()),
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
        OwnerAggregates<FunnelStats> byOwner = parts(r);
        FunnelQuery q = currency(query, byOwner, r).query;
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
     * The win/loss analysis of a query's counted closes (in ACTIVITY mode, those won or lost
     * during the period, also after a reopen): by reason, by winning competitor, by stage lost
     * at.
     *
     * @param query the query
     * @return the analysis
     */
    public WinLossAnalysis winLoss(FunnelQuery query) {
        Resolved r = resolve(query, List.of());
        OwnerAggregates<FunnelStats> parts = r.query == null ? OwnerAggregates.empty(1)
                : source.aggregate(r.query.toBuilder().winLoss(true).build());
        Currency currency = currency(query, parts, r);
        return FunnelResults.winLoss(query.process(), total(r, parts), converter,
                currency.query.reportingCurrency(), r.rateDate).withNotices(currency.notices());
    }

    /**
     * Funnel completeness against a plan, with overdue open deals in the current period
     * ({@link OverduePolicy#CURRENT_PERIOD}, the forecast's default too): see
     * {@link #coverage(FunnelQuery, SalesPlan, OverduePolicy)}.
     *
     * @param query the query
     * @param plan the plan
     * @return the coverage
     */
    public Coverage coverage(FunnelQuery query, SalesPlan plan) {
        return coverage(query, plan, OverduePolicy.CURRENT_PERIOD);
    }

    /**
     * Funnel completeness against a plan: the open pipeline of the plan's node expected to
     * close in the plan's period (by expected close date, as of the query's as-of instant,
     * with overdue deals placed by the policy) divided by what is left of the plan
     * ({@code plan − revenue won with a close in the period}). The query gives the process,
     * the filter, the as-of instant, the reporting currency (by default the engine's, else the
     * plan's) and the rate date; its scope, mode and period are replaced by the plan's node
     * and period. The plan target is converted at the same rate date.
     *
     * <p>An open deal is overdue when its expected close date is before the as-of date (the
     * as-of instant's date in the engine's calendar zone). Under
     * {@link OverduePolicy#CURRENT_PERIOD} it counts in the period holding the as-of date, so a
     * plan period holding that date counts every overdue deal and a plan period that ended
     * before it counts no open deal at all: the same placement as the forecast's. Under
     * {@link OverduePolicy#CLOSE_DATE_PERIOD} it counts in the period of its expected close
     * date.
     *
     * @param query the query
     * @param plan the plan
     * @param overdue where overdue open deals count
     * @return the coverage
     */
    public Coverage coverage(FunnelQuery query, SalesPlan plan, OverduePolicy overdue) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(overdue, "overdue");
        FunnelQuery q = query.withNodes(List.of(plan.node()));
        Instant asOf = q.asOf() != null ? q.asOf() : clock.instant();
        LocalDate asOfDay = LocalDate.ofInstant(asOf, calendar.zone());
        LocalDate rateDate = q.rateDate() != null ? q.rateDate() : asOfDay;
        Set<ManagerId> owners = owners(q.nodes());
        int n = q.process().openStageCount();
        Period period = plan.period();
        boolean current = overdue == OverduePolicy.CURRENT_PERIOD;
        // The plan's period is the last bucket. With the current-period rule, a period holding
        // the as-of date also takes the open deals due before it (a first bucket with every
        // earlier day the store can hold: all of them overdue), and a period over before the
        // as-of date keeps its won revenue but no open deal (every one due in it is overdue and
        // belongs to the current period).
        boolean takesOverdue = current && period.contains(asOfDay) && period.start().isAfter(StoreLimits.MIN_DATE);
        boolean dropsOpen = current && !period.end().isAfter(asOfDay);
        List<Period> buckets = takesOverdue
                ? List.of(Period.inclusive(StoreLimits.MIN_DATE, period.start().minusDays(1)), period)
                : List.of(period);
        int inPeriod = buckets.size() - 1;
        OwnerAggregates<FunnelStats> parts = owners.isEmpty() ? null
                : source.aggregate(AggregateQuery.builder(owners, q.process(), asOf)
                        .policy(q.policy()).filter(q.filter()).buckets(BucketBy.CLOSE, buckets)
                        .zone(calendar.zone()).build());
        FunnelStats t = parts == null ? FunnelStats.empty(n) : FunnelResults.sum(parts, inPeriod, owners, n).total();
        FunnelStats earlier = takesOverdue && parts != null ? FunnelResults.sum(parts, 0, owners, n).total() : null;
        Map<CurrencyUnit, Long> pipeline = new LinkedHashMap<>();
        Map<CurrencyUnit, Long> actual = new LinkedHashMap<>();
        BigDecimal wpipe = BigDecimal.ZERO;
        List<FunnelNotice> notices = new ArrayList<>();
        CurrencyUnit target = q.reportingCurrency();
        if (target == null) {
            target = defaultCurrency != null ? defaultCurrency : plan.target().getCurrency();
            notices.add(currencyNotice(target, defaultCurrency != null ? "the engine's default" : "the plan's currency"));
        }
        Map<CurrencyUnit, Long> weighted = new LinkedHashMap<>();
        long openCount = 0;
        for (CurrencyUnit c : t.currencies()) {
            actual.put(c, t.minor(Money.WON_REVENUE, c));
        }
        for (FunnelStats open : dropsOpen ? List.<FunnelStats>of() : earlier == null ? List.of(t) : List.of(t, earlier)) {
            openCount += open.open();
            for (CurrencyUnit c : open.currencies()) {
                pipeline.merge(c, open.minor(Money.OPEN_AMOUNT, c), (a, b) -> AmountOverflowException.add(a, b,
                        "coverage pipeline (" + c.getCurrencyCode() + ")"));
                weighted.merge(c, open.minor(Money.OPEN_WEIGHTED, c), (a, b) -> AmountOverflowException.add(a, b,
                        "coverage weighted pipeline (" + c.getCurrencyCode() + ")"));
            }
        }
        for (Map.Entry<CurrencyUnit, Long> e : weighted.entrySet()) {
            CurrencyUnit c = e.getKey();
            if (e.getValue() != 0) {
                wpipe = wpipe.add(converter.convert(BigDecimal.valueOf(e.getValue(), Amounts.fractionDigits(c) + 2), c,
                        target, rateDate));
            }
        }
        BigDecimal planAmount = converter.convert(Amounts.decimal(plan.target()), plan.target().getCurrency(), target,
                rateDate);
        BigDecimal actualAmount = FunnelResults.in(actual, converter, target, rateDate);
        BigDecimal remaining = planAmount.subtract(actualAmount).max(BigDecimal.ZERO);
        BigDecimal pipe = FunnelResults.in(pipeline, converter, target, rateDate);
        Double cov = remaining.signum() == 0 ? null : pipe.divide(remaining, MathContext.DECIMAL64).doubleValue();
        Double wcov = remaining.signum() == 0 ? null : wpipe.divide(remaining, MathContext.DECIMAL64).doubleValue();
        return new Coverage(List.of(plan.node()), plan.period().label(), asOf, target.getCurrencyCode(), rateDate,
                FunnelResults.present(planAmount, target), FunnelResults.present(actualAmount, target),
                FunnelResults.present(remaining, target), openCount, FunnelResults.present(pipe, target),
                FunnelResults.present(wpipe, target), cov, wcov, notices);
    }

    /**
     * The funnel period by period over a range (periods of the engine's fiscal calendar), for
     * charts. COHORT: the cohort of each period, all in one bucketed aggregate query. ACTIVITY:
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
            Resolved r = resolve(fixed.withPeriod(periods.get(0)), List.of());
            Set<ManagerId> counted = r.countedQuery == null ? Set.of() : r.countedQuery.owners();
            Instant start = periods.get(0).start().atStartOfDay(zone).toInstant();
            Instant end = periods.get(periods.size() - 1).end().atStartOfDay(zone).toInstant();
            // one bucketed query for every point, with the owners outside the org when counted
            OwnerAggregates<FunnelStats> parts = counted.isEmpty() ? OwnerAggregates.empty(periods.size())
                    : source.aggregate(AggregateQuery.builder(counted, query.process(), asOf).created(start, end)
                            .policy(query.policy()).filter(query.filter()).buckets(BucketBy.CREATED, periods)
                            .zone(zone).build());
            Currency currency = currency(fixed, currenciesOf(parts, counted, -1, r.openStages));
            for (int i = 0; i < periods.size(); i++) {
                Period p = periods.get(i);
                FunnelQuery pq = currency.query.withPeriod(p);
                Resolved pr = resolve(pq, List.of());
                FunnelResult f = FunnelResults.funnel(pq, FunnelResults.sum(parts, i, pr.owners,
                        query.process().openStageCount()), converter, pr.rateDate, pr.reportedAsOf)
                        .withAnsweredBy(parts.path()).withNotices(notices(pr, pr.scopes.get(0), parts, i, currency));
                points.add(new PeriodFunnel(p.label(), p.start(), p.end(), f));
            }
        } else {
            FunnelQuery q = fixed;
            if (query.reportingCurrency() == null) {
                // one currency for every point: the one the whole range's population holds
                Resolved whole = resolve(fixed.toBuilder().mode(FunnelMode.SNAPSHOT).period(null).build(), List.of());
                q = fixed.toBuilder().reportingCurrency(currency(fixed, parts(whole), whole).query
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

    // ---- the scope of a query, its reporting currency and its notices -------------------------

    /** One node (or the whole book) of a query, resolved. */
    private record NodeScope(Set<ManagerId> owners, boolean wholeOrg, List<FunnelNotice> notices) {
    }

    /**
     * A query resolved against the engine: its aggregate query (null when its nodes cover no
     * owner), the one that also holds the owners outside the org when a node is a whole org
     * ({@code countedQuery}), the instant reported on the result, the rate date, the distinct
     * owners, each node's scope and the owners outside the org.
     */
    private record Resolved(AggregateQuery query, AggregateQuery countedQuery, Instant reportedAsOf,
            LocalDate rateDate, Set<ManagerId> owners, int openStages, List<NodeScope> scopes,
            Set<ManagerId> outside) {
    }

    /** The reporting currency of a query and the query that names it. */
    private record Currency(FunnelQuery query, FunnelNotice notice) {
        List<FunnelNotice> notices() {
            return notice == null ? List.of() : List.of(notice);
        }
    }

    private Resolved resolve(FunnelQuery q, List<List<OrgNodeId>> nodeScopes) {
        ZoneId zone = calendar.zone();
        Instant now = q.asOf() != null ? q.asOf() : clock.instant();
        Period p = q.period();
        ValidationException.require(p != null || q.mode() == FunnelMode.SNAPSHOT, "query.period", null,
                "a period for mode " + q.mode() + " (a query without a period and without a mode is a SNAPSHOT"
                        + " as of now)");
        Instant pStart = p == null ? null : p.start().atStartOfDay(zone).toInstant();
        Instant pEnd = p == null ? null : p.end().atStartOfDay(zone).toInstant();
        Instant asOf;
        Instant createdFrom = null;
        Instant createdUntil = null;
        Instant activityFrom = null;
        Instant reported;
        if (q.mode() == FunnelMode.ACTIVITY) {
            // the window is the period [start, end): its last instant is the nanosecond before the end
            Instant lastOfPeriod = pEnd.minusNanos(1);
            asOf = now.isBefore(lastOfPeriod) ? now : lastOfPeriod;
            ValidationException.require(!asOf.isBefore(pStart), "query.asOf", now,
                    "an instant not before the period start " + p.start());
            activityFrom = pStart;
            reported = now.isBefore(lastOfPeriod) ? now : pEnd;
        } else {
            asOf = now;
            createdFrom = pStart;
            createdUntil = pEnd;
            reported = now;
        }
        LocalDate rateDate = q.rateDate() != null ? q.rateDate() : LocalDate.ofInstant(asOf, zone);

        // "Now" from the clock decides what counts: changes after it are reported, not hidden.
        boolean clockNow = q.asOf() == null && asOf.equals(now);
        boolean wholeBook = q.nodes().isEmpty();
        boolean wholeOrg = wholeBook || q.nodes().stream().anyMatch(this::isRoot);
        PopulationSummary summary = wholeOrg || clockNow ? source.summary(q.process(), now).orElse(null) : null;
        // as of a past instant a deal counts for its owner then: the managers who owned a deal
        // then and own none now belong to the whole book (asked again when the window ends before now)
        Set<ManagerId> former = summary == null || !wholeOrg ? Set.of() : asOf.equals(now) ? summary.formerOwners()
                : source.summary(q.process(), asOf).map(PopulationSummary::formerOwners).orElse(Set.of());
        Set<ManagerId> owners;
        if (wholeBook) {
            ValidationException.require(summary != null, "query.nodes", q.nodes(),
                    "at least one org node: this source cannot list the owners of the whole book");
            owners = new TreeSet<>(summary.opportunities().keySet());
            owners.addAll(former);
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
            for (ManagerId m : former) {
                if (!org.contains(m) || org.parentsOf(m).isEmpty()) {
                    outside.add(m);
                }
            }
        }
        // deals whose history starts after the instant: asked once, summed per scope
        Map<ManagerId, Long> unknownHistory = source.historyStartsAfter(q.process(), asOf);
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
                changesAfter(nodeOwners, summary, now).ifPresent(notices::add);
            }
            long today = nodeOwners.isEmpty() ? 0 : source.countedWithTodaysValues(q.process(), nodeOwners, asOf);
            if (today > 0) {
                notices.add(new FunnelNotice(FunnelNotice.Kind.FIELD_CHANGES_NOT_APPLIED, today, List.of(),
                        count(today, "opportunity", "opportunities") + " of this scope had owner, amount, close date,"
                                + " probability or category changed after the as-of instant " + asOf
                                + ": this source holds no field history and counts them with today's values (the"
                                + " columns of the book as it was, OpportunityColumns.asOf, or a store count them"
                                + " as they were)"));
            }
            long unknown = 0;
            for (ManagerId m : unknownHistory.isEmpty() ? Set.<ManagerId>of() : nodeOwners) {
                unknown += unknownHistory.getOrDefault(m, 0L);
            }
            if (unknown > 0) {
                notices.add(new FunnelNotice(FunnelNotice.Kind.HISTORY_STARTS_AFTER_AS_OF, unknown, List.of(),
                        count(unknown, "opportunity", "opportunities") + " of this scope existed at the as-of instant "
                                + asOf + " but " + (unknown == 1 ? "its" : "their") + " field history starts later"
                                + " (stored before the store kept field history): counted with the owner, amount and"
                                + " other values at that start, " + (unknown == 1 ? "its" : "their")
                                + " values then being unknown"));
            }
            restriction(nodes, nodeOwners).ifPresent(notices::add);
            scopes.add(new NodeScope(nodeOwners, nodes.isEmpty() || nodes.stream().anyMatch(this::isRoot), notices));
        }
        Set<ManagerId> counted = owners;
        if (!outside.isEmpty() && !owners.containsAll(outside)) {
            counted = new TreeSet<>(owners);
            counted.addAll(outside);
        }
        AggregateQuery aq = owners.isEmpty() ? null : aggregateQuery(q, owners, asOf, createdFrom, createdUntil,
                activityFrom, zone);
        AggregateQuery countedQuery = counted == owners ? aq
                : aggregateQuery(q, counted, asOf, createdFrom, createdUntil, activityFrom, zone);
        return new Resolved(aq, countedQuery, reported, rateDate, owners, q.process().openStageCount(), scopes,
                outside);
    }

    private static AggregateQuery aggregateQuery(FunnelQuery q, Set<ManagerId> owners, Instant asOf,
            Instant createdFrom, Instant createdUntil, Instant activityFrom, ZoneId zone) {
        return AggregateQuery.builder(owners, q.process(), asOf).created(createdFrom, createdUntil)
                .activityFrom(activityFrom).policy(q.policy()).filter(q.filter()).zone(zone).build();
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
                        + " (the engine clock's now" + (summary.latestChange() == null ? "" : "; the latest at "
                                + summary.latestChange()) + "): they count as"
                        + " they stood then; set the query's asOf or the engine's clock to count them"));
    }

    private List<FunnelNotice> notices(Resolved r, NodeScope scope, OwnerAggregates<FunnelStats> parts,
            Currency currency) {
        return notices(r, scope, parts, 0, currency);
    }

    /** The notices of one node's result: currency, scope notices, and owners outside the org. */
    private List<FunnelNotice> notices(Resolved r, NodeScope scope, OwnerAggregates<FunnelStats> parts, int bucket,
            Currency currency) {
        List<FunnelNotice> out = new ArrayList<>(currency.notices());
        out.addAll(scope.notices);
        if (scope.wholeOrg && !r.outside.isEmpty()) {
            long count = 0;
            List<String> owners = new ArrayList<>();
            for (ManagerId m : r.outside) {
                FunnelStats part = parts.part(m, bucket);
                long n = part == null ? 0 : part.count();
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

    private Currency currency(FunnelQuery query, OwnerAggregates<FunnelStats> parts, Resolved r) {
        if (query.reportingCurrency() != null) {
            return new Currency(query, null);
        }
        return currency(query, currenciesOf(parts, parts.owners(), 0, r.openStages));
    }

    /**
     * The currencies some amount of the given owners' parts is in (one bucket, or every
     * bucket with {@code bucket < 0}), in the order met.
     */
    private static List<CurrencyUnit> currenciesOf(OwnerAggregates<FunnelStats> parts, Set<ManagerId> owners,
            int bucket, int openStages) {
        List<CurrencyUnit> out = new ArrayList<>();
        for (int b = bucket < 0 ? 0 : bucket; b < (bucket < 0 ? parts.buckets() : bucket + 1); b++) {
            FunnelStats t = FunnelResults.sum(parts, b, owners, openStages).total();
            for (CurrencyUnit c : t.currencies()) {
                if (!out.contains(c) && (t.minor(Money.OPEN_AMOUNT, c) != 0 || t.minor(Money.WON_REVENUE, c) != 0
                        || t.minor(Money.LOST_AMOUNT, c) != 0)) {
                    out.add(c);
                }
            }
        }
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
        private FunnelSource source;
        private CurrencyConverter converter = CurrencyConverter.identityOnly();
        private FiscalCalendar calendar = FiscalCalendar.calendarYear(java.time.ZoneOffset.UTC);
        private Clock clock = Clock.systemUTC();
        private boolean parallel = true;
        private CurrencyUnit reportingCurrency;
        private Visibility visibility;

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
         * Sets the source of the per-owner stats (required).
         *
         * @param value the source
         * @return this builder
         */
        public Builder source(FunnelSource value) {
            this.source = Objects.requireNonNull(value, "source");
            return this;
        }

        /**
         * Restricts every result of the engine to what a viewer may see ({@link
         * org.crmkit.core.Visibility}): the source is asked about visible owners only, a node's
         * figures are those of its visible members, comparisons and rankings list visible
         * managers only, drill-downs list visible deals only, and a result whose scope holds
         * owners the viewer does not see carries a {@link FunnelNotice.Kind#RESTRICTED_TO_VIEWER}
         * notice. Resolve the visibility against the same org structure as {@link #org}.
         *
         * @param value what the viewer sees
         * @return this builder
         */
        public Builder visibility(Visibility value) {
            this.visibility = Objects.requireNonNull(value, "visibility");
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
         * Sets whether {@link FunnelEngine#funnels} may sum many nodes on the common fork-join
         * pool (default true); false keeps a roll-up on the calling thread.
         *
         * @param value true to allow the common pool
         * @return this builder
         */
        public Builder parallel(boolean value) {
            this.parallel = value;
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
