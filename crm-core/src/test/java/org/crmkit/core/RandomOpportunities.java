package org.crmkit.core;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;
import org.crmkit.core.money.Amounts;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

/**
 * Random valid opportunities of the reference process for property tests: open and
 * closed (won, lost, reopened), several currencies with 0, 2 and 3 fraction digits, random
 * children, transitions with equal and distinct instants. Every opportunity conforms to
 * {@link SalesProcesses#corporateSales()}.
 *
 * <p>Usable from QuickTheories ({@link #opportunities()}, which lets QuickTheories shrink a
 * failing case) and from plain seeded code ({@link #opportunity(SplittableRandom)}).
 */
public final class RandomOpportunities {
    private static final String[] CURRENCIES = {"EUR", "USD", "GBP", "CHF", "JPY", "KWD"};
    private static final String[] WORDS = {"Training", "Licences", "Müller & Söhne", "\"Quoted\" deal", "東京 office",
        "Renewal", "Pilot", "Line\nbreak", "Tab\there", "Slash \\ back"};
    private static final long FROM = Instant.parse("2015-01-01T00:00:00Z").getEpochSecond();
    private static final long TO = Instant.parse("2030-01-01T00:00:00Z").getEpochSecond();

    /** A source of random whole numbers in a closed range. */
    @FunctionalInterface
    public interface Draw {
        /**
         * A number between two bounds.
         *
         * @param min the lowest value
         * @param max the highest value
         * @return a value in {@code [min, max]}
         */
        long between(long min, long max);
    }

    private RandomOpportunities() {
    }

    /**
     * A QuickTheories generator of valid opportunities of the reference process.
     *
     * @return the generator
     */
    public static Gen<Opportunity> opportunities() {
        return in -> opportunity((min, max) -> in.next(Constraint.between(min, max)));
    }

    /**
     * A random valid opportunity from a seeded random source.
     *
     * @param random the source
     * @return the opportunity
     */
    public static Opportunity opportunity(SplittableRandom random) {
        return opportunity((min, max) -> min == max ? min : random.nextLong(min, max + 1));
    }

