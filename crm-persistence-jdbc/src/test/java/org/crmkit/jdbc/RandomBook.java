package org.crmkit.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.crmkit.core.ClientRef;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.SalesProcesses;
import org.crmkit.core.StageTransition;
import org.crmkit.core.money.Amounts;

/**
 * Seeded random opportunities with awkward histories: skipped stages, backward moves, ties,
 * reopened deals, nanosecond instants, unknown amounts and three currencies.
 */
final class RandomBook {
    static final SalesProcess PROCESS = SalesProcesses.corporateSales();
    static final Instant START = Instant.parse("2025-06-01T00:00:00Z");
    static final List<String> OWNERS = List.of("m1", "m2", "m3", "m4");
    static final List<String> CURRENCIES = List.of("EUR", "USD", "JPY");
    private static final List<String> REASONS = List.of("price", "fit", "timing");

    private RandomBook() {
    }

    static List<Opportunity> opportunities(long seed, int count) {
        Random r = new Random(seed);
        List<Opportunity> out = new ArrayList<>(count);
        int open = PROCESS.openStageCount();
        for (int i = 0; i < count; i++) {
            String id = String.format("o%05d", i);
            ManagerId owner = ManagerId.of(OWNERS.get(r.nextInt(OWNERS.size())));
            String currency = CURRENCIES.get(r.nextInt(CURRENCIES.size()));
            Instant created = START.plusSeconds(r.nextInt(400 * 86_400)).plusNanos(r.nextBoolean() ? 0 : r.nextInt(1_000_000_000));
            List<StageTransition> ts = new ArrayList<>();
            String stage = PROCESS.stages().get(r.nextInt(3)).code();
            ts.add(new StageTransition(null, stage, created, owner));
            Instant at = created;
            int moves = r.nextInt(6);
            boolean closed = false;
            for (int m = 0; m < moves || (closed && r.nextInt(10) == 0); m++) {
                at = r.nextInt(8) == 0 ? at : at.plusSeconds(r.nextInt(40 * 86_400)).plusNanos(r.nextInt(1000));
                String next;
                // a closed deal only reopens (into an open stage): a deal closes from an open stage
                if (!closed && r.nextInt(4) == 0) {
                    next = r.nextBoolean() ? SalesProcess.WON : SalesProcess.LOST;
                } else {
                    next = PROCESS.stages().get(r.nextInt(open)).code();
                }
                if (next.equals(stage)) {
                    continue;
                }
                ts.add(new StageTransition(stage, next, at, owner));
                stage = next;
                closed = !PROCESS.stage(stage).isOpen();
                if (closed && r.nextInt(3) > 0) {
                    break;
                }
            }
            Opportunity.Builder b = Opportunity.builder().id(id).title("Deal " + id)
                    .client(ClientRef.account("c" + r.nextInt(5), "Client"))
                    .owner(owner).processId(PROCESS.id()).stage(stage).probability(r.nextInt(101))
                    .currency(currency).createdAt(created)
                    .expectedCloseDate(LocalDate.ofInstant(created, ZoneOffset.UTC).plusDays(r.nextInt(200)))
                    .transitions(ts);
            if (r.nextInt(5) > 0) {
                b.amount(Amounts.fromMinorUnits(r.nextInt(5_000_000), Amounts.currency(currency)));
            }
            // the closing transition's day in some zone from UTC-12 to UTC+14 (the model's rule)
            LocalDate closeDate = LocalDate.ofInstant(at, ZoneOffset.ofHours(r.nextInt(27) - 12));
            String reason = r.nextInt(4) == 0 ? null : REASONS.get(r.nextInt(REASONS.size()));
            if (SalesProcess.WON.equals(stage)) {
                b.closeInfo(CloseInfo.won(closeDate,
                        Amounts.fromMinorUnits(r.nextInt(5_000_000), Amounts.currency(currency)), reason));
            } else if (SalesProcess.LOST.equals(stage)) {
                b.closeInfo(CloseInfo.lost(closeDate, reason, r.nextBoolean() ? null : "Acme"));
            }
            out.add(b.build());
        }
        return out;
    }

    /**
     * The same opportunities, a third of them with a random field history (hand-overs between
     * the owners, amount, budget, close date, probability and category changes) at instants
     * from their creation to about a year and a half after {@link #START}, so figures as of
     * instants in that span reconstruct some deals and read others from their rows.
     *
     * @param book the opportunities
     * @param seed the seed of the histories (the book's own values are left as they are)
     * @return the opportunities with histories
     */
    static List<Opportunity> withFieldHistories(List<Opportunity> book, long seed) {
        Random r = new Random(seed);
        List<ManagerId> owners = OWNERS.stream().map(ManagerId::of).toList();
        Instant until = START.plus(Duration.ofDays(560));
        List<Opportunity> out = new ArrayList<>(book.size());
        for (Opportunity o : book) {
            out.add(r.nextInt(3) == 0 ? org.crmkit.testkit.FieldHistories.withRandomChanges(o, r, until, 6, owners) : o);
        }
        return out;
    }

    static Instant at(String text) {
        return Instant.parse(text);
    }

    static Duration days(int n) {
        return Duration.ofDays(n);
    }
}
