package org.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.crmkit.core.Fixtures.eur;
import static org.crmkit.core.Fixtures.rejected;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class SalesPlanTest {
    private static final Period Q1 = Period.inclusive(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 3, 31));

    @Test
    void aPlanHoldsATargetForANodeAndPeriod() {
        SalesPlan plan = new SalesPlan(UnitId.of("sales"), Q1, eur("250000.00"));
        assertThat(plan.node().key()).isEqualTo("unit:sales");
        assertThat(plan.target()).isEqualTo(eur("250000"));
        assertThat(new SalesPlan(ManagerId.of("ann"), Q1, eur("0")).target().isZero()).isTrue();
    }

    @Test
    void planRulesAreChecked() {
        rejected(() -> new SalesPlan(UnitId.of("sales"), Q1, eur("-1.00")), "plan.target", "EUR -1");
        rejected(() -> new SalesPlan(UnitId.of("sales"), Q1, eur("1.001")), "plan.target", "EUR 1.001");
        rejected(() -> new SalesPlan(null, Q1, eur("1.00")), "plan.node", "null");
        rejected(() -> new SalesPlan(UnitId.of("sales"), null, eur("1.00")), "plan.period", "null");
        rejected(() -> new SalesPlan(UnitId.of("sales"), Q1, null), "plan.target", "null");
    }
}