    /**
     * A random valid opportunity.
     *
     * @param d the source of randomness
     * @return the opportunity
     */
    public static Opportunity opportunity(Draw d) {
        SalesProcess process = SalesProcesses.corporateSales();
        CurrencyUnit currency = Amounts.currency(pick(d, CURRENCIES));
        Instant createdAt = Instant.ofEpochSecond(d.between(FROM, TO), d.between(0, 2) == 0 ? 0 : d.between(0, 999_999_999));
        LocalDate earliestDay = LocalDate.ofInstant(createdAt, ZoneOffset.ofHours(-12));
        ManagerId owner = ManagerId.of("m" + d.between(1, 5));
        Opportunity.Builder b = Opportunity.builder()
                .id("opp-" + d.between(1, 1_000_000))
                .title(pick(d, WORDS) + " " + d.between(1, 999))
                .client(client(d))
                .owner(owner)
                .processId(process.id())
                .probability((int) d.between(0, 100))
                .currency(currency)
                .createdAt(createdAt)
                .expectedCloseDate(earliestDay.plusDays(d.between(0, 400)))
                .tactic(d.between(0, 2) == 0 ? "" : pick(d, WORDS))
                .version(d.between(0, 3) == 0 ? 0 : d.between(1, 1000));
        if (d.between(0, 4) > 0) {
            b.amount(money(d, currency));
        }
        if (d.between(0, 2) > 0) {
            b.budget(money(d, currency));
        }
        for (int i = 0, n = (int) d.between(0, 3); i < n; i++) {
            b.addCompetitor(new Competitor("Competitor " + i, pick(d, WORDS), d.between(0, 1) == 0 ? "" : pick(d, WORDS)));
        }
        for (int i = 0, n = (int) d.between(0, 3); i < n; i++) {
            b.addParticipant(new Participant(ContactId.of("p" + i), pick(d, WORDS), pick(d, DecisionRole.values()),
                    pick(d, Attitude.values())));
        }
        for (int i = 0, n = (int) d.between(0, 2); i < n; i++) {
            b.addLead(new Lead("lead-" + i, pick(d, WORDS)));
        }
        for (int i = 0, n = (int) d.between(0, 3); i < n; i++) {
            BigDecimal quantity = BigDecimal.valueOf(d.between(1, 50_000), (int) d.between(0, 3));
            BigDecimal discount = BigDecimal.valueOf(d.between(0, 1000), 1);
            b.addProductLine(new ProductLine("SKU-" + d.between(1, 99), quantity, money(d, currency),
                    d.between(0, 1) == 0 ? null : discount));
        }
        for (int i = 0, n = (int) d.between(0, 4); i < n; i++) {
            b.addHistory(new HistoryEntry("h" + i, pick(d, HistoryKind.values()),
                    createdAt.plusSeconds(d.between(0, 90L * 86_400)), owner, pick(d, WORDS),
                    d.between(0, 1) == 0 ? "" : pick(d, WORDS)));
        }
        for (Stage s : process.openStages()) {
            for (Step step : s.steps()) {
                if (d.between(0, 1) == 0) {
                    b.completeStep(step.code());
                }
            }
        }
        // A random walk over the stages: any move from an open stage, a reopen from a closed one.
        List<Stage> stages = process.stages();
        List<StageTransition> transitions = new ArrayList<>();
        String stage = stages.get(d.between(0, 3) == 0 ? (int) d.between(0, process.openStageCount() - 1) : 0).code();
        Instant at = createdAt.plusSeconds(d.between(0, 1) == 0 ? 0 : d.between(0, 3600));
        transitions.add(new StageTransition(null, stage, at, owner));
        for (int i = 0, n = (int) d.between(0, 8); i < n; i++) {
            boolean closed = !process.stage(stage).isOpen();
            int bound = closed ? process.openStageCount() - 1 : stages.size() - 1;
            String next = stages.get((int) d.between(0, bound)).code();
            if (next.equals(stage)) {
                continue;
            }
            at = at.plus(Duration.ofSeconds(d.between(0, 3) == 0 ? 0 : d.between(1, 30L * 86_400)));
            transitions.add(new StageTransition(stage, next, at, ManagerId.of("m" + d.between(1, 5))));
            stage = next;
        }
        b.stage(stage).transitions(transitions);
        // the close date is the closing transition's day in some zone, or left to the model
        LocalDate closeDate = d.between(0, 3) == 0 ? null
                : LocalDate.ofInstant(at, ZoneOffset.ofHours((int) d.between(-12, 14)));
        if (SalesProcess.WON.equals(stage)) {
            CloseInfo won = CloseInfo.won(closeDate, money(d, currency), d.between(0, 1) == 0 ? null : pick(d, WORDS));
            b.closeInfo(d.between(0, 1) == 0 ? won : won.withHoursSpent(BigDecimal.valueOf(d.between(0, 100_000), 1)));
        } else if (SalesProcess.LOST.equals(stage)) {
            b.closeInfo(new CloseInfo(closeDate, d.between(0, 3) == 0 ? money(d, currency) : null,
                    d.between(0, 1) == 0 ? null : BigDecimal.valueOf(d.between(0, 500)),
                    d.between(0, 1) == 0 ? null : pick(d, WORDS), d.between(0, 1) == 0 ? null : "Competitor 0"));
        }
        if (d.between(0, 1) == 0) {
            b.forecastCategory(pick(d, ForecastCategory.values()));
        }
        return b.build().requireConformsTo(process);
    }

    /**
     * A random non-negative amount, exact at the currency's minor unit; sometimes whole
     * units (scale 0) to exercise scale handling.
     *
     * @param d the source of randomness
     * @param currency the currency
     * @return the amount
     */
    public static MonetaryAmount money(Draw d, CurrencyUnit currency) {
        long minor = d.between(0, 2) == 0 ? d.between(0, 100) : d.between(0, 10_000_000_000L);
        if (d.between(0, 3) == 0) {
            return Amounts.of(BigDecimal.valueOf(minor), currency);
        }
        return Amounts.fromMinorUnits(minor, currency);
    }

    private static ClientRef client(Draw d) {
        switch ((int) d.between(0, 5)) {
            case 0:
                return null;
            case 1:
                return ClientRef.account("acc-" + d.between(1, 50), null);
            case 2:
            case 3:
                return ClientRef.account("acc-" + d.between(1, 50), pick(d, WORDS));
            default:
                return ClientRef.contact("con-" + d.between(1, 50), pick(d, WORDS));
        }
    }

    private static <T> T pick(Draw d, T[] values) {
        return values[(int) d.between(0, values.length - 1)];
    }
}
