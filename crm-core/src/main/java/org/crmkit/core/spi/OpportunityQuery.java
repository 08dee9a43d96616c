package org.crmkit.core.spi;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.ProcessId;

/**
 * Which opportunities a read selects. An empty owner set means every owner; an empty status
 * set means every status.
 *
 * @param owners the owners to select, empty for all
 * @param processId the process to select, empty for all
 * @param statuses the statuses to select, empty for all
 */
public record OpportunityQuery(Set<ManagerId> owners, Optional<ProcessId> processId, Set<OpportunityStatus> statuses) {
    /** Copies the sets. */
    public OpportunityQuery {
        owners = Set.copyOf(Objects.requireNonNull(owners, "owners"));
        Objects.requireNonNull(processId, "processId");
        statuses = statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
    }

    /**
     * Every opportunity.
     *
     * @return the query
     */
    public static OpportunityQuery all() {
        return new OpportunityQuery(Set.of(), Optional.empty(), Set.of());
    }

    /**
     * The opportunities of some owners.
     *
     * @param owners the owners
     * @return the query
     */
    public static OpportunityQuery ownedBy(Set<ManagerId> owners) {
        return new OpportunityQuery(owners, Optional.empty(), Set.of());
    }

    /**
     * This query restricted to a process.
     *
     * @param id the process
     * @return the narrowed query
     */
    public OpportunityQuery withProcess(ProcessId id) {
        return new OpportunityQuery(owners, Optional.of(id), statuses);
    }

    /**
     * This query restricted to statuses.
     *
     * @param selected the statuses
     * @return the narrowed query
     */
    public OpportunityQuery withStatuses(Set<OpportunityStatus> selected) {
        return new OpportunityQuery(owners, processId, selected);
    }

    /**
     * Whether an opportunity is selected; stores that filter in memory use this.
     *
     * @param opp the opportunity
     * @return true when selected
     */
    public boolean matches(Opportunity opp) {
        return (owners.isEmpty() || owners.contains(opp.owner()))
                && (processId.isEmpty() || processId.get().equals(opp.processId()))
                && (statuses.isEmpty() || statuses.contains(opp.status()));
    }
}
