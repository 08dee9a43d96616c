package org.crmkit.forecast;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneId;
import org.crmkit.core.ClientRef;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.SalesProcesses;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.money.ExchangeRateTable;

/** Test data: opportunities of the reference process, a fiscal calendar starting in April, rates. */
final class Deals {
    static final Instant CREATED = Instant.parse("2026-01-01T12:00:00Z");
    static final LocalDate AS_OF = LocalDate.of(2026, 6, 15);
    static final SalesProcess PROCESS = SalesProcesses.corporateSales();
    static final FiscalCalendar APRIL = FiscalCalendar.of(Month.APRIL, ZoneId.of("Europe/Berlin"));
    /** USD to EUR: 0.90 from 2026-01-01, 0.80 from 2026-04-01, 0.75 from 2026-06-01. */
    static final ExchangeRateTable RATES = ExchangeRateTable.builder()
            .rate("USD", "EUR", LocalDate.of(2026, 1, 1), "0.90")
            .rate("USD", "EUR", LocalDate.of(2026, 4, 1), "0.80")
            .rate("USD", "EUR", LocalDate.of(2026, 6, 1), "0.75")
            .build();

    private Deals() {
    }

    static Opportunity.Builder base(String id, String owner, String currency) {
        return Opportunity.builder().id(id).title("Deal " + id).client(ClientRef.account("c-" + id, "Client " + id))
                .owner(ManagerId.of(owner)).processId(PROCESS.id()).currency(currency).createdAt(CREATED);
    }

    static Opportunity open(String id, String owner, String stage, int probability, String amount, String currency,
            LocalDate expectedClose) {
        return base(id, owner, currency).stage(stage).probability(probability)
                .amount(amount == null ? null : Amounts.of(amount, currency)).expectedCloseDate(expectedClose).build();
    }

    static Opportunity open(String id, String owner, int probability, String amount, LocalDate expectedClose) {
        return open(id, owner, SalesProcesses.PROPOSAL_PREPARATION, probability, amount, "EUR", expectedClose);
    }

    static Opportunity withCategory(Opportunity o, ForecastCategory category) {
        return o.toBuilder().forecastCategory(category).build();
    }

    /**
     * Closes a deal into a terminal stage on a day: created at Qualification, then the
     * closing transition at noon UTC of that day (every closed deal has one).
     */
    static Opportunity.Builder closedOn(Opportunity.Builder b, String terminal, LocalDate day) {
        Instant at = day.atTime(12, 0).toInstant(java.time.ZoneOffset.UTC);
        return b.stage(terminal).transitions(java.util.List.of(
                new org.crmkit.core.StageTransition(null, SalesProcesses.QUALIFICATION, CREATED, ManagerId.of("m1")),
                new org.crmkit.core.StageTransition(SalesProcesses.QUALIFICATION, terminal, at.isBefore(CREATED)
                        ? CREATED : at, ManagerId.of("m1"))));
    }

    static Opportunity won(String id, String owner, String revenue, String currency, LocalDate closeDate) {
        return closedOn(base(id, owner, currency), SalesProcess.WON, closeDate).probability(100)
                .amount(Amounts.of(revenue, currency)).expectedCloseDate(closeDate)
                .closeInfo(CloseInfo.won(closeDate, Amounts.of(revenue, currency), "price")).build();
    }

    static Opportunity lost(String id, String owner, String amount, LocalDate closeDate) {
        return closedOn(base(id, owner, "EUR"), SalesProcess.LOST, closeDate).probability(0)
                .amount(Amounts.of(amount, "EUR")).expectedCloseDate(closeDate)
                .closeInfo(CloseInfo.lost(closeDate, "price", null)).build();
    }

    static ForecastConfig.Builder config() {
        return ForecastConfig.builder(APRIL, Amounts.currency("EUR"));
    }

    static ForecastEngine engine(ForecastConfig config) {
        return ForecastEngine.builder(config).processes(PROCESS).exchangeRates(RATES).build();
    }
}
