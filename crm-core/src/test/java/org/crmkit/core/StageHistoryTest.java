package org.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.crmkit.core.Fixtures.ALICE;
import static org.crmkit.core.Fixtures.CORP;
import static org.crmkit.core.Fixtures.T0;
import static org.crmkit.core.Fixtures.draft;
import static org.crmkit.core.Fixtures.eur;
import static org.crmkit.core.Fixtures.rejected;
import static org.crmkit.core.SalesProcesses.CLOSING;
import static org.crmkit.core.SalesProcesses.KEY_CONTACTS;
import static org.crmkit.core.SalesProcesses.PROPOSAL_PREPARATION;
import static org.crmkit.core.SalesProcesses.QUALIFICATION;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StageHistoryTest {

    /** An opportunity that walked through the given stages, one minute apart. */
    private static Opportunity walked(String... stages) {
        List<StageTransition> ts = new ArrayList<>();
        String from = null;
        for (int i = 0; i < stages.length; i++) {
            ts.add(new StageTransition(from, stages[i], T0.plusSeconds(60L * i), ALICE));
            from = stages[i];
        }
        Opportunity.Builder b = draft().stage(from).transitions(ts);
        if (SalesProcess.WON.equals(from)) {
            b.closeInfo(CloseInfo.won(null, eur("1.00"), null));
        } else if (SalesProcess.LOST.equals(from)) {
            b.closeInfo(CloseInfo.lost(null, null, null));
        }
        return b.build();
    }

    @Test
    void enteredMaskHoldsOnlyStagesActuallyEntered() {
        Opportunity opp = walked(QUALIFICATION, PROPOSAL_PREPARATION);
        assertThat(StageHistory.enteredOpenStages(opp, CORP)).isEqualTo(0b101L);
        assertThat(StageHistory.furthestOpenStage(opp, CORP)).isEqualTo(2);
    }

    @Test
    void movingBackwardNeverLowersTheFurthestStage() {
        Opportunity opp = walked(QUALIFICATION, CLOSING, KEY_CONTACTS);
        assertThat(StageHistory.furthestOpenStage(opp, CORP)).isEqualTo(4);
        assertThat(StageHistory.enteredOpenStages(opp, CORP)).isEqualTo(0b10011L);
    }

    @Test
    void enteredMaskAsOfAnInstantIgnoresLaterEntries() {
        Opportunity opp = walked(QUALIFICATION, KEY_CONTACTS, CLOSING);
        assertThat(StageHistory.enteredOpenStages(opp, CORP, T0)).isEqualTo(0b1L);
        assertThat(StageHistory.enteredOpenStages(opp, CORP, T0.plusSeconds(60))).isEqualTo(0b11L);
        assertThat(StageHistory.enteredOpenStages(opp, CORP, T0.plusSeconds(119))).isEqualTo(0b11L);
        assertThat(StageHistory.enteredOpenStages(opp, CORP, T0.minusSeconds(1))).isZero();
    }

    @Test
    void terminalStagesAreNotOpenStagesTheFurthestIsWhereItClosedFrom() {
        Opportunity won = walked(QUALIFICATION, KEY_CONTACTS, SalesProcess.WON);
        assertThat(StageHistory.enteredOpenStages(won, CORP)).isEqualTo(0b11L);
        assertThat(StageHistory.furthestOpenStage(won, CORP)).isEqualTo(1);
        Opportunity lost = walked(QUALIFICATION, PROPOSAL_PREPARATION, KEY_CONTACTS, SalesProcess.LOST);
        assertThat(StageHistory.furthestOpenStage(lost, CORP)).isEqualTo(2);
    }

    @Test
    void reopenedOpportunityKeepsWhatItEnteredBefore() {
        Opportunity opp = walked(QUALIFICATION, CLOSING, SalesProcess.LOST, KEY_CONTACTS);
        assertThat(StageHistory.enteredOpenStages(opp, CORP)).isEqualTo(0b10011L);
    }

    @Test
    void anOpportunityCannotBeRecordedAsCreatedClosedSoItAlwaysEnteredAnOpenStage() {
        // was accepted before and then reached no stage with a cycle of 0 days
        rejected(() -> walked(SalesProcess.WON), "transitions", "WON at creation only");
        rejected(() -> walked(QUALIFICATION, SalesProcess.WON, SalesProcess.LOST), "transitions", "WON to LOST");
        assertThat(StageHistory.furthestOpenStage(walked(QUALIFICATION, SalesProcess.LOST), CORP)).isZero();
    }

    @Test
    void anUnknownStageInTheHistoryIsRejected() {
        Opportunity opp = walked(QUALIFICATION, "NEGOTIATION");
        rejected(() -> StageHistory.enteredOpenStages(opp, CORP), "stage", "NEGOTIATION");
    }
}
