package org.crmkit.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.crmkit.core.StorageException;
import org.crmkit.core.ValidationException;

/**
 * The SQL databases the store supports, and every difference between them: this enum is the
 * one place where SQL text varies by database (column types handed to the migrations as
 * placeholders, the upsert statement, bulk loading, cursor behaviour).
 */
public enum Dialect {
    /**
     * SQLite 3 (through {@code org.xerial:sqlite-jdbc}), the embedded default of
     * {@code CrmStore.embedded}: a single file in WAL mode with {@code synchronous=FULL}, so a
     * commit is on disk before it is acknowledged and a killed process or a lost machine loses
     * no acknowledged write. SQLite has one writer at a time; decimals are stored as exact text.
     */
    SQLITE("SQLite", "TEXT", "TEXT", "TEXT", false, false),
    /**
     * H2 2.x in the same JVM: {@code CrmStore.inMemory()} for tests and throw-away stores, or a
     * caller's H2 data source. H2's file store does not sync its file on commit and was
     * measured to lose acknowledged writes and to corrupt under concurrent writers when the
     * process is killed ({@code docs/reliability.md}), so it is no longer the embedded default.
     */
    H2("H2", "VARCHAR(255)", "VARCHAR(1000000)", "NUMERIC(38, 12)", false, false),
    /** PostgreSQL 12 or newer, for production; bulk loads use {@code COPY}. */
    POSTGRESQL("PostgreSQL", "VARCHAR(255) COLLATE \"C\"", "VARCHAR", "NUMERIC(38, 12)", true, true);

    private final String productName;
    private final String keyType;
    private final String textType;
    private final String decimalType;
    private final boolean copy;
    private final boolean cursorNeedsTransaction;

    Dialect(String productName, String keyType, String textType, String decimalType, boolean copy,
            boolean cursorNeedsTransaction) {
        this.productName = productName;
        this.keyType = keyType;
        this.textType = textType;
        this.decimalType = decimalType;
        this.copy = copy;
        this.cursorNeedsTransaction = cursorNeedsTransaction;
    }

    /**
     * Whether bulk loads can stream rows with {@code COPY ... FROM STDIN} (PostgreSQL) instead
     * of batched {@code INSERT}s.
     *
     * @return true when the database has a copy protocol the store uses
     */
    public boolean supportsCopy() {
        return copy;
    }

    /**
     * Whether a fetch size only streams rows inside a transaction (auto-commit off); otherwise
     * the driver reads the whole result at once. True for PostgreSQL.
     *
     * @return true when streaming reads must run in a transaction
     */
    public boolean cursorNeedsTransaction() {
        return cursorNeedsTransaction;
    }

    /**
     * The Flyway locations of the migrations for this dialect: the common scripts,
     * parameterised by {@link #migrationPlaceholders()}, then those of H2 and PostgreSQL
     * ({@code server}) or SQLite's own versions of them ({@code sqlite}). Flyway records a
     * script by version and file name, not location, so a script can move between them.
     *
     * @return classpath locations
     */
    public String[] migrationLocations() {
        return new String[] {"classpath:org/crmkit/jdbc/migration/common",
            "classpath:org/crmkit/jdbc/migration/" + (this == SQLITE ? "sqlite" : "server")};
    }

    /**
     * The column types the migration scripts use: {@code key} (identifiers that sort by
     * character code, so "id order" is the same in every store for the keys
     * {@link org.crmkit.core.StoreLimits} admits), {@code text} (unbounded strings) and
     * {@code decimal} (exact numbers: {@code NUMERIC(38, 12)}, or text on SQLite, whose
     * numeric columns would turn a decimal into a binary floating-point number).
     *
     * @return placeholder values by name
     */
    public Map<String, String> migrationPlaceholders() {
        return Map.of("key", keyType, "text", textType, "decimal", decimalType);
    }

    /**
     * The statement that stores or replaces a plan by its key (node, period start, period
     * end), with the parameters node key, period start, period end, period type, label,
     * currency, target, target scale, target minor units.
     *
     * @return the SQL text
     */
    public String upsertPlanSql() {
        return switch (this) {
            case H2 -> "MERGE INTO crm_plan (node_key, period_start, period_end, period_type, label, currency, target,"
                    + " target_scale, target_minor) KEY (node_key, period_start, period_end)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
            case POSTGRESQL, SQLITE -> "INSERT INTO crm_plan (node_key, period_start, period_end, period_type, label, currency,"
                    + " target, target_scale, target_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (node_key, period_start, period_end) DO UPDATE SET period_type = EXCLUDED.period_type,"
                    + " label = EXCLUDED.label, currency = EXCLUDED.currency, target = EXCLUDED.target,"
                    + " target_scale = EXCLUDED.target_scale, target_minor = EXCLUDED.target_minor";
        };
    }

