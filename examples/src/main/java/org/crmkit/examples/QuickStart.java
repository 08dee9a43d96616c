package org.crmkit.examples;

import java.time.Clock;
import java.time.LocalDate;
import org.crmkit.core.ClientRef;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.SalesProcessEngine;
import org.crmkit.core.SalesProcesses;
import org.crmkit.core.money.Amounts;

/** The README's snippet, compiled and run by the build so the README stays true. */
public final class QuickStart {
    private QuickStart() {
    }

    /**
     * Runs the snippet.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        System.out.println(guidance());
    }

    static String guidance() {
        SalesProcess process = SalesProcesses.corporateSales();
        SalesProcessEngine engine = new SalesProcessEngine(Clock.systemUTC());

        Opportunity deal = engine.open(process, Opportunity.builder()
                .id("opp-1")
                .title("Leadership programme for 40 team leads")
                .client(ClientRef.account("acc-7", "Helios Pharma"))
                .owner(ManagerId.of("anna"))
                .amount(Amounts.of("72000.00", "EUR"))
                .expectedCloseDate(LocalDate.now().plusMonths(2)));

        deal = engine.completeStep(deal, process, "qualify-need");
        return engine.nextActions(deal, process).describe();
    }
}
