package org.crmkit.testkit;

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
import org.crmkit.core.StageTransition;
import org.crmkit.core.money.Amounts;

/**
 * Seeded random opportunities with awkward stage histories, for the source contract kit: skipped
 * stages, backward moves, wins and losses, reopens (closed again or left open), several
 * transitions at the same instant, nanosecond instants, unknown amounts, three currencies
 * (one without minor units), clients, reasons and winning competitors. Deterministic per seed.
 */
final class RandomHistories {
    static final List<String> OWNERS = List.of("m1", "m2", "m3", "m4", "m5");
    static final List<String> CURRENCIES = List.of("EUR", "USD", "JPY");
    static final List<String> REASONS = List.of("price", "fit", "timing");
    static final List<String> COMPETITORS = List.of("Acme", "Globex");
    static final Instant START = Instant.parse("2025-06-01T00:00:00Z");

    private RandomHistories() {
    }

    static List<Opportunity> of(SalesProcess process, long seed, int count, String idPrefix) {
        Random r = new Random(seed);
        int open = process.openStageCount();
        List<Opportunity> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ManagerId owner = ManagerId.of(OWNERS.get(r.nextInt(OWNERS.size())));
            String currency = CURRENCIES.get(r.nextInt(CURRENCIES.size()));
            Instant created = START.plusSeconds(r.nextInt(400 * 86_400)).plusNanos(r.nextBoolean() ? 0 : r.nextInt(1_000_000_000));
            List<StageTransition> ts = new ArrayList<>();
            int stage = r.nextInt(3) == 0 ? r.nextInt(open) : 0;
            Instant at = created;
            ts.add(new StageTransition(null, process.stages().get(stage).code(), at, owner));
            int moves = r.nextInt(7);
            for (int m = 0; m < moves; m++) {
                // now and then several transitions at one instant
                at = r.nextInt(8) == 0 ? at : at.plus(Duration.ofMinutes(r.nextInt(40 * 24 * 60))).plusNanos(r.nextInt(1000));
                int next;
                if (stage >= open) {
                    // closed: reopened now and then (and maybe closed again later), else done
                    if (r.nextInt(3) != 0) {
                        break;
                    }
                    next = r.nextInt(open);
                } else if (r.nextInt(5) == 0) {
                    next = r.nextBoolean() ? open : open + 1;
                } else {
                    next = r.nextInt(open);
                }
                if (next == stage) {
                    continue;
                }
                ts.add(new StageTransition(process.stages().get(stage).code(), process.stages().get(next).code(), at,
                        owner));
                stage = next;
            }
            CloseInfo close = null;
            // the close date is the day of the closing transition (the last one), as the model requires
            LocalDate day = LocalDate.ofInstant(ts.get(ts.size() - 1).at(), ZoneOffset.UTC);
            String reason = r.nextInt(3) == 0 ? null : REASONS.get(r.nextInt(REASONS.size()));
            if (stage == open) {
                close = CloseInfo.won(day, Amounts.fromMinorUnits(r.nextInt(2_000_000), Amounts.currency(currency)), reason);
            } else if (stage == open + 1) {
                close = CloseInfo.lost(day, reason, r.nextBoolean() ? null : COMPETITORS.get(r.nextInt(COMPETITORS.size())));
            }
            Opportunity.Builder b = Opportunity.builder().id(idPrefix + i).title("Deal " + i)
                    .client(ClientRef.account("c" + r.nextInt(4), "Client")).owner(owner).processId(process.id())
                    .stage(process.stages().get(stage).code()).probability(r.nextInt(101)).currency(currency)
                    .createdAt(created).expectedCloseDate(LocalDate.ofInstant(created, ZoneOffset.UTC).plusDays(r.nextInt(240)))
                    .transitions(ts).closeInfo(close);
            if (r.nextInt(8) != 0) {
                b.amount(Amounts.fromMinorUnits(r.nextInt(10_000_000), Amounts.currency(currency)));
            }
            out.add(b.build());
        }
        return out;
    }
}
