package org.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one definition of the state as of an instant: inclusive, visits, cycle, window. */
class StageReplayTest {
    private static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");

    private static long at(long seconds) {
        return StageReplay.nanos(T0.plusSeconds(seconds));
    }

    /** Stage 0 at T0, stage 2 after 100 s, back to 1 after 250 s, WON (index 3 of 3 open stages) after 1000 s. */
    private static StageReplay replay(Instant asOf, Instant window) {
        StageReplay r = new StageReplay(3, asOf, window);
        long[] when = {at(0), at(100), at(250), at(1000)};
        int[] stages = {0, 2, 1, 3};
        for (int i = 0; i < when.length; i++) {
            if (!r.offer(stages[i], when[i])) {
                break;
            }
        }
        return r;
    }

    @Test
    void aTransitionAtTheInstantIsInEffectAndOneANanosecondLaterIsNot() {
        StageReplay atClose = replay(T0.plusSeconds(1000), null);
        assertThat(atClose.stage()).isEqualTo(3);
        assertThat(atClose.status()).isEqualTo(OpportunityStatus.WON);
        StageReplay justBefore = replay(T0.plusSeconds(1000).minusNanos(1), null);
        assertThat(justBefore.stage()).isEqualTo(1);
        assertThat(justBefore.isClosed()).isFalse();
        assertThat(StageReplay.inEffect(T0, T0)).isTrue();
        assertThat(StageReplay.inEffect(T0.plusNanos(1), T0)).isFalse();
        assertThat(replay(T0.minusNanos(1), null).stage()).isEqualTo(-1);
    }

    @Test
    void finishedVisitsEnteredStagesAndCycle() {
        StageReplay r = replay(Instant.MAX, null);
        assertThat(r.enteredMask()).isEqualTo(0b111);
        assertThat(r.furthestOpenStage()).isEqualTo(2);
        assertThat(r.visitedMask()).isEqualTo(0b111);
        assertThat(r.secondsIn(0)).isEqualTo(100);
        assertThat(r.secondsIn(2)).isEqualTo(150);
        assertThat(r.secondsIn(1)).isEqualTo(750);
        assertThat(r.cycleSeconds(at(0))).isEqualTo(1000);
        assertThat(r.transitionsInEffect()).isEqualTo(4);
        StageReplay open = replay(T0.plusSeconds(300), null);
        // the current visit of stage 1 is not finished
        assertThat(open.visitedMask()).isEqualTo(0b101);
        assertThat(open.secondsIn(1)).isZero();
        assertThat(open.cycleSeconds(at(0))).isEqualTo(-1);
    }

    @Test
    void aWindowGivesThePriorStateAndWhetherTheLastTransitionFellInIt() {
        StageReplay r = replay(T0.plusSeconds(2000), T0.plusSeconds(250));
        assertThat(r.priorStage()).isEqualTo(2);
        assertThat(r.priorEnteredMask()).isEqualTo(0b101);
        assertThat(r.changedInWindow()).isTrue();
        assertThat(r.lastInWindow()).isTrue();
        StageReplay quiet = replay(T0.plusSeconds(2000), T0.plusSeconds(1500));
        assertThat(quiet.changedInWindow()).isFalse();
        assertThat(quiet.priorStage()).isEqualTo(3);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> new StageReplay(0, T0)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("openStages");
        assertThatThrownBy(() -> new StageReplay(3, T0, T0.plusSeconds(1))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("windowFrom");
        StageReplay r = new StageReplay(3, Instant.MAX);
        assertThatThrownBy(() -> r.offer(7, at(0))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("stageIndex");
        assertThat(StageReplay.saturatedNanos(Instant.MAX)).isEqualTo(Long.MAX_VALUE);
        assertThat(StageReplay.saturatedNanos(Instant.MIN)).isEqualTo(Long.MIN_VALUE);
    }
}
