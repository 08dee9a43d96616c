package org.crmkit.funnel;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.money.CurrencyUnit;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.Period;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;

/**
 * A funnel question: the scope (org nodes, a process, a filter), the period and mode, the
 * counting policy and the reporting currency. Build one with {@link #builder(SalesProcess)}.
 *
 * <p>Defaults fit a first question, "everything, as of now": no nodes is the whole book
 * (every owner the source holds opportunities of, inside the org structure or not); no period
 * is {@link FunnelMode#SNAPSHOT} as of now (a period without a mode is its
 * {@link FunnelMode#COHORT}); no reporting currency is the engine's default or, without one,
 * the only currency of the population (the result says which, see {@link FunnelNotice}).
 *
 * <p>Scope: the opportunities owned by the distinct managers the nodes cover
 * ({@code OrgStructure.membersOf}, united over the nodes), so an opportunity whose owner is
 * reachable by two paths counts once. A manager node that is not in the org structure covers
 * its own opportunities (and the result says it is not in the org).
 *
 * <p>Currency policy: every amount is converted into {@code reportingCurrency} at the rate of
 * one date, {@code rateDate}, by default the as-of date of the query (the date, in the
 * engine's zone, of the instant the state is replayed to). One date for every figure keeps a
 * funnel internally comparable: a stage's amount never changes because of when its deals
 * closed.
 *
 * @param nodes the org nodes (managers or units) whose opportunities count; empty for the
 *     whole book
 * @param process the sales process
 * @param mode the period mode
 * @param period the period; a funnel in mode {@link FunnelMode#COHORT} or
 *     {@link FunnelMode#ACTIVITY} needs one, {@link FunnelMode#SNAPSHOT} takes it as an
 *     optional creation window; null when none (reports that set the period themselves,
 *     such as dynamics and coverage, need none)
 * @param asOf the instant the state is replayed to, null for the engine clock's now
 * @param policy the counting policy
 * @param reportingCurrency the currency of every amount in the result, null for the engine's
 *     default or the only currency of the population
 * @param rateDate the date of the exchange rates, null for the as-of date
 * @param filter the opportunity filter
 */
