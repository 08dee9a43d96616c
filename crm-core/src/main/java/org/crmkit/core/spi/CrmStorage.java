package org.crmkit.core.spi;

import java.util.List;
import java.util.stream.Stream;
import org.crmkit.core.Dataset;
import org.crmkit.core.Opportunity;
import org.crmkit.core.TenantId;
import org.crmkit.core.ValidationException;

/**
 * A store of everything crmkit persists. Implementations: the in-memory store in
 * {@code org.crmkit.core.memory}, the JDBC store in {@code crm-persistence-jdbc}; any other
 * store proves itself by passing the contract suite in {@code crm-testkit}.
 *
 * <p>A store handle serves one tenant ({@link #tenant()}): every read and write of it and of
 * its repositories sees that tenant's book and nothing else.
 */
public interface CrmStorage extends AutoCloseable {
    /**
     * The tenant this handle serves; {@link TenantId#DEFAULT} for a store opened without one.
     *
     * @return the tenant
     */
    default TenantId tenant() {
        return TenantId.DEFAULT;
    }

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

    /**
     * Imports a whole dataset in one step: all of it or, on any failure, none of it. Processes
     * are saved (replacing stored ones of the same id), the org structure replaces the stored
     * one, plans are saved (replacing stored ones of the same node and period), and every
     * opportunity is inserted with its version kept: a dataset this store exported
     * ({@link #exportDataset()}) imports again unchanged, and version 0 (never stored) becomes
     * 1. Every opportunity must conform to its process, from the dataset or already stored.
     *
     * @param dataset the dataset; its keys are unique ({@link Dataset})
     * @return how many opportunities were imported
     * @throws ValidationException when an opportunity does not conform to its process or its id
     *     is stored already; nothing is written
     * @throws org.crmkit.core.StorageException when the store fails; nothing is written
     */
    long importDataset(Dataset dataset);

    /**
     * Everything the store holds, as one dataset (opportunities in id order with their
     * versions), for export and for {@link #importDataset} elsewhere. A store that changes
     * while it is read may give a dataset mixing states from before and after a concurrent
     * write of another part.
     *
     * @return the dataset
     */
    default Dataset exportDataset() {
        List<Opportunity> opps;
        try (Stream<Opportunity> all = opportunities().stream(OpportunityQuery.all())) {
            opps = all.toList();
        }
        return new Dataset(processes().findAll(), orgStructure().load(), plans().findAll(), opps);
    }

    /** Releases resources the store holds; the default does nothing. */
    @Override
    default void close() {
    }
}
