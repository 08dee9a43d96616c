package org.crmkit.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.crmkit.core.ManagerId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.money.Amounts;
import org.junit.jupiter.api.Test;

class LargeDealReviewTest {
    @Test
    void attainmentIsShownWithAndWithoutTheDealsAboveAShareOfTheOwnersPlan() {
        OrgStructure org = OrgStructure.builder().unit(UnitId.of("team"), "Team", UnitKind.GROUP).manager(ManagerId.of("ann"), "Ann")
                .manager(ManagerId.of("bob"), "Bob").manager(ManagerId.of("cid"), "Cid").member(ManagerId.of("ann"), UnitId.of("team")).member(ManagerId.of("bob"), UnitId.of("team"))
                .member(ManagerId.of("cid"), UnitId.of("team")).build();
        Period quarter = Deals.APRIL.periodOf(PeriodType.QUARTER, Deals.AS_OF);
        List<SalesPlan> plans = List.of(new SalesPlan(ManagerId.of("ann"), quarter, Amounts.of("1000", "EUR")),
                new SalesPlan(ManagerId.of("bob"), quarter, Amounts.of("1000", "EUR")));
        ForecastSnapshot s = Deals.engine(Deals.config().periodType(PeriodType.MONTH).build()).snapshot(List.of(
                Deals.won("a1", "ann", "2400.00", "EUR", LocalDate.of(2026, 5, 10)),
                Deals.won("a2", "ann", "200.00", "EUR", LocalDate.of(2026, 6, 1)),
                Deals.open("a3", "ann", 50, "600.00", LocalDate.of(2026, 6, 28)),
                Deals.open("a4", "ann", 50, "100.00", LocalDate.of(2026, 6, 28)),
                Deals.won("b1", "bob", "300.00", "EUR", LocalDate.of(2026, 4, 20)),
                Deals.won("c1", "cid", "9000.00", "EUR", LocalDate.of(2026, 4, 20))), Deals.AS_OF);
        LargeDealReview r = LargeDealReview.of(s, org, UnitId.of("team"), quarter, plans, new BigDecimal("0.5"));
        assertThat(r.owners()).extracting(o -> o.owner().value()).containsExactly("ann", "bob"); // cid has no plan
        LargeDealReview.OwnerLargeDeals ann = r.owners().get(0);
        assertThat(ann.threshold()).isEqualByComparingTo("500");
        assertThat(ann.largeDeals()).extracting(l -> l.id().value()).containsExactly("a1", "a3");
        assertThat(ann.actual()).isEqualByComparingTo("2600.00");
        assertThat(ann.actualWithoutLarge()).isEqualByComparingTo("200.00");
        assertThat(ann.attainment()).isEqualByComparingTo("2.6");
        assertThat(ann.attainmentWithoutLarge()).isEqualByComparingTo("0.2");
        // projected = 2600 + 0.5 x 600 + 0.5 x 100; without the large ones = 200 + 50
        assertThat(ann.projected()).isEqualByComparingTo("2950");
        assertThat(ann.projectedWithoutLarge()).isEqualByComparingTo("250");
        LargeDealReview.OwnerLargeDeals bob = r.owners().get(1);
        assertThat(bob.largeDeals()).isEmpty();
        assertThat(bob.attainment()).isEqualByComparingTo(bob.attainmentWithoutLarge());
    }
}
