package org.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.crmkit.core.Fixtures.ALICE;
import static org.crmkit.core.Fixtures.draft;
import static org.crmkit.core.Fixtures.eur;
import static org.crmkit.core.Fixtures.rejected;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetTest {
    private static final Period Q1 = Period.inclusive(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 3, 31));

    @Test
    void twoPlansForOneNodeAndPeriodAreRefusedInsteadOfOneSilentlyReplacingTheOther() {
        SalesPlan first = new SalesPlan(ALICE, Q1, eur("100.00"));
        SalesPlan second = new SalesPlan(ALICE, Q1, eur("200.00"));

        rejected(() -> new Dataset(List.of(), OrgStructure.empty(), List.of(first, second), List.of()), "plans[1]",
                "manager:alice 2026-01-01..2026-04-01");
    }

    @Test
    void twoOpportunitiesOrProcessesWithOneIdAreRefused() {
        rejected(() -> new Dataset(List.of(), OrgStructure.empty(), List.of(),
                List.of(draft().build(), draft().title("again").build())), "opportunities[1]", "opp-1");
        rejected(() -> new Dataset(List.of(SalesProcesses.corporateSales(), SalesProcesses.corporateSales()),
                OrgStructure.empty(), List.of(), List.of()), "processes[1]", "corporate-sales");
    }

    @Test
    void distinctKeysAreKept() {
        Dataset d = new Dataset(List.of(SalesProcesses.corporateSales()), OrgStructure.empty(),
                List.of(new SalesPlan(ALICE, Q1, eur("1.00")), new SalesPlan(UnitId.of("g"), Q1, eur("1.00"))),
                List.of(draft().build()));
        assertThat(d.plans()).hasSize(2);
    }
}
