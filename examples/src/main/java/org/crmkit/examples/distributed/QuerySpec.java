package org.crmkit.examples.distributed;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.crmkit.core.ClientId;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.ValidationException;
import org.crmkit.core.json.CrmJson;
import org.crmkit.core.money.Amounts;
import org.crmkit.funnel.CountingPolicy;
import org.crmkit.funnel.OpportunityFilter;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.BucketBy;

/**
 * An {@link AggregateQuery} in a form that can be sent to cluster members: strings, instants,
 * the process as JSON, the filter's clients and currencies as codes. A custom filter predicate
 * travels when it is {@link Serializable} (e.g. a lambda cast to
 * {@code Predicate<Opportunity> & Serializable}); any other is refused with a clear error,
 * since it could not run on the members.
 *
 * @param owners the owner ids
 * @param processJson the sales process as crmkit JSON
 * @param asOf the instant of the state
 * @param createdFrom creation window start, or null
 * @param createdUntil creation window end, or null
 * @param activityFrom activity window start, or null
 * @param policy the counting policy
 * @param clients the filter's client ids
 * @param currencies the filter's currency codes
 * @param predicate the filter's custom predicate (serializable), or null
 * @param bucketBy the bucketing date
 * @param buckets the buckets
 * @param zone the zone
 * @param winLoss whether the win/loss tables are asked for
 */
record QuerySpec(Set<String> owners, String processJson, Instant asOf, Instant createdFrom, Instant createdUntil,
        Instant activityFrom, CountingPolicy policy, Set<String> clients, Set<String> currencies,
        Predicate<Opportunity> predicate, BucketBy bucketBy, List<Bucket> buckets, ZoneId zone, boolean winLoss)
        implements Serializable {
    private static final long serialVersionUID = 2L;

    /** A period bucket as plain values. */
    record Bucket(PeriodType type, LocalDate start, LocalDate end, String label) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    static QuerySpec of(AggregateQuery q) {
        Predicate<Opportunity> predicate = q.filter().predicate();
        ValidationException.require(predicate == null || predicate instanceof Serializable, "query.filter.predicate",
                predicate, "a Serializable predicate (it runs on the cluster members)");
        Set<String> owners = new TreeSet<>();
        q.owners().forEach(o -> owners.add(o.value()));
        Set<String> clients = new TreeSet<>();
        q.filter().clients().forEach(c -> clients.add(c.value()));
        Set<String> currencies = new TreeSet<>();
        q.filter().currencies().forEach(c -> currencies.add(c.getCurrencyCode()));
        return new QuerySpec(owners, CrmJson.write(q.process()), q.asOf(), q.createdFrom(), q.createdUntil(),
                q.activityFrom(), q.policy(), clients, currencies, predicate, q.bucketBy(), q.buckets().stream()
                        .map(p -> new Bucket(p.type(), p.start(), p.end(), p.label())).toList(), q.zone(), q.winLoss());
    }

    AggregateQuery toQuery() {
        Set<ManagerId> ids = new TreeSet<>();
        owners.forEach(o -> ids.add(ManagerId.of(o)));
        Set<ClientId> clientIds = new TreeSet<>();
        clients.forEach(c -> clientIds.add(ClientId.of(c)));
        Set<javax.money.CurrencyUnit> units = new java.util.HashSet<>();
        currencies.forEach(c -> units.add(Amounts.currency(c)));
        return AggregateQuery.builder(ids, CrmJson.readSalesProcess(processJson), asOf).created(createdFrom, createdUntil)
                .activityFrom(activityFrom).policy(policy)
                .filter(new OpportunityFilter(clientIds, units, predicate))
                .buckets(bucketBy, buckets.stream().map(b -> new Period(b.type(), b.start(), b.end(), b.label())).toList())
                .zone(zone).winLoss(winLoss).build();
    }
}
