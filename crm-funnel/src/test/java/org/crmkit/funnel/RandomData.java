package org.crmkit.funnel;

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

/** Deterministic random opportunities with random stage walks (forward, backward, skips, closes, reopens). */
final class RandomData {
    static final String[] OWNERS = {"m1", "m2", "m3", "m4"};
    static final String[] REASONS = {"price", "fit", "timing"};
    static final String[] COMPETITORS = {"Acme", "Globex"};
    static final Instant START = LocalDate.parse("2025-07-01").atStartOfDay().toInstant(ZoneOffset.UTC);

    private RandomData() {
    }

    static List<Opportunity> opportunities(long seed, int count, String idPrefix) {
        Random r = new Random(seed);
        SalesProcess p = Opps.PROCESS;
        int open = p.openStageCount();
        List<Opportunity> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String owner = OWNERS[r.nextInt(OWNERS.length)];
            Instant created = START.plus(Duration.ofMinutes(r.nextInt(365 * 24 * 60)));
            List<StageTransition> ts = new ArrayList<>();
            int stage = r.nextInt(3) == 0 ? r.nextInt(open) : 0;
            Instant t = created.plus(Duration.ofMinutes(r.nextInt(3) == 0 ? 0 : r.nextInt(600)));
            ts.add(new StageTransition(null, p.stages().get(stage).code(), t, ManagerId.of(owner)));
            int moves = r.nextInt(6);
            for (int m = 0; m < moves; m++) {
                int next;
                int roll = r.nextInt(10);
                if (stage >= open) {
                    // closed: now and then reopened (and maybe closed again), else done
                    if (r.nextInt(3) != 0) {
                        break;
                    }
                    next = r.nextInt(open);
                } else if (roll == 0) {
                    next = open; // won
                } else if (roll == 1) {
                    next = open + 1; // lost
                } else {
                    next = r.nextInt(open);
                }
                if (next == stage) {
                    continue;
                }
                t = t.plus(Duration.ofMinutes(r.nextInt(40 * 24 * 60)));
                ts.add(new StageTransition(p.stages().get(stage).code(), p.stages().get(next).code(), t,
                        ManagerId.of(owner)));
                stage = next;
            }
            String currency = r.nextBoolean() ? "EUR" : "USD";
            LocalDate createdDay = LocalDate.ofInstant(created, ZoneOffset.UTC);
            CloseInfo close = null;
            if (stage == open) {
                close = CloseInfo.won(LocalDate.ofInstant(t, ZoneOffset.UTC),
                        Amounts.fromMinorUnits(r.nextInt(1_000_000), Amounts.currency(currency)),
                        r.nextBoolean() ? REASONS[r.nextInt(REASONS.length)] : null);
            } else if (stage == open + 1) {
                close = CloseInfo.lost(LocalDate.ofInstant(t, ZoneOffset.UTC),
                        r.nextBoolean() ? REASONS[r.nextInt(REASONS.length)] : null,
                        r.nextBoolean() ? COMPETITORS[r.nextInt(COMPETITORS.length)] : null);
            }
            Opportunity.Builder b = Opportunity.builder().id(idPrefix + i).title("Deal " + i)
                    .client(ClientRef.account("c" + r.nextInt(3), "Client")).owner(ManagerId.of(owner))
                    .processId(p.id()).stage(p.stages().get(stage).code()).probability(r.nextInt(101))
                    .currency(currency).createdAt(created).expectedCloseDate(createdDay.plusDays(r.nextInt(200)))
                    .transitions(ts).closeInfo(close);
            if (r.nextInt(8) != 0) {
                b.amount(Amounts.fromMinorUnits(r.nextInt(10_000_000), Amounts.currency(currency)));
            }
            out.add(b.build());
        }
        return out;
    }
}
