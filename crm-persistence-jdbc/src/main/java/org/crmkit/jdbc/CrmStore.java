package org.crmkit.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.Dataset;
import org.crmkit.core.StorageException;
import org.crmkit.core.TenantId;
import org.crmkit.core.ValidationException;
import org.crmkit.core.spi.CrmStorage;
import org.crmkit.core.spi.OpportunityRepository;
import org.crmkit.core.spi.OrgStructureRepository;
import org.crmkit.core.spi.PlanRepository;
import org.crmkit.core.spi.ProcessRepository;
import org.crmkit.core.spi.TenantAdministration;
import org.crmkit.core.OpportunityId;
import org.crmkit.funnel.FunnelMeasure;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.ForecastDeal;
import org.crmkit.funnel.spi.ForecastQuery;
import org.crmkit.funnel.spi.ForecastSource;
import org.crmkit.funnel.spi.ForecastStats;
import org.crmkit.funnel.spi.FunnelSource;
import org.crmkit.funnel.spi.FunnelStats;
import org.crmkit.funnel.spi.OwnerAggregates;
import org.crmkit.funnel.spi.PopulationSummary;
import org.crmkit.jdbc.internal.Db;
import org.crmkit.jdbc.internal.DriverDataSource;
import org.crmkit.jdbc.internal.FlywayLog;
import org.crmkit.jdbc.internal.MaintainedFunnel;
import org.crmkit.jdbc.internal.JdbcForecastSource;
import org.crmkit.jdbc.internal.JdbcFunnelSource;
import org.crmkit.jdbc.internal.JdbcOpportunities;
import org.crmkit.jdbc.internal.JdbcOrgStructure;
import org.crmkit.jdbc.internal.JdbcPlans;
import org.crmkit.jdbc.internal.JdbcProcesses;
import org.crmkit.jdbc.internal.JdbcSummary;
import org.crmkit.jdbc.internal.JdbcTenantAdministration;
import org.crmkit.jdbc.internal.TenantScope;
import org.crmkit.jdbc.internal.Sqlite;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC store: every crmkit repository on an SQL database (SQLite, H2 or PostgreSQL, see
 * {@link Dialect}). The schema is created and upgraded by Flyway migrations shipped in this
 * jar when the store is built.
 *
 * <p>Embedded in one line: {@code CrmStore.embedded(path)} (an SQLite file, crash-safe) or
 * {@code CrmStore.inMemory()} (H2 in memory, gone when closed). On a server:
 * {@code CrmStore.builder().dataSource(ds).build()} with any {@link DataSource}; pooling is the
 * caller's choice, and the dialect is detected from the connection metadata unless given.
 *
 * <p>Guarantees: every write is one transaction (an opportunity with all its children is
 * written whole or not at all; {@code insertAll} stores all or none); updates and deletes are
 * optimistic ({@code WHERE id = ? AND version = ?}) and a stale one fails with
 * {@link org.crmkit.core.ConcurrentUpdateException} without changing anything; database errors
 * surface as {@link StorageException} with the SQLState; values are only ever bound as
 * statement parameters. Money is stored exactly with its scale (100.50 reads back as 100.50)
 * beside exact minor units; derived columns (stage index, furthest open stage, entered-stage
 * mask, status, creation date in the configured zone, close dates) are computed at write time
 * with {@link org.crmkit.core.StageHistory}.
 *
 * <p>Pushed-down aggregation: as a {@link FunnelSource} the store answers the funnel engine's
 * aggregate queries grouped per owner in SQL (a few rows per owner, read with a cursor, so no
 * opportunity object is built); the result equals the reference definition
 * ({@link org.crmkit.funnel.spi.FunnelReference}) on the same data. A filter with a custom Java
 * predicate, or a process of more than 12 open stages, is answered in Java from streamed rows.
 * As a {@link ForecastSource} it answers the forecast engine likewise: open deals grouped by
 * owner, currency, process, stage, own probability, hand-set category, value basis and month,
 * won deals by owner, currency and close month, with exact sums (the reference is
 * {@link org.crmkit.funnel.spi.ForecastReference}); a forecast of the store reads no
 * opportunity as an object.
 *
 * <p>Bulk loads: {@code insertAll} streams rows with {@code COPY} on PostgreSQL. A load of
 * 10,000 opportunities or more into a store holding no more than that many runs with the
 * store's opportunity tables exclusively locked (readers wait for it; when the locks are not
 * granted within two seconds it loads without them): the secondary indexes are dropped for the
 * copy and re-created in the same transaction, so the committed schema and its guarantees are
 * unchanged and a failed load leaves rows and schema as they were. A load into a larger store
 * copies into the live tables with no table lock beyond an insert's: readers keep reading and
 * see the batch only once it is committed, whole. On PostgreSQL the child tables' references to
 * their opportunity are checked once per statement by triggers (schema version 6), not per row
 * by foreign keys, which made such loads more than twice as slow.
 *
 * <p>Syncs: {@code upsertAll} writes a batch in one transaction through the same bulk path,
 * replacing only the opportunities whose content changed (each row carries a fingerprint of its
 * content, schema version 8, so unchanged ones are recognised without reading their child rows)
 * and deciding each against its stored row locked in id order.
 *
 * <p>Tenants: one database holds many tenants' books, each apart from the others. A store
 * handle serves the one tenant given to {@link Builder#tenant(TenantId)} (the default tenant,
 * {@link TenantId#DEFAULT}, when none is given: the data source's own schema, where a store
 * created before tenants existed keeps its data unchanged). Every read, write, aggregate and
 * export of the handle sees that tenant only; listing and dropping tenants is the separately
 * named {@link #tenantAdministration(DataSource)}. On PostgreSQL a tenant is a schema owned by
 * a role of its own, and every connection of the handle runs as that role, so the database
 * itself refuses a statement that reaches another tenant's tables (see
 * {@code docs/design.md}, "Tenants and visibility").
 *
 * <p>Logging: opening and migrating a store is routine, so Flyway's INFO lines are logged at
 * DEBUG under Flyway's logger names ({@code org.flywaydb}); its warnings and errors stay
 * warnings and errors.
 *
 * <p>Stage indexes are derived from the process when an opportunity is written: re-saving a
 * process with its stages reordered calls for re-saving its opportunities.
 */
public final class CrmStore implements CrmStorage, FunnelSource, ForecastSource {
    private static final Logger LOG = LoggerFactory.getLogger(CrmStore.class);
    private final Dialect dialect;
    private final TenantId tenant;
    private final DataSource dataSource;
    private final Connection keepAlive;
    private final Db db;
    private final JdbcOpportunities opportunities;
    private final ProcessRepository processes;
    private final OrgStructureRepository org;
    private final PlanRepository plans;
    private final FunnelSource funnelSource;
    private final MaintainedFunnel maintained;
    private final ForecastSource forecastSource;

    private CrmStore(Builder b, Dialect dialect, Connection keepAlive, DataSource readers, DataSource writers) {
        this.dialect = dialect;
        this.tenant = b.tenant;
        this.dataSource = readers;
        this.keepAlive = keepAlive;
        // SQLite has one writer at a time: writers of this store take turns in the JVM
        this.db = new Db(readers, writers,
                dialect == Dialect.SQLITE, dialect);
        this.maintained = new MaintainedFunnel(db, b.zone, b.maintainAggregates);
        this.opportunities = new JdbcOpportunities(db, b.zone, b.batchSize, b.fetchSize, maintained);
        this.processes = new JdbcProcesses(db, maintained::rebuildIfStale);
        this.org = new JdbcOrgStructure(db);
        this.plans = new JdbcPlans(db);
        this.funnelSource = new JdbcFunnelSource(db, opportunities, b.fetchSize, maintained);
        this.forecastSource = new JdbcForecastSource(db, b.fetchSize);
    }

    /**
     * A store in an SQLite database file, created when absent: the embedded default. Data
     * survives closing and reopening, and a crash: every commit is synced to disk before the
     * call returns (WAL journal, {@code synchronous=FULL}), so an acknowledged write is never
     * lost and the file is always readable (measured: {@code docs/reliability.md}). Writers of
     * one store take turns; readers run beside them and see the last committed state.
     *
     * @param file the database file, e.g. {@code data/crm.db}; SQLite keeps its write-ahead
     *     log beside it ({@code crm.db-wal}, {@code crm.db-shm}), which belongs to the database
     * @return the open store; close it when done
     * @throws ValidationException when the path holds a {@code ?} (the driver would read what
     *     follows as connection settings)
     * @throws StorageException when the database cannot be opened or migrated
     */
    public static CrmStore embedded(Path file) {
        return builder().embedded(file).build();
    }

    /**
     * A store in a private H2 in-memory database, dropped when the store is closed.
     *
     * @return the open store
     * @throws StorageException when the database cannot be created
     */
    public static CrmStore inMemory() {
        return h2("jdbc:h2:mem:crmkit-" + UUID.randomUUID());
    }

    /** An H2 store on a URL, one connection held open so the database lives until closed. */
    static CrmStore h2(String url) {
        DataSource ds = new DriverDataSource(new org.h2.Driver(), url);
        Connection keepAlive;
        try {
            // H2 closes a database when its last connection closes; one held connection keeps
            // it open between calls (and an in-memory one alive) until the store is closed.
            keepAlive = ds.getConnection();
        } catch (SQLException e) {
            throw new StorageException("opening H2 database " + url + " failed: " + e.getMessage(), e.getSQLState(), e);
        }
        try {
            return builder().dataSource(ds).dialect(Dialect.H2).build(keepAlive);
        } catch (RuntimeException e) {
            try {
                keepAlive.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Starts configuring a store on a caller's data source.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The database dialect in use.
     *
     * @return the dialect
     */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * The data source the store takes connections from. For a tenant other than the default
     * one its connections are confined to the tenant as the store's own are (on PostgreSQL:
     * its role and schema), and reset when closed, so SQL the caller runs on them sees this
     * tenant's tables only.
     *
     * @return the data source
     */
    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public TenantId tenant() {
        return tenant;
    }

    /**
     * The administration of the tenants in a server database (H2 or PostgreSQL, detected from
     * the connection): which tenants it holds, and dropping one. The only call of this module
     * that sees more than one tenant.
     *
     * @param dataSource the database; on PostgreSQL its login is the one the stores use
     * @return the administration
     * @throws StorageException when the database cannot be reached
     */
    public static TenantAdministration tenantAdministration(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        try (Connection c = dataSource.getConnection()) {
            return JdbcTenantAdministration.server(dataSource, Dialect.detect(c));
        } catch (SQLException e) {
            throw new StorageException("connecting failed: " + e.getMessage(), e.getSQLState(), e);
        }
    }

    /**
     * The administration of the tenants of an embedded SQLite store: the default tenant in
     * {@code file}, every other tenant in a file of its own under {@code <file>.tenants/}.
     * Close a tenant's stores before dropping it: SQLite cannot tell open handles that their
     * file was removed.
     *
     * @param file the embedded store's file, as given to {@link #embedded(Path)}
     * @return the administration
     */
    public static TenantAdministration tenantAdministration(Path file) {
        return JdbcTenantAdministration.sqlite(Objects.requireNonNull(file, "file"));
    }

    @Override
    public OpportunityRepository opportunities() {
        return opportunities;
    }

    @Override
    public ProcessRepository processes() {
        return processes;
    }

    @Override
    public OrgStructureRepository orgStructure() {
        return org;
    }

    @Override
    public PlanRepository plans() {
        return plans;
    }

    /**
     * Imports a dataset in one transaction: processes, the org structure, plans and the
     * opportunities with their versions; on any failure nothing is written. The three
     * unversioned wholes are taken in a fixed order (processes, org, plans), as their single
     * saves take them, so an import and concurrent saves take turns without deadlocking.
     *
     * @param dataset the dataset
     * @return how many opportunities were imported
     * @throws ValidationException when an opportunity does not conform to its process or its id
     *     is taken; nothing is written
     * @throws StorageException when the database fails; nothing is written
     */
    @Override
    public long importDataset(Dataset dataset) {
        Objects.requireNonNull(dataset, "dataset");
        long imported;
        try {
            imported = db.inTransaction("importing a dataset of " + dataset.opportunities().size() + " opportunities",
                    c -> {
                        for (String turn : List.of("processes", "org", "plans")) {
                            Db.takeTurn(c, turn);
                        }
                        JdbcProcesses.writeAll(c, dataset.processes());
                        JdbcOrgStructure.write(c, dataset.orgStructure());
                        JdbcPlans.write(c, dialect, dataset.plans());
                        return opportunities.importAll(c, dataset.opportunities());
                    });
        } catch (StorageException e) {
            throw opportunities.idTaken(e, "one of the " + dataset.opportunities().size() + " ids of the dataset");
        }
        opportunities.afterLoad((int) imported);
        // a dataset may redefine a process: aggregates kept for the old order are rebuilt
        maintained.rebuildIfStale();
        return imported;
    }

    /**
     * The per-owner funnel stats of an aggregate query, grouped in SQL.
     *
     * @param query the query
     * @return the stats per owner and bucket
     * @throws StorageException when the database fails
     */
    @Override
    public OwnerAggregates<FunnelStats> aggregate(AggregateQuery query) {
        return funnelSource.aggregate(query);
    }

    /**
     * The ids behind a funnel figure (drill-down), read from the opportunities of the query's
     * owners.
     *
     * @param query the query
     * @param measure the measure
     * @param stage the open stage of a per-stage measure
     * @return the ids; close the stream
     * @throws StorageException when the database fails
     */
    @Override
    public Stream<OpportunityId> ids(AggregateQuery query, FunnelMeasure measure, int stage) {
        return funnelSource.ids(query, measure, stage);
    }

    /**
     * Per owner, the opportunities of a process created by an instant whose field history starts
     * after it (stored before the store kept field history, schema version 9): one statement
     * through the index on {@code history_start_s}, so the funnel engine can say how many deals
     * of a past funnel count with their values at the start of their history.
     *
     * @param process the process
     * @param asOf the instant
     * @return the counts, owners without such deals absent
     * @throws StorageException when the database fails
     */
    @Override
    public java.util.Map<org.crmkit.core.ManagerId, Long> historyStartsAfter(SalesProcess process, Instant asOf) {
        return funnelSource.historyStartsAfter(process, asOf);
    }

    /**
     * Counts what the store holds of a process (opportunities per owner, those changed after
     * an instant, the latest change), read from indexed columns of the opportunity table, so
     * the funnel engine can report owners outside the org structure and changes after "now".
     *
     * @param process the process
     * @param after the instant after which transitions count as changes
     * @return the counts
     * @throws StorageException when the database fails
     */
    @Override
    public Optional<PopulationSummary> summary(SalesProcess process, Instant after) {
        return Optional.of(JdbcSummary.of(db, Objects.requireNonNull(process, "process"),
                Objects.requireNonNull(after, "after"), maintained));
    }

    /**
     * The per-owner forecast stats of a query, grouped in SQL.
     *
     * @param query the query
     * @return the stats per owner
     * @throws StorageException when the database fails
     */
    @Override
    public OwnerAggregates<ForecastStats> forecast(ForecastQuery query) {
        return forecastSource.forecast(query);
    }

    /**
     * The deals of a forecast drill-down, read from the opportunity table's columns (no
     * opportunity is built).
     *
     * @param query the query
     * @param minValue per currency, the value an open deal must exceed; null for every deal
     * @return the deals
     * @throws StorageException when the database fails
     */
    @Override
    public Stream<ForecastDeal> forecastDeals(ForecastQuery query, java.util.Map<javax.money.CurrencyUnit, Long> minValue) {
        return forecastSource.forecastDeals(query, minValue);
    }

    /**
     * Compares the funnel aggregates this store maintains on every write with the aggregates
     * recomputed from its opportunity table, per owner, process and month of creation, under
     * both counting policies, in one consistent read. Empty means every maintained answer equals
     * the grouped scan's. Reads every opportunity row once (no child table): seconds per million.
     *
     * @return the keys that differ, empty when none
     * @throws StorageException when the database fails
     */
    public List<AggregateDifference> verifyAggregates() {
        return maintained.verify();
    }

    /**
     * Rebuilds the maintained funnel aggregates from the opportunity table in one transaction
     * (writers go on meanwhile: a write the rebuild does not see keeps its delta). A store
     * rebuilds by itself when it opens aggregates that are stale or kept in another zone, and
     * after a process is saved with its stages reordered.
     *
     * @return how many keys (owner, process, month) the aggregates hold
     * @throws StorageException when the database fails (nothing changes)
     */
    public long rebuildAggregates() {
        return maintained.rebuild();
    }

    /**
     * Folds the deltas that writes appended into the compacted aggregates now (the store also
     * does so by itself every couple of thousand deltas it writes), so a dashboard query reads
     * one row per owner.
     *
     * @return how many deltas were folded
     * @throws StorageException when the database fails (nothing changes)
     */
    public long compactAggregates() {
        return maintained.compact();
    }

    /**
     * Closes an embedded database; a store on a caller's data source leaves it to the caller.
     *
     * @throws StorageException when the embedded database fails to close
     */
    @Override
    public void close() {
        if (keepAlive != null) {
            try {
                keepAlive.close();
            } catch (SQLException e) {
                throw new StorageException("closing the embedded database failed", e.getSQLState(), e);
            }
        }
    }

    /** Configures a {@link CrmStore}; {@link #build()} validates, connects and migrates. */
    public static final class Builder {
        private DataSource dataSource;
        private DataSource writeDataSource;
        private Dialect dialect;
        private TenantId tenant = TenantId.DEFAULT;
        private Path embeddedFile;
        private ZoneId zone = ZoneOffset.UTC;
        private boolean migrate = true;
        private int batchSize = 1000;
        private int fetchSize = 1000;
        private boolean maintainAggregates = true;

        private Builder() {
        }

        /**
         * Sets where connections come from (required).
         *
         * @param value the data source
         * @return this builder
         */
        public Builder dataSource(DataSource value) {
            this.dataSource = Objects.requireNonNull(value, "dataSource");
            return this;
        }

        /**
         * Sets the store to the SQLite database file of {@link CrmStore#embedded(Path)}, so its
         * other settings can be chosen too: readers and writers on their own connections, every
         * commit synced to disk.
         *
         * @param file the database file, created when absent
         * @return this builder
         * @throws ValidationException when the path holds a {@code ?}
         */
        public Builder embedded(Path file) {
            Objects.requireNonNull(file, "file");
            Path path = file.toAbsolutePath();
            ValidationException.require(path.toString().indexOf('?') < 0, "file", path, "a path without '?'");
            this.embeddedFile = path;
            return dialect(Dialect.SQLITE);
        }

        /**
         * Sets the tenant the store serves (default {@link TenantId#DEFAULT}); every call of
         * the built store sees that tenant's book only. A tenant's tables are created when it
         * is first opened with migrations on. On PostgreSQL that creates the role and schema
         * {@code crm_tenant_<id>} (the login needs {@code CREATEROLE}, or an administrator
         * creates the role beforehand and grants it to the login); on H2 the schema
         * {@code CRM_TENANT_<ID>}; on an embedded SQLite store the file
         * {@code <file>.tenants/<id>.db}. A SQLite data source given directly serves the
         * default tenant only.
         *
         * <p>On PostgreSQL the store's connections may come from a pool shared by all tenants
         * (each borrow then runs {@code SET ROLE}, and each return {@code RESET ROLE}: two round
         * trips; the search path is set and reset too only where it has no {@code "$user"}
         * entry) or from a pool dedicated to the tenant, whose sessions
         * start as its role in its schema, e.g. the URL parameter
         * {@code options=-c role=crm_tenant_<id> -c search_path=crm_tenant_<id>} or a login of
         * the tenant's own: the store recognises it when built and then does nothing per borrow,
         * and a session's {@code RESET ROLE} returns to the tenant's role. Open the tenant once
         * through the shared login first, which creates its role and schema.
         *
         * @param value the tenant
         * @return this builder
         */
        public Builder tenant(TenantId value) {
            this.tenant = Objects.requireNonNull(value, "tenant");
            return this;
        }

        /** The data source of write transactions, when it differs (the embedded SQLite store). */
        private Builder writeDataSource(DataSource value) {
            this.writeDataSource = value;
            return this;
        }

        /**
         * Sets the dialect; by default it is detected from the connection metadata.
         *
         * @param value the dialect
         * @return this builder
         */
        public Builder dialect(Dialect value) {
            this.dialect = Objects.requireNonNull(value, "dialect");
            return this;
        }

        /**
         * Sets the zone in which the stored creation date (a derived column for date
         * aggregates) is taken; UTC by default.
         *
         * @param value the zone
         * @return this builder
         */
        public Builder zone(ZoneId value) {
            this.zone = Objects.requireNonNull(value, "zone");
            return this;
        }

        /**
         * Whether to run the Flyway migrations on build (default true); turn off when the
         * schema is managed elsewhere.
         *
         * @param value true to migrate
         * @return this builder
         */
        public Builder migrate(boolean value) {
            this.migrate = value;
            return this;
        }

        /**
         * Whether the store keeps the funnel aggregates up to date on every write (default
         * true), so funnels as of now and over whole creation months are answered in O(owners)
         * (see {@code docs/design.md}, "Maintained aggregates"). A store that does not maintain
         * them marks them stale when it writes; a maintaining store rebuilds them when it opens.
         *
         * @param value true to maintain
         * @return this builder
         */
        public Builder maintainAggregates(boolean value) {
            this.maintainAggregates = value;
            return this;
        }

        /**
         * Sets the rows per JDBC batch in bulk inserts (default 1000).
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder batchSize(int value) {
            this.batchSize = value;
            return this;
        }

        /**
         * Sets the rows fetched per round trip by streaming reads (default 1000).
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder fetchSize(int value) {
            this.fetchSize = value;
            return this;
        }

        /**
         * Builds the store: detects the dialect when not set and migrates the schema.
         *
         * @return the store
         * @throws ValidationException when the configuration is invalid or the database is not
         *     supported
         * @throws StorageException when the database cannot be reached or migrated
         */
        public CrmStore build() {
            return build(null);
        }

        private CrmStore build(Connection keepAlive) {
            if (embeddedFile != null) {
                Path file = TenantScope.sqliteFile(embeddedFile, tenant);
                if (!tenant.isDefault()) {
                    try {
                        java.nio.file.Files.createDirectories(file.getParent());
                    } catch (java.io.IOException e) {
                        throw new StorageException("creating " + file.getParent() + " failed: " + e.getMessage(), null, e);
                    }
                }
                dataSource(Sqlite.readers(file)).writeDataSource(Sqlite.writers(file));
            }
            ValidationException.requireNonNull(dataSource, "dataSource");
            ValidationException.require(batchSize >= 1, "batchSize", batchSize, "at least 1");
            ValidationException.require(fetchSize >= 1, "fetchSize", fetchSize, "at least 1");
            Dialect d = dialect;
            if (d == null) {
                try (Connection c = dataSource.getConnection()) {
                    d = Dialect.detect(c);
                } catch (SQLException e) {
                    throw new StorageException("connecting failed: " + e.getMessage(), e.getSQLState(), e);
                }
            }
            ValidationException.require(tenant.isDefault() || d != Dialect.SQLITE || embeddedFile != null, "tenant",
                    tenant, "the default tenant on a SQLite data source (other tenants: embedded(file))");
            TenantScope scope = TenantScope.of(d, tenant);
            // a pool dedicated to the tenant (its sessions start as the tenant's role) needs no
            // work per borrow; a shared one is confined on every borrow
            boolean dedicated = scope.arrivesConfined(dataSource);
            if (migrate) {
                if (!dedicated) {
                    scope.prepare(dataSource);
                }
                migrate(d, scope);
            }
            // from here on every connection of the store is confined to the tenant
            DataSource readers = dedicated ? dataSource : scope.confine(dataSource);
            DataSource writers = writeDataSource == null ? readers
                    : dedicated ? writeDataSource : scope.confine(writeDataSource);
            LOG.debug("crmkit store open on {}{}", d, migrate ? ", schema migrated" : "");
            CrmStore store = new CrmStore(this, d, keepAlive, readers, writers);
            // after migration V7, or after a store wrote without maintaining: rebuild once (a
            // schema managed elsewhere is left as it is until rebuildAggregates is called)
            if (migrate) {
                store.maintained.rebuildIfStale();
            }
            return store;
        }

        private void migrate(Dialect d, TenantScope scope) {
            try {
                var flyway = Flyway.configure(CrmStore.class.getClassLoader());
                if (scope.schema() != null) {
                    // the tenant's schema holds its tables and its own history of migrations
                    flyway.schemas(scope.schema()).defaultSchema(scope.schema());
                }
                // on the tenant's own connections: on PostgreSQL every object the migrations
                // create is created by, and owned by, the tenant's role
                flyway.dataSource(scope.confine(dataSource))
                        .locations(d.migrationLocations())
                        .placeholders(d.migrationPlaceholders())
                        .table("crm_schema_history")
                        // a schema holding the host application's tables is fine: start after it
                        .baselineOnMigrate(true)
                        .baselineVersion("0")
                        // opening a store is routine: Flyway's INFO lines become DEBUG
                        .loggers(FlywayLog.class.getName())
                        .load()
                        .migrate();
            } catch (FlywayException e) {
                throw new StorageException("migrating the crmkit schema failed: " + e.getMessage(), null, e);
            }
        }
    }
}
