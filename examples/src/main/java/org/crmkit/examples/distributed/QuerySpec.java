package org.crmkit.examples.distributed;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.ValidationException;
import org.crmkit.core.json.CrmJson;
import org.crmkit.funnel.OpportunityFilter;
import org.crmkit.funnel.spi.BucketBy;
import org.crmkit.funnel.spi.CellQuery;

/**
 * A {@link CellQuery} in a form that can be sent to cluster members: strings, instants and
 * the process as JSON. Only unfiltered queries travel (a filter may hold an arbitrary
 * predicate, which cannot be shipped).
 *
 * @param owners the owner ids
 * @param processJson the sales process as crmkit JSON
 * @param until the evaluation instant
 * @param createdFrom creation window start, or null
 * @param createdUntil creation window end, or null
 * @param activityFrom activity window start, or null
 * @param bucketBy the bucketing date
 * @param buckets the buckets
 * @param zone the zone
 */
record QuerySpec(Set<String> owners, String processJson, Instant until, Instant createdFrom, Instant createdUntil,
        Instant activityFrom, BucketBy bucketBy, List<Bucket> buckets, ZoneId zone) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A period bucket as plain values. */
    record Bucket(PeriodType type, LocalDate start, LocalDate end, String label) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    static QuerySpec of(CellQuery q) {
        ValidationException.require(q.filter().isAny(), "query.filter", q.filter(),
                "no filter: the distributed source ships only unfiltered queries");
        Set<String> owners = new TreeSet<>();
        q.owners().forEach(o -> owners.add(o.value()));
        return new QuerySpec(owners, CrmJson.write(q.process()), q.until(), q.createdFrom(), q.createdUntil(),
                q.activityFrom(), q.bucketBy(), q.buckets().stream()
                        .map(p -> new Bucket(p.type(), p.start(), p.end(), p.label())).toList(), q.zone());
    }

    CellQuery toCellQuery() {
        Set<ManagerId> ids = new TreeSet<>();
        owners.forEach(o -> ids.add(ManagerId.of(o)));
        return new CellQuery(ids, CrmJson.readSalesProcess(processJson), until, createdFrom, createdUntil,
                activityFrom, OpportunityFilter.any(), bucketBy,
                buckets.stream().map(b -> new Period(b.type(), b.start(), b.end(), b.label())).toList(), zone);
    }
}
