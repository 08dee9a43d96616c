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
     * {@link #draft()} won from Qualification 30 days after creation (close date taken from
     * the closing transition), revenue EUR 1.00.
     *
     * @return the builder
     */
    public static Opportunity.Builder wonDraft() {
        return draft().stage(SalesProcess.WON)
                .transitions(java.util.List.of(new StageTransition(null, SalesProcesses.QUALIFICATION, T0, ALICE),
                        new StageTransition(SalesProcesses.QUALIFICATION, SalesProcess.WON,
                                T0.plus(java.time.Duration.ofDays(30)), ALICE)))
                .closeInfo(CloseInfo.won(null, eur("1.00"), null));
    }

    /**
     * Asserts that a batch call fails with a {@link BatchValidationException} rejecting exactly
     * the given positions, each naming its opportunity and the failed field.
     *
     * @param call the call
     * @param expected pairs of position and field, e.g. {@code 2, "id"}
     * @return the exception, for more checks
     */
    public static BatchValidationException rejectedBatch(ThrowingCallable call, Object... expected) {
        BatchValidationException[] out = new BatchValidationException[1];
        assertThatThrownBy(call).isInstanceOfSatisfying(BatchValidationException.class, e -> {
            assertThat(e.rejections()).hasSize(expected.length / 2);
            for (int i = 0; i < expected.length; i += 2) {
                Rejection r = e.rejections().get(i / 2);
                assertThat(r.index()).isEqualTo(expected[i]);
                assertThat(r.failures()).extracting(ValidationException::field).contains((String) expected[i + 1]);
                assertThat(e.getMessage()).contains(r.toString());
            }
            out[0] = e;
        });
        return out[0];
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
