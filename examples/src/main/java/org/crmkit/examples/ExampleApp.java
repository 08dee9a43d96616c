package org.crmkit.examples;

import java.io.PrintStream;
import org.crmkit.core.Dataset;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.SalesProcessEngine;

/**
 * Runs the training-company scenario and prints what the SDK sees.
 */
public final class ExampleApp {
    private ExampleApp() {
    }

    /**
     * Entry point.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        run(System.out);
    }

    static void run(PrintStream out) {
        Dataset data = TrainingCompany.build(42);
        SalesProcess process = data.processes().get(0);
        out.println("Northwind Training: " + data.orgStructure() + ", " + data.opportunities().size()
                + " opportunities, " + data.plans().size() + " plans");
        long open = data.opportunities().stream().filter(o -> o.status() == OpportunityStatus.OPEN).count();
        long won = data.opportunities().stream().filter(o -> o.status() == OpportunityStatus.WON).count();
        long lost = data.opportunities().stream().filter(o -> o.status() == OpportunityStatus.LOST).count();
        out.println("open " + open + ", won " + won + ", lost " + lost);
        out.println();
        out.println("What each open deal needs next:");
        SalesProcessEngine engine = new SalesProcessEngine(java.time.Clock.fixed(TrainingCompany.AS_OF,
                TrainingCompany.ZONE));
        for (Opportunity o : data.opportunities()) {
            if (o.status() == OpportunityStatus.OPEN) {
                out.printf("  %-9s %-60s %s%n", o.id(), o.title(), engine.nextActions(o, process).describe());
            }
        }
    }
}
