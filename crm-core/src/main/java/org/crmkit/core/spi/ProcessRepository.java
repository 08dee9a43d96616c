package org.crmkit.core.spi;

import java.util.List;
import java.util.Optional;
import org.crmkit.core.NotFoundException;
import org.crmkit.core.ProcessId;
import org.crmkit.core.SalesProcess;

/** Stores sales processes, keyed by id; saving a process with a stored id replaces it. */
public interface ProcessRepository {
    /**
     * Stores or replaces a process.
     *
     * @param process the process
     */
    void save(SalesProcess process);

    /**
     * Reads a process.
     *
     * @param id the id
     * @return the process, empty when absent
     */
    Optional<SalesProcess> find(ProcessId id);

    /**
     * Reads a process that must exist.
     *
     * @param id the id
     * @return the process
     * @throws NotFoundException when absent
     */
    default SalesProcess get(ProcessId id) {
        return find(id).orElseThrow(() -> new NotFoundException("process", id));
    }

    /**
     * Every stored process.
     *
     * @return the processes ordered by id
     */
    List<SalesProcess> findAll();
}
