package org.crmkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.crmkit.core.Dataset;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.UnitId;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.money.CurrencyConverter;
import org.junit.jupiter.api.Test;

class TrainingCompanyTest {
    private final Dataset data = TrainingCompany.build(42);

    @Test
    void theSameSeedGivesTheSameScenario() {
        assertThat(TrainingCompany.build(42)).isEqualTo(data);
        assertThat(TrainingCompany.build(7)).isNotEqualTo(data);
    }

    @Test
    void swissClientsBuyInFrancsAndEveryRateTheReportNeedsExists() {
        assertThat(data.opportunities()).anyMatch(o -> o.currency().getCurrencyCode().equals("CHF"))
                .anyMatch(o -> o.currency().getCurrencyCode().equals("EUR"));
        CurrencyConverter rates = CurrencyConverter.of(TrainingCompany.rates());
        for (LocalDate d = TrainingCompany.START; d.isBefore(LocalDate.of(2027, 12, 31)); d = d.plusDays(10)) {
            assertThat(rates.rate(Amounts.currency("CHF"), Amounts.currency("EUR"), d)).isPositive();
            assertThat(rates.rate(Amounts.currency("EUR"), Amounts.currency("CHF"), d)).isPositive();
        }
    }

    @Test
    void lossesToACompetitorNameTheWinner() {
        long lostToCompetitor = 0;
        for (Opportunity o : data.opportunities()) {
            if (o.status() == OpportunityStatus.LOST && o.closeInfo().orElseThrow().reason().equals("Chose competitor")) {
                lostToCompetitor++;
                assertThat(o.closeInfo().orElseThrow().winningCompetitor()).isNotBlank();
            }
        }
        assertThat(lostToCompetitor).isPositive();
    }

    @Test
    void unitsHaveMonthlyAndQuarterlyPlansOfTheirOwn() {
        var org = data.orgStructure();
        for (UnitId unit : java.util.List.of(UnitId.of("company"), UnitId.of("corporate"), UnitId.of("public"))) {
            for (PeriodType type : java.util.List.of(PeriodType.MONTH, PeriodType.QUARTER)) {
                SalesPlan plan = data.plans().stream()
                        .filter(p -> p.node().equals(unit) && p.period().type() == type).findFirst().orElseThrow();
                BigDecimal months = BigDecimal.valueOf(type == PeriodType.MONTH ? 1 : 3);
                assertThat(Amounts.decimal(plan.target())).isEqualByComparingTo(TrainingCompany.MANAGER_MONTHLY_PLAN
                        .multiply(months).multiply(BigDecimal.valueOf(org.membersOf(unit).size())));
            }
        }
    }

    @Test
    void openDealsInClosingAreCommittedByHand() {
        assertThat(data.opportunities()).filteredOn(o -> o.status() == OpportunityStatus.OPEN
                && o.stage().equals(org.crmkit.core.SalesProcesses.CLOSING)).isNotEmpty()
                .allMatch(o -> o.forecastCategory().orElse(null) == org.crmkit.core.ForecastCategory.COMMIT);
    }

    @Test
    void twoBigDealsEachExceedTheirOwnersHalfYearPlan() {
        BigDecimal halfYear = TrainingCompany.MANAGER_MONTHLY_PLAN.multiply(BigDecimal.valueOf(6));
        assertThat(data.opportunities()).filteredOn(o -> Amounts.decimal(o.amount().orElseThrow()).compareTo(halfYear) > 0)
                .hasSize(2);
    }
}
