package org.crmkit.core.spi;

/**
 * A store of everything crmkit persists. Implementations: the in-memory store in
 * {@code org.crmkit.core.memory}, the JDBC store in {@code crm-persistence-jdbc}; any other
 * store proves itself by passing the contract suite in {@code crm-testkit}.
 */
public interface CrmStorage extends AutoCloseable {
    /**
     * The opportunities.
     *
     * @return the opportunity repository
     */
    OpportunityRepository opportunities();

    /**
     * The sales processes.
     *
     * @return the process repository
     */
    ProcessRepository processes();

    /**
     * The org structure.
     *
     * @return the org structure repository
     */
    OrgStructureRepository orgStructure();

    /**
     * The sales plans.
     *
     * @return the plan repository
     */
    PlanRepository plans();

    /** Releases resources the store holds; the default does nothing. */
    @Override
    default void close() {
    }
}
