package org.crmkit.funnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
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
import org.crmkit.core.OrgStructure;
import org.crmkit.core.ProcessId;
import org.crmkit.core.ProcessMode;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.Stage;
import org.crmkit.core.StageTransition;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.money.Amounts;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.FunnelReference;
import org.junit.jupiter.api.Test;

/**
 * A process with more open stages than the columns' packed end states hold (12): its rows
 * are always replayed, and the figures must equal those of the reference definition.
 */
class WideProcessTest {
    static final int OPEN = 14;
    static final SalesProcess WIDE = wide();
    static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

    static SalesProcess wide() {
        return process("wide", OPEN);
    }

    static SalesProcess process(String id, int open) {
        List<Stage> stages = new ArrayList<>();
        for (int s = 0; s < open; s++) {
            stages.add(Stage.open("s" + s, "Stage " + s, 5 + 6 * s));
        }
        return SalesProcess.of(ProcessId.of(id), id, ProcessMode.FREE, stages);
    }

    /** One group of the three managers the generated opportunities belong to. */
    static final OrgStructure ORG = OrgStructure.builder().unit(UnitId.of("u"), "Unit", UnitKind.GROUP).manager(ManagerId.of("m0"), "M0")
            .manager(ManagerId.of("m1"), "M1").manager(ManagerId.of("m2"), "M2").member(ManagerId.of("m0"), UnitId.of("u")).member(ManagerId.of("m1"), UnitId.of("u")).member(ManagerId.of("m2"), UnitId.of("u")).build();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

    static List<Opportunity> opportunities(long seed, int count) {
        return opportunities(seed, count, WIDE, "w");
    }

    static List<Opportunity> opportunities(long seed, int count, SalesProcess process, String prefix) {
        int open = process.openStageCount();
        Random r = new Random(seed);
        List<Opportunity> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ManagerId owner = ManagerId.of("m" + r.nextInt(3));
            Instant at = START.plusSeconds(r.nextInt(86_400 * 30));
            Instant created = at;
            List<StageTransition> ts = new ArrayList<>();
            String current = "s0";
            ts.add(new StageTransition(null, current, at, owner));
            int stage = 0;
            int moves = r.nextInt(20);
            for (int k = 0; k < moves; k++) {
                int next = Math.max(0, Math.min(open - 1, stage + r.nextInt(5) - 1));
                if (next == stage) {
                    continue;
                }
                stage = next;
                at = at.plusSeconds(3_600 + r.nextInt(86_400 * 20));
                ts.add(new StageTransition(current, "s" + stage, at, owner));
                current = "s" + stage;
            }
            CloseInfo close = null;
            int end = r.nextInt(3);
            if (end > 0) {
                at = at.plusSeconds(3_600 + r.nextInt(86_400 * 10));
                String terminal = end == 1 ? SalesProcess.WON : SalesProcess.LOST;
                ts.add(new StageTransition(current, terminal, at, owner));
                current = terminal;
                LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
                close = end == 1 ? CloseInfo.won(day, Amounts.of("900.00", "EUR"), "fit")
                        : CloseInfo.lost(day, "price", "Acme");
            }
            out.add(Opportunity.builder().id(prefix + i).title("Deal " + i).client(ClientRef.account("c", "Client"))
                    .owner(owner).processId(process.id()).stage(current).probability(end == 1 ? 100 : end == 2 ? 0 : 40)
                    .currency("EUR").amount(Amounts.of("1000.00", "EUR")).createdAt(created)
                    .expectedCloseDate(LocalDate.ofInstant(created, ZoneOffset.UTC).plusDays(60)).transitions(ts)
                    .closeInfo(close).build());
        }
        return out;
    }

    @Test
    void aProcessWiderThanThePackedEndStatesIsReplayedWithEqualFigures() {
        for (long seed = 1; seed <= 20; seed++) {
            List<Opportunity> opps = opportunities(seed, 60);
            OpportunityColumns columns = OpportunityColumns.of(opps.stream());
            FunnelEngine dense = FunnelEngine.builder().org(ORG).source(columns).clock(CLOCK).build();
            FunnelEngine cells = FunnelEngine.builder().org(ORG).source(Sources.reference(opps)).clock(CLOCK).build();
            for (Instant asOf : List.of(Instant.parse("2026-06-01T00:00:00Z"), START.plusSeconds(86_400 * 25))) {
                FunnelQuery q = FunnelQuery.builder(WIDE).nodes(UnitId.of("u")).mode(FunnelMode.SNAPSHOT).asOf(asOf).reportingCurrency("EUR")
                        .build();
                FunnelResult f = dense.funnel(q);
                assertThat(f).isEqualTo(cells.funnel(q));
                assertThat(f.stages()).hasSize(OPEN);
                AggregateQuery aq = dense.aggregateQuery(q).orElseThrow();
                assertThat(columns.aggregate(aq)).isEqualTo(FunnelReference.aggregate(aq, opps.stream()));
                long[] count = {0};
                FunnelReference.aggregate(aq, opps.stream()).forEach((o, b, part) -> count[0] += part.count());
                assertThat(f.count()).isEqualTo(count[0]).isPositive();
            }
        }
    }

    @Test
    void processesSharingTheColumnsKeepTheirOwnEndStates() {
        SalesProcess narrow = process("narrow", 6);
        SalesProcess eight = process("eight", 8);
        for (long seed = 1; seed <= 10; seed++) {
            List<Opportunity> opps = new ArrayList<>(opportunities(seed, 50, narrow, "n"));
            opps.addAll(opportunities(seed + 100, 50, eight, "e"));
            java.util.Collections.shuffle(opps, new Random(seed));
            OpportunityColumns columns = OpportunityColumns.of(opps.stream());
            FunnelEngine dense = FunnelEngine.builder().org(ORG).source(columns).clock(CLOCK).build();
            // queries alternate between the processes, so each derives its rows among the other's
            for (SalesProcess p : List.of(narrow, eight, narrow, eight)) {
                FunnelQuery q = FunnelQuery.builder(p).nodes(UnitId.of("u")).mode(FunnelMode.SNAPSHOT)
                        .asOf(Instant.parse("2026-06-01T00:00:00Z")).reportingCurrency("EUR").build();
                AggregateQuery aq = dense.aggregateQuery(q).orElseThrow();
                assertThat(columns.aggregate(aq)).isEqualTo(FunnelReference.aggregate(aq, opps.stream()));
                FunnelEngine cells = FunnelEngine.builder().org(ORG).source(Sources.reference(opps)).clock(CLOCK)
                        .build();
                assertThat(dense.funnel(q)).isEqualTo(cells.funnel(q));
                assertThat(dense.funnel(q).count()).isEqualTo(50);
            }
            // the same process id defined again with another stage order is replayed, not read
            List<Stage> backwards = new ArrayList<>(narrow.openStages());
            java.util.Collections.reverse(backwards);
            SalesProcess reordered = SalesProcess.of(narrow.id(), "narrow", ProcessMode.FREE, backwards);
            FunnelQuery rq = FunnelQuery.builder(reordered).nodes(UnitId.of("u")).mode(FunnelMode.SNAPSHOT)
                    .asOf(Instant.parse("2026-06-01T00:00:00Z")).reportingCurrency("EUR").build();
            AggregateQuery raq = dense.aggregateQuery(rq).orElseThrow();
            assertThat(columns.aggregate(raq)).isEqualTo(FunnelReference.aggregate(raq, opps.stream()));
        }
    }
}
