package org.crmkit.core;

import java.time.Instant;
import java.time.LocalDate;
import javax.money.MonetaryAmount;
import org.crmkit.core.money.Amounts;

/** Small shared values for the core tests. */
public final class Fixtures {
    /** The reference process, guided. */
    public static final SalesProcess CORP = SalesProcesses.corporateSales();
    /** The reference process, free. */
    public static final SalesProcess CORP_FREE = SalesProcesses.corporateSales(ProcessMode.FREE);
    /** A creation instant: Monday 2 March 2026, 10:00 UTC. */
    public static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    /** The owner of the draft opportunity. */
    public static final ManagerId ALICE = ManagerId.of("alice");

    private Fixtures() {
    }

    /**
     * An amount in euros.
     *
     * @param value the decimal text
     * @return the amount
     */
    public static MonetaryAmount eur(String value) {
        return Amounts.of(value, "EUR");
    }

    /**
     * An amount in US dollars.
     *
     * @param value the decimal text
     * @return the amount
     */
    public static MonetaryAmount usd(String value) {
        return Amounts.of(value, "USD");
    }

    /**
     * A valid open opportunity at the first stage of {@link #CORP}, created at {@link #T0}.
     *
     * @return the builder
     */
    public static Opportunity.Builder draft() {
        return Opportunity.builder()
                .id("opp-1")
                .title("Leadership training")
                .client(ClientRef.account("acme", "ACME Corp"))
                .owner(ALICE)
                .processId(CORP.id())
                .stage(SalesProcesses.QUALIFICATION)
                .probability(10)
                .currency("EUR")
                .amount(eur("12000.00"))
                .createdAt(T0)
                .expectedCloseDate(LocalDate.of(2026, 6, 30));
    }
}