public record FunnelQuery(List<OrgNodeId> nodes, SalesProcess process, FunnelMode mode, Period period, Instant asOf,
        CountingPolicy policy, CurrencyUnit reportingCurrency, LocalDate rateDate, OpportunityFilter filter) {
    /**
     * Validates the query.
     *
     * @throws ValidationException when a value is missing
     */
    public FunnelQuery {
        nodes = List.copyOf(ValidationException.requireNonNull(nodes, "query.nodes"));
        ValidationException.requireNonNull(process, "query.process");
        ValidationException.requireNonNull(mode, "query.mode");
        ValidationException.requireNonNull(policy, "query.policy");
        ValidationException.requireNonNull(filter, "query.filter");
    }

    /**
     * Starts a builder; defaults: the whole book, SNAPSHOT as of now without a period (COHORT
     * of the period with one), policy LINEAR, no filter, the reporting currency of the engine
     * or the population, rates of the as-of date.
     *
     * @param process the sales process
     * @return the builder
     */
    public static Builder builder(SalesProcess process) {
        return new Builder(Objects.requireNonNull(process, "process"));
    }

    /**
     * A builder holding this query, to derive a changed copy.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(process);
        b.nodes.addAll(nodes);
        b.mode = mode;
        b.period = period;
        b.asOf = asOf;
        b.policy = policy;
        b.reportingCurrency = reportingCurrency;
        b.rateDate = rateDate;
        b.filter = filter;
        return b;
    }

    /**
     * The period.
     *
     * @return the period, empty for a snapshot over all time
     */
    public Optional<Period> periodIfAny() {
        return Optional.ofNullable(period);
    }

    /**
     * The reporting currency the query names.
     *
     * @return the currency, empty when the engine chooses it
     */
    public Optional<CurrencyUnit> reportingCurrencyIfAny() {
        return Optional.ofNullable(reportingCurrency);
    }

    /**
     * A copy with other nodes.
     *
     * @param newNodes the nodes
     * @return the copy
     */
    public FunnelQuery withNodes(List<? extends OrgNodeId> newNodes) {
        return new FunnelQuery(List.copyOf(newNodes), process, mode, period, asOf, policy, reportingCurrency, rateDate,
                filter);
    }

    /**
     * A copy with another period.
     *
     * @param newPeriod the period
     * @return the copy
     */
    public FunnelQuery withPeriod(Period newPeriod) {
        return new FunnelQuery(nodes, process, mode, newPeriod, asOf, policy, reportingCurrency, rateDate, filter);
    }

    /**
     * A copy with another counting policy.
     *
     * @param newPolicy the policy
     * @return the copy
     */
    public FunnelQuery withPolicy(CountingPolicy newPolicy) {
        return new FunnelQuery(nodes, process, mode, period, asOf, newPolicy, reportingCurrency, rateDate, filter);
    }

    /** Collects the parts of a {@link FunnelQuery}; {@link #build()} validates them. */
    public static final class Builder {
        private final SalesProcess process;
        private final List<OrgNodeId> nodes = new ArrayList<>();
        private FunnelMode mode;
        private Period period;
        private Instant asOf;
        private CountingPolicy policy = CountingPolicy.LINEAR;
        private CurrencyUnit reportingCurrency;
        private LocalDate rateDate;
        private OpportunityFilter filter = OpportunityFilter.any();

        private Builder(SalesProcess process) {
            this.process = process;
        }

        /**
         * Adds org nodes to the scope.
         *
         * @param values managers or units
         * @return this builder
         */
        public Builder nodes(OrgNodeId... values) {
            for (OrgNodeId v : values) {
                nodes.add(Objects.requireNonNull(v, "node"));
            }
            return this;
        }

        /**
         * Adds org nodes to the scope.
         *
         * @param values managers or units
         * @return this builder
         */
        public Builder nodes(List<? extends OrgNodeId> values) {
            values.forEach(v -> nodes.add(Objects.requireNonNull(v, "node")));
            return this;
        }

        /**
         * Sets the mode; when not set, a query with a period is its {@link FunnelMode#COHORT}
         * and one without is a {@link FunnelMode#SNAPSHOT} as of now.
         *
         * @param value the mode
         * @return this builder
         */
        public Builder mode(FunnelMode value) {
            this.mode = value;
            return this;
        }

        /**
         * Sets the period.
         *
         * @param value the period
         * @return this builder
         */
        public Builder period(Period value) {
            this.period = value;
            return this;
        }

        /**
         * Sets the as-of instant.
         *
         * @param value the instant the state is replayed to
         * @return this builder
         */
        public Builder asOf(Instant value) {
            this.asOf = value;
            return this;
        }

        /**
         * Sets the counting policy.
         *
         * @param value the policy
         * @return this builder
         */
        public Builder policy(CountingPolicy value) {
            this.policy = value;
            return this;
        }

        /**
         * Sets the reporting currency; when not set, the engine's default or the only currency
         * of the population is used.
         *
         * @param value the currency, or null to let the engine choose
         * @return this builder
         */
        public Builder reportingCurrency(CurrencyUnit value) {
            this.reportingCurrency = value;
            return this;
        }

        /**
         * Sets the reporting currency by code.
         *
         * @param code an ISO-4217 code
         * @return this builder
         */
        public Builder reportingCurrency(String code) {
            return reportingCurrency(Amounts.currency(code));
        }

        /**
         * Sets the date of the exchange rates.
         *
         * @param value the rate date
         * @return this builder
         */
        public Builder rateDate(LocalDate value) {
            this.rateDate = value;
            return this;
        }

        /**
         * Sets the filter.
         *
         * @param value the filter
         * @return this builder
         */
        public Builder filter(OpportunityFilter value) {
            this.filter = value;
            return this;
        }

        /**
         * Validates and builds the query.
         *
         * @return the query
         * @throws ValidationException when a value is missing
         */
        public FunnelQuery build() {
            FunnelMode m = mode != null ? mode : period == null ? FunnelMode.SNAPSHOT : FunnelMode.COHORT;
            return new FunnelQuery(nodes, process, m, period, asOf, policy, reportingCurrency, rateDate, filter);
        }
    }
}
