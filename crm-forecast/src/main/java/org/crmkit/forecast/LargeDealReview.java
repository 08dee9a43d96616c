package org.crmkit.forecast;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.crmkit.core.ManagerId;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.ValidationException;

/**
 * Large deals of a period, owner by owner: for each manager of a node, the deals won in the
 * period or open and expected in it whose amount exceeds a share of the manager's own plan for
 * the period, and the manager's attainment with and without them. With big clients one sale can
 * beat a half-year plan several times while the rest of the manager's work is below plan; this
 * review shows both pictures side by side.
 *
 * @param node the node whose managers are reviewed
 * @param period the period (e.g. a half-year), made of whole forecast buckets
 * @param share a deal is large above {@code share × the owner's plan}
 * @param conversion how figures were converted
 * @param owners one line per manager with a plan, largest share of large deals first
 */
public record LargeDealReview(OrgNodeId node, Period period, BigDecimal share, ConversionBasis conversion,
        List<OwnerLargeDeals> owners) {
    /**
     * Validates and copies.
     *
     * @throws ValidationException when a value is missing
     */
    public LargeDealReview {
        ValidationException.requireNonNull(node, "node");
        ValidationException.requireNonNull(period, "period");
        ValidationException.requireNonNull(share, "share");
        ValidationException.requireNonNull(conversion, "conversion");
        owners = List.copyOf(ValidationException.requireNonNull(owners, "owners"));
    }

    /**
     * One manager's large deals.
     *
     * @param owner the manager
     * @param plan the manager's plan for the period
     * @param threshold plan × share
     * @param largeDeals the won and open deals of the period above the threshold, largest first
     * @param actual won revenue in the period
     * @param actualWithoutLarge won revenue without the large won deals
     * @param attainment actual / plan, null without a positive plan
     * @param attainmentWithoutLarge (actual without large) / plan, null without a positive plan
     * @param projected actual + weighted open of the period
     * @param projectedWithoutLarge projected without the large deals (won and open)
     */
    public record OwnerLargeDeals(ManagerId owner, BigDecimal plan, BigDecimal threshold, List<ForecastLine> largeDeals,
            BigDecimal actual, BigDecimal actualWithoutLarge, BigDecimal attainment, BigDecimal attainmentWithoutLarge,
            BigDecimal projected, BigDecimal projectedWithoutLarge) {
        /**
         * Validates and copies.
         *
         * @throws ValidationException when a value is missing
         */
        public OwnerLargeDeals {
            ValidationException.requireNonNull(owner, "owner");
            ValidationException.requireNonNull(plan, "plan");
            ValidationException.requireNonNull(threshold, "threshold");
            largeDeals = List.copyOf(ValidationException.requireNonNull(largeDeals, "largeDeals"));
            ValidationException.requireNonNull(actual, "actual");
            ValidationException.requireNonNull(actualWithoutLarge, "actualWithoutLarge");
            ValidationException.requireNonNull(projected, "projected");
            ValidationException.requireNonNull(projectedWithoutLarge, "projectedWithoutLarge");
        }
    }

    /**
     * Reviews the managers of a node. Managers without a plan for the period are left out (no
     * threshold can be set for them).
     *
     * @param snapshot the close-date snapshot holding the deals
     * @param org the org structure
     * @param node the node
     * @param period the period, made of whole buckets of the snapshot
     * @param plans the plans
     * @param share the share of the owner's plan above which a deal is large, &gt; 0
     * @return the review
     * @throws ValidationException when the share is not positive or the period does not align
     * @throws org.crmkit.core.NotFoundException when the node is unknown
     */
    public static LargeDealReview of(ForecastSnapshot snapshot, OrgStructure org, OrgNodeId node, Period period,
            Collection<SalesPlan> plans, BigDecimal share) {
        Objects.requireNonNull(snapshot, "snapshot");
        ValidationException.requireNonNull(share, "share");
        ValidationException.require(share.signum() > 0, "share", share, "a share > 0");
        List<OwnerLargeDeals> out = new ArrayList<>();
        for (ManagerId m : org.membersOf(node)) {
            PlanVsActual pva = snapshot.planVsActual(org, m, period, plans);
            if (pva.plan() == null) {
                continue;
            }
            BigDecimal threshold = pva.plan().multiply(share);
            List<ForecastLine> large = new ArrayList<>();
            BigDecimal largeWon = BigDecimal.ZERO;
            BigDecimal largeOpen = BigDecimal.ZERO;
            for (ForecastLine l : snapshot.lines(org, m)) {
                boolean inPeriod = !l.period().start().isBefore(period.start()) && !l.period().end().isAfter(period.end());
                boolean counts = l.status() == OpportunityStatus.WON || l.countsInWeightedOpen();
                if (inPeriod && counts && l.amount().compareTo(threshold) > 0) {
                    large.add(l);
                    if (l.status() == OpportunityStatus.WON) {
                        largeWon = largeWon.add(l.amount());
                    } else {
                        largeOpen = largeOpen.add(l.expected());
                    }
                }
            }
            large.sort(Comparator.comparing(ForecastLine::amount).reversed().thenComparing(l -> l.id().value()));
            BigDecimal without = pva.actual().subtract(largeWon);
            boolean planned = pva.plan().signum() > 0;
            out.add(new OwnerLargeDeals(m, pva.plan(), threshold, large, pva.actual(), without,
                    planned ? pva.actual().divide(pva.plan(), MathContext.DECIMAL64) : null,
                    planned ? without.divide(pva.plan(), MathContext.DECIMAL64) : null, pva.projected(),
                    pva.projected().subtract(largeWon).subtract(largeOpen)));
        }
        out.sort(Comparator.comparing((OwnerLargeDeals o) -> o.largeDeals().size()).reversed()
                .thenComparing(o -> o.owner().value()));
        return new LargeDealReview(node, period, share, snapshot.conversion(), out);
    }
}