    /**
     * The aggregate that ORs a {@code BIGINT} column over a group (the entered-stage mask of
     * a replayed history): {@code BIT_OR} on PostgreSQL, {@code BIT_OR_AGG} on H2 2.x (where
     * {@code BIT_OR} is not an aggregate), and on SQLite, which has no bitwise aggregate, the sum
     * of the distinct values: the same for the single-bit values ({@code to_bit}: 0 or one
     * power of two) the store ORs. All skip NULLs and give NULL for no rows.
     *
     * @param expression the SQL expression to aggregate, whose values are 0 or a single bit
     * @return the SQL text of the aggregate call
     */
    public String bitOrAggregate(String expression) {
        Objects.requireNonNull(expression, "expression");
        return switch (this) {
            case H2 -> "BIT_OR_AGG(" + expression + ")";
            case POSTGRESQL -> "BIT_OR(" + expression + ")";
            case SQLITE -> "SUM(DISTINCT " + expression + ")";
        };
    }

    /**
     * Whether the database tests {@code column = ANY(array parameter)} with a hash, so a
     * condition on membership in thousands of values stays cheap per row: true for
     * PostgreSQL (which hashes long constant arrays); H2 compares each row with every element.
     *
     * @return true when a long array membership test is cheap per row
     */
    public boolean hashesArrayMembership() {
        return this == POSTGRESQL;
    }

    /**
     * The statements that prepare a read-only transaction for the funnel's aggregate queries:
     * on PostgreSQL a larger {@code work_mem} for that transaction only, so grouping the
     * opportunities of a large book hashes or sorts in memory instead of spilling to disk; and
     * no parallel workers, because under a parallel hash join every worker re-ran the whole
     * replay of past states (EXPLAIN ANALYZE at 100k rows: the replay aggregate with
     * {@code loops=3}; the query as of 180 days ago took 0.6–0.9 s without workers against
     * 1.0–1.3 s with them, on two cores).
     *
     * @return SQL statements to run first in the transaction, possibly none
     */
    public List<String> aggregationSettingsSql() {
        return switch (this) {
            case H2, SQLITE -> List.of();
            case POSTGRESQL -> List.of("SET LOCAL work_mem = '64MB'", "SET LOCAL max_parallel_workers_per_gather = 0");
        };
    }

    /**
     * The statements that refresh the planner's statistics of some tables after a bulk load.
     * PostgreSQL plans the first aggregate query after a large load without statistics
     * otherwise (autovacuum analyses later), and such a plan was measured to take minutes
     * instead of seconds; SQLite's planner also reads the statistics {@code ANALYZE} gathers; H2
     * keeps usable selectivity on its own.
     *
     * @param tables the table names, constants of the store's schema
     * @return SQL statements to run after the load's commit, possibly none
     */
    public List<String> refreshStatisticsSql(List<String> tables) {
        Objects.requireNonNull(tables, "tables");
        return switch (this) {
            case H2 -> List.of();
            case POSTGRESQL, SQLITE -> tables.stream().map(t -> "ANALYZE " + t).toList();
        };
    }

    /**
     * Whether a database error means the row was changed by a concurrent transaction, which
     * the store reports as a {@link org.crmkit.core.ConcurrentUpdateException}.
     *
     * @param e the error
     * @return true for serialization failures and lost row-lock races
     */
    public boolean isConcurrentUpdate(SQLException e) {
        String state = e.getSQLState();
        return switch (this) {
            // 90131: concurrent update in another transaction; 50200: lock timeout
            case H2 -> e.getErrorCode() == 90131 || e.getErrorCode() == 50200 || "40001".equals(state);
            case POSTGRESQL -> "40001".equals(state) || "40P01".equals(state);
            // SQLITE_BUSY and SQLITE_LOCKED with their extended codes (e.g. 517, busy snapshot)
            case SQLITE -> e instanceof org.sqlite.SQLiteException s
                    && ((s.getResultCode().code & 0xff) == 5 || (s.getResultCode().code & 0xff) == 6);
        };
    }

    /**
     * Whether a database error is the violation of a primary key or unique constraint (an id
     * already stored).
     *
     * @param e the error
     * @return true for a unique violation
     */
    public boolean isUniqueViolation(SQLException e) {
        return switch (this) {
            case H2, POSTGRESQL -> "23505".equals(e.getSQLState());
            // SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_UNIQUE
            case SQLITE -> e instanceof org.sqlite.SQLiteException s
                    && (s.getResultCode().code == 1555 || s.getResultCode().code == 2067);
        };
    }

    /**
     * The dialect of a database product name as JDBC metadata reports it.
     *
     * @param databaseProductName {@link DatabaseMetaData#getDatabaseProductName()}
     * @return the dialect
     * @throws ValidationException when the product is not supported
     */
    public static Dialect fromProductName(String databaseProductName) {
        Objects.requireNonNull(databaseProductName, "databaseProductName");
        for (Dialect d : values()) {
            if (d.productName.equalsIgnoreCase(databaseProductName.trim())) {
                return d;
            }
        }
        throw new ValidationException("databaseProductName", databaseProductName, "one of SQLite, H2, PostgreSQL");
    }

    /**
     * Detects the dialect from a connection's metadata.
     *
     * @param connection an open connection
     * @return the dialect
     * @throws ValidationException when the database is not supported
     * @throws StorageException when the metadata cannot be read
     */
    public static Dialect detect(Connection connection) {
        try {
            return fromProductName(connection.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new StorageException("reading database metadata", e.getSQLState(), e);
        }
    }
}
