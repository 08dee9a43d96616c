package org.crmkit.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.UnitId;
import org.crmkit.core.money.Amounts;
import org.crmkit.testkit.DatasetGenerator;
import org.crmkit.testkit.GeneratorConfig;

/** A report over the testkit's generated company (with history entries), computed once per JVM. */
final class ReportFixture {
    static final DatasetGenerator GEN = DatasetGenerator.of(GeneratorConfig.builder().opportunities(3_000)
            .managers(16).hierarchy(2, 1, 2).fullChildren(true).seed(18).build());
    static final SalesReport REPORT = SalesReport.compute(inputs());

    private ReportFixture() {
    }

    static SalesReport.Inputs inputs() {
        OrgStructure org = GEN.orgStructure();
        UnitId root = org.roots().get(0);
        List<OrgNodeId> departments = new ArrayList<>(org.childUnitsOf(root));
        // the generator sets month and quarter plans; a half-year plan is the sum of its two quarters
        List<SalesPlan> plans = new ArrayList<>(GEN.plans());
        for (SalesPlan q : GEN.plans()) {
            if (q.period().type() != PeriodType.QUARTER) {
                continue;
            }
            Period half = GEN.config().calendar().periodOf(PeriodType.HALF_YEAR, q.period().start());
            if (!half.start().equals(q.period().start())) {
                continue;
            }
            Period second = GEN.config().calendar().next(q.period());
            GEN.plans().stream().filter(p -> p.node().equals(q.node()) && p.period().equals(second)).findFirst()
                    .ifPresent(p -> plans.add(new SalesPlan(q.node(), half, Amounts.of(Amounts.decimal(q.target())
                            .add(Amounts.decimal(p.target())), q.target().getCurrency()))));
        }
        return SalesReport.Inputs.of(org.nameOf(root), org, GEN.process(), plans, GEN.opportunities().toList(),
                GEN.exchangeRates(), GEN.config().calendar(), GEN.config().reportingCurrency(),
                Period.inclusive(GEN.config().start(), GEN.config().end().minusDays(1)), GEN.asOf(), root, departments)
                .withThresholds(21, new BigDecimal("0.25"));
    }
}
