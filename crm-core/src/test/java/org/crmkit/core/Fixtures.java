package org.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import javax.money.MonetaryAmount;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
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

    /**
     * Asserts that a call fails with a {@link ValidationException} naming the field and the
     * value, in its accessors and in its message.
     *
     * @param call the call
     * @param field the expected field
     * @param value the expected value as text
     */
    public static void rejected(ThrowingCallable call, String field, String value) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ValidationException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.value()).isEqualTo(value);
            assertThat(e.getMessage()).contains(field).contains(value);
        });
    }
}
