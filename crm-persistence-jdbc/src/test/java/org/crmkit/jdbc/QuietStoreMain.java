package org.crmkit.jdbc;

import org.crmkit.core.SalesProcesses;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.testkit.Fixtures;

/**
 * The happy path of a first run, in a JVM of its own so its logging starts fresh: open an
 * embedded store (Flyway migrates it), store a process and an opportunity with money (Moneta
 * starts), read it back. {@link QuietLoggingTest} reads what it printed.
 */
public final class QuietStoreMain {
    private QuietStoreMain() {
    }

    /**
     * Runs the happy path.
     *
     * @param args the directory for the embedded file store
     */
    public static void main(String[] args) {
        try (CrmStore memory = CrmStore.inMemory();
                CrmStore file = CrmStore.embedded(java.nio.file.Path.of(args[0], "quiet"))) {
            for (CrmStore store : java.util.List.of(memory, file)) {
                store.processes().save(SalesProcesses.corporateSales());
                store.opportunities().insert(Fixtures.fullyPopulatedWon("quiet-1"));
                System.out.println("stored " + store.opportunities().count(OpportunityQuery.all()));
            }
        }
    }
}
