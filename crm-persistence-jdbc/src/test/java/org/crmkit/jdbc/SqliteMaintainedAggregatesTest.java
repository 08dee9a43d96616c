package org.crmkit.jdbc;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.crmkit.jdbc.internal.Sqlite;

/**
 * On the embedded default as it is configured for users ({@code CrmStore.Builder.embedded}:
 * writers on their own connections, {@code BEGIN IMMEDIATE}), so concurrent writers take turns
 * instead of failing to upgrade a read transaction.
 */
class SqliteMaintainedAggregatesTest extends MaintainedAggregatesBehaviour {
    private final Map<DataSource, Path> files = new ConcurrentHashMap<>();

    @Override
    DataSource freshDataSource() {
        Path file = SqliteFiles.fresh();
        DataSource ds = Sqlite.readers(file);
        files.put(ds, file);
        return ds;
    }

    @Override
    CrmStore store(DataSource ds) {
        return CrmStore.builder().embedded(files.get(ds)).build();
    }

    /** Writers take turns on SQLite: no write can commit inside another one. */
    @Override
    boolean writersRunConcurrently() {
        return false;
    }

    @Override
    CrmStore scanning(DataSource ds) {
        return CrmStore.builder().embedded(files.get(ds)).maintainAggregates(false).build();
    }
}
