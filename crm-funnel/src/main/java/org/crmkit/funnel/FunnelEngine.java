package org.crmkit.funnel;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.money.convert.ExchangeRateProvider;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.ManagerId;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.CurrencyConverter;
import org.crmkit.funnel.internal.FunnelMath;
import org.crmkit.funnel.internal.KeyRules;
import org.crmkit.funnel.spi.BucketBy;
import org.crmkit.funnel.spi.CellQuery;
import org.crmkit.funnel.spi.FunnelCellSource;
import org.crmkit.funnel.spi.FunnelCells;
import org.crmkit.funnel.spi.OpportunityFacts;

/**
 * The funnel engine: answers funnel queries over any node of an org structure from the
 * cells of a {@link FunnelCellSource} (an in-memory {@link OpportunityColumns}, or a store
 * that groups in SQL). Thread-safe when its source and rate provider are.
 *
 * <p>A scope resolves to the distinct owners its nodes cover
 * ({@link OrgStructure#membersOf}); the source answers for exactly those owners, so an
 * opportunity whose owner is reachable through two paths counts once.
 *
 * <p>Instants and dates: periods are turned into instants at the start of their days in the
 * zone of the engine's fiscal calendar; "now" comes from the injected clock.
 */
public final class FunnelEngine {
    private final OrgStructure org;
    private final FunnelCellSource source;
    private final CurrencyConverter converter;
    private final FiscalCalendar calendar;
    private final Clock clock;

    private FunnelEngine(Builder b) {
        this.org = b.org;
        this.source = b.source;
        this.converter = b.converter;
        this.calendar = b.calendar;
        this.clock = b.clock;
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
     * The distinct owners a set of nodes covers.
     *
     * @param nodes managers or units
     * @return the owners, sorted
     * @throws org.crmkit.core.NotFoundException when a node is unknown
     */
    public Set<ManagerId> owners(Collection<? extends OrgNodeId> nodes) {
        Set<ManagerId> out = new TreeSet<>();
        for (OrgNodeId node : nodes) {
            out.addAll(org.membersOf(node));
        }
        return out;
    }

    /**
     * The funnel of a query.
     *
     * @param query the query
     * @return the funnel
     * @throws org.crmkit.core.NotFoundException when a node is unknown
     * @throws org.crmkit.core.MissingExchangeRateException when a rate is missing
     * @throws ValidationException when the query cannot be answered (e.g. as of before its period)
     */
    public FunnelResult funnel(FunnelQuery query) {
        Resolved r = resolve(query);
        return FunnelMath.funnel(query, cellsOf(r), rules(query), converter, r.rateDate, r.reportedAsOf);
    }

    /**
     * The cells behind a query (merged over its owners).
     *
     * @param query the query
     * @return the cells
     */
    public FunnelCells cells(FunnelQuery query) {
        return cellsOf(resolve(query));
    }

    /**
     * The cell query a funnel query is answered with.
     *
     * @param query the query
     * @return the cell query
     */
    public CellQuery cellQuery(FunnelQuery query) {
        return resolve(query).cellQuery;
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
        Resolved r = resolve(query);
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
        Resolved r = resolve(query);
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

    private KeyRules rules(FunnelQuery query) {
        return new KeyRules(query.policy(), query.process().openStageCount(), query.mode() == FunnelMode.ACTIVITY);
    }

    private FunnelCells cellsOf(Resolved r) {
        return r.cellQuery == null ? FunnelCells.empty() : source.cells(r.cellQuery);
    }

    private record Resolved(CellQuery cellQuery, Instant reportedAsOf, LocalDate rateDate) {
    }

    private Resolved resolve(FunnelQuery q) {
        ZoneId zone = calendar.zone();
        Instant asOf = q.asOf() != null ? q.asOf() : clock.instant();
        Set<ManagerId> owners = owners(q.nodes());
        Period p = q.period();
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
        CellQuery cq = owners.isEmpty() ? null
                : new CellQuery(owners, q.process(), until, createdFrom, createdUntil, activityFrom, q.filter(),
                        BucketBy.NONE, List.of(), zone);
        return new Resolved(cq, reported, rateDate);
    }

    /** Collects the parts of a {@link FunnelEngine}; {@link #build()} validates them. */
    public static final class Builder {
        private OrgStructure org;
        private FunnelCellSource source;
        private CurrencyConverter converter = CurrencyConverter.identityOnly();
        private FiscalCalendar calendar = FiscalCalendar.calendarYear(java.time.ZoneOffset.UTC);
        private Clock clock = Clock.systemUTC();

        private Builder() {
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
         * Sets the clock that gives "now"; default: the UTC system clock.
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
