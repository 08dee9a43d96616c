package org.crmkit.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.crmkit.core.SalesProcess;

/** What the store's Java migrations need from its internals. Not API. */
public final class Migrations {
    /** The number of {@code stage_s_k} columns. */
    public static final int STAGE_TIME_COLUMNS = DerivedColumns.STAGE_TIME_COLUMNS;

    private Migrations() {
    }

    /**
     * The stored processes.
     *
     * @param c a connection in the migration's transaction
     * @return the processes
     * @throws SQLException on a database error
     */
    public static List<SalesProcess> processes(Connection c) throws SQLException {
        return JdbcProcesses.load(c, null);
    }

    /**
     * The fingerprint of a process definition, as stored in {@code process_hash}.
     *
     * @param p the process
     * @return the fingerprint
     */
    public static long fingerprint(SalesProcess p) {
        return DerivedColumns.fingerprint(p);
    }
}
