package org.crmkit.core.spi;

import org.crmkit.core.OrgStructure;

/** Stores the org structure as a whole; {@link #save} replaces it atomically. */
public interface OrgStructureRepository {
    /**
     * Reads the org structure.
     *
     * @return the stored structure, {@link OrgStructure#empty()} when none was saved
     */
    OrgStructure load();

    /**
     * Replaces the stored structure in one atomic step.
     *
     * @param structure the new structure
     */
    void save(OrgStructure structure);
}
