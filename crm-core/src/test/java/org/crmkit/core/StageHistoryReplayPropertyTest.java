package org.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.crmkit.core.Fixtures.ALICE;
import static org.crmkit.core.Fixtures.CORP_FREE;
import static org.crmkit.core.Fixtures.eur;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of engine moves, wins, losses and reopens in FREE mode: the stage history
 * always replays to the current stage, and {@link StageReplay} agrees with {@code stageAt}.
 */
class StageHistoryReplayPropertyTest {
    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

    /**
     * Plays one encoded operation: the low bits choose move/win/lose, the next ones the
     * target stage and how far the clock moves first (often not at all, so equal instants
     * occur).
     */
    private static Opportunity play(SalesProcessEngine engine, MutableClock clock, Opportunity opp, int code) {
        int advance = (code >>> 6) % 4 == 0 ? 0 : (code >>> 6);
        clock.advance(Duration.ofMinutes(advance));
        int open = CORP_FREE.openStageCount();
        String target = CORP_FREE.stages().get((code >>> 2) % open).code();
        LocalDate closeDay = LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
        if (opp.status().isClosed()) {
            return engine.reopen(opp, CORP_FREE, target, ALICE);
        }
        return switch (code & 3) {
            case 0, 1 -> target.equals(opp.stage()) ? opp : engine.move(opp, CORP_FREE, target, ALICE);
            case 2 -> engine.win(opp, CORP_FREE, CloseInfo.won(closeDay, eur("10.00"), null), ALICE);
            default -> engine.lose(opp, CORP_FREE, CloseInfo.lost(closeDay, "lost", null), ALICE);
        };
    }

    @Test
    void stageHistoryReplaysToTheCurrentStage() {
        qt().withExamples(200).forAll(lists().of(integers().between(0, 1 << 14)).ofSizeBetween(0, 40))
                .checkAssert(codes -> {
                    MutableClock clock = new MutableClock(START);
                    SalesProcessEngine engine = new SalesProcessEngine(clock);
                    Opportunity opp = engine.open(CORP_FREE, Opportunity.builder().id("o").title("Deal")
                            .client(ClientRef.account("c", "C")).owner(ALICE).currency("EUR")
                            .expectedCloseDate(LocalDate.of(2026, 12, 31)));
                    for (int code : codes) {
                        opp = play(engine, clock, opp, code);
                        checkReplay(opp);
                    }
                });
    }

    private static void checkReplay(Opportunity opp) {
        List<StageTransition> ts = opp.transitions();
        StageTransition last = ts.get(ts.size() - 1);
        assertThat(opp.stageAt(last.at())).contains(opp.stage());
        assertThat(opp.stageAt(clockFarAhead(last))).contains(opp.stage());
        assertThat(opp.stageAt(opp.createdAt().minusNanos(1))).isEmpty();
        assertThat(ts.get(0).from()).isNull();
        long previousMask = 0;
        for (int i = 0; i < ts.size(); i++) {
            StageTransition t = ts.get(i);
            if (i > 0) {
                assertThat(t.from()).isEqualTo(ts.get(i - 1).to());
                assertThat(t.at()).isAfterOrEqualTo(ts.get(i - 1).at());
            }
            // as of a transition's instant the stage is the last one entered at that instant
            String expected = t.to();
            for (int j = i + 1; j < ts.size() && ts.get(j).at().equals(t.at()); j++) {
                expected = ts.get(j).to();
            }
            assertThat(opp.stageAt(t.at())).contains(expected);
            // the one replay agrees with stageAt at, and a nanosecond before, every transition
            for (Instant asOf : List.of(t.at(), t.at().minusNanos(1))) {
                StageReplay replay = StageReplay.of(opp, CORP_FREE, asOf);
                assertThat(replay.stage()).isEqualTo(opp.stageAt(asOf).map(CORP_FREE::indexOf).orElse(-1));
            }
            long mask = StageHistory.enteredOpenStages(opp, CORP_FREE, t.at());
            assertThat(previousMask & ~mask).as("nothing entered is forgotten").isZero();
            int index = CORP_FREE.indexOf(t.to());
            if (index < CORP_FREE.openStageCount()) {
                assertThat(mask & (1L << index)).isNotZero();
                assertThat(StageHistory.furthestOpenStage(opp, CORP_FREE)).isGreaterThanOrEqualTo(index);
            }
            previousMask = mask;
        }
        assertThat(StageHistory.enteredOpenStages(opp, CORP_FREE)).isEqualTo(previousMask);
        assertThat(opp.status()).isEqualTo(OpportunityStatus.of(CORP_FREE.stage(opp.stage()).kind()));
        assertThat(opp.closeInfo().isPresent()).isEqualTo(opp.status().isClosed());
        assertThat(opp.probability()).isEqualTo(CORP_FREE.stage(opp.stage()).defaultProbability());
    }

    private static Instant clockFarAhead(StageTransition last) {
        return last.at().plus(Duration.ofDays(3650));
    }
}
