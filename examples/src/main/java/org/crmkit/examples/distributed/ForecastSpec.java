package org.crmkit.examples.distributed;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.Set;
import java.util.TreeSet;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Period;
import org.crmkit.core.money.Amounts;
import org.crmkit.funnel.spi.ForecastQuery;

/**
 * A {@link ForecastQuery} in a form that can be sent to cluster members: owner ids, the as-of
 * date, the overdue rule, the reporting currency's code, the window as plain values and the zone
 * id. Every field is a value, so the query needs no custom serialization and no opportunity.
 *
 * @param owners the owner ids, or null for every owner
 * @param asOf the as-of date
 * @param overdueToCurrentMonth whether overdue open opportunities count in the as-of month
 * @param reportingCurrency the reporting currency's code
 * @param window the window, or null for every month
 * @param zone the zone id
 */
record ForecastSpec(Set<String> owners, LocalDate asOf, boolean overdueToCurrentMonth, String reportingCurrency,
        QuerySpec.Bucket window, String zone) implements Serializable {
    private static final long serialVersionUID = 1L;

    static ForecastSpec of(ForecastQuery q) {
        Set<String> owners = null;
        if (q.owners() != null) {
            // a TreeSet: serializable whatever Set.copyOf returned, and the same bytes for the same owners
            owners = new TreeSet<>();
            for (ManagerId o : q.owners()) {
                owners.add(o.value());
            }
        }
        Period w = q.window();
        return new ForecastSpec(owners, q.asOf(), q.overdueToCurrentMonth(), q.reportingCurrency().getCurrencyCode(),
                w == null ? null : new QuerySpec.Bucket(w.type(), w.start(), w.end(), w.label()), q.zone().getId());
    }

    ForecastQuery toQuery() {
        Set<ManagerId> ids = null;
        if (owners != null) {
            ids = new TreeSet<>();
            for (String o : owners) {
                ids.add(ManagerId.of(o));
            }
        }
        return new ForecastQuery(ids, asOf, overdueToCurrentMonth, Amounts.currency(reportingCurrency),
                window == null ? null : new Period(window.type(), window.start(), window.end(), window.label()),
                java.time.ZoneId.of(zone));
    }
}
