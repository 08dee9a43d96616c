package org.crmkit.core.memory;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.crmkit.core.BatchCheck;
import org.crmkit.core.ConcurrentUpdateException;
import org.crmkit.core.Dataset;
import org.crmkit.core.NotFoundException;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.ProcessId;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.StorageException;
import org.crmkit.core.TenantId;
import org.crmkit.core.ValidationException;
import org.crmkit.core.spi.BatchMode;
import org.crmkit.core.spi.CrmStorage;
import org.crmkit.core.spi.InsertResult;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.core.spi.OpportunityRepository;
import org.crmkit.core.spi.OrgStructureRepository;
import org.crmkit.core.spi.PlanRepository;
import org.crmkit.core.spi.ProcessRepository;
import org.crmkit.core.spi.UpsertConflict;
import org.crmkit.core.spi.UpsertMode;
import org.crmkit.core.spi.UpsertResult;

/**
 * A thread-safe store held in memory, for tests, demos and applications that persist
 * elsewhere. Writes take a write lock, so each write (including {@code insertAll}) is
 * atomic and a stale update is rejected with {@link ConcurrentUpdateException} without
 * changing anything; reads see a consistent snapshot.
 *
 * <p>One instance is one tenant's book. An application serving several tenants in one JVM
 * takes each tenant's store from {@link InMemoryTenants}.
 */
public final class InMemoryStorage implements CrmStorage {
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final TreeMap<OpportunityId, Opportunity> opportunities = new TreeMap<>();
    private final Map<ProcessId, SalesProcess> processes = new ConcurrentHashMap<>();
    private final TreeMap<String, SalesPlan> plans = new TreeMap<>();
    private volatile OrgStructure org = OrgStructure.empty();
    private final TenantId tenant;
    /** Set under the write lock when the tenant is dropped; every later call fails. */
    private volatile boolean dropped;

    private final OpportunityRepository opportunityRepository = new Opportunities();
    private final ProcessRepository processRepository = new Processes();
    private final OrgStructureRepository orgRepository = new Org();
    private final PlanRepository planRepository = new Plans();

    /** Creates an empty store of the default tenant. */
    public InMemoryStorage() {
        this(TenantId.DEFAULT);
    }

    /** Creates an empty store of one tenant ({@link InMemoryTenants}). */
    InMemoryStorage(TenantId tenant) {
        this.tenant = Objects.requireNonNull(tenant, "tenant");
    }

    @Override
    public TenantId tenant() {
        return tenant;
    }

    /** Empties the store and makes every later call fail: its tenant was dropped. */
    void drop() {
        lock.writeLock().lock();
        try {
            dropped = true;
            opportunities.clear();
            processes.clear();
            plans.clear();
            org = OrgStructure.empty();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void lockForWrite() {
        lock.writeLock().lock();
        requireLive(lock.writeLock());
    }

    private void lockForRead() {
        lock.readLock().lock();
        requireLive(lock.readLock());
    }

    private void requireLive(java.util.concurrent.locks.Lock held) {
        if (dropped) {
            held.unlock();
            throw new StorageException("tenant " + tenant + " was dropped; its store is gone", null, null);
        }
    }

    @Override
    public OpportunityRepository opportunities() {
        return opportunityRepository;
    }

    @Override
    public ProcessRepository processes() {
        return processRepository;
    }

    @Override
    public OrgStructureRepository orgStructure() {
        return orgRepository;
    }

    @Override
    public PlanRepository plans() {
        return planRepository;
    }

    /**
     * Imports a dataset under the write lock: everything is checked first (each opportunity
     * against its process from the dataset or the store, ids against the stored ones; every
     * invalid opportunity reported at once), then applied, so a failure leaves the store as it
     * was and readers never see half of it.
     */
    @Override
    public long importDataset(Dataset dataset) {
        Objects.requireNonNull(dataset, "dataset");
        lockForWrite();
        try {
            Map<ProcessId, SalesProcess> merged = new java.util.HashMap<>(processes);
            for (SalesProcess p : dataset.processes()) {
                merged.put(p.id(), p);
            }
            List<Opportunity> prepared = new ArrayList<>(dataset.opportunities().size());
            for (Opportunity opp : BatchCheck.ofImport(dataset.opportunities(),
                    id -> Optional.ofNullable(merged.get(id)), opportunities::containsKey).requireAllValid()) {
                prepared.add(opp.version() == 0 ? opp.toBuilder().version(1).build() : opp);
            }
            processes.putAll(merged);
            org = dataset.orgStructure();
            for (SalesPlan plan : dataset.plans()) {
                plans.put(key(plan.node(), plan.period()), plan);
            }
            for (Opportunity opp : prepared) {
                opportunities.put(opp.id(), opp);
            }
            return prepared.size();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private Opportunity checked(Opportunity opp) {
        Objects.requireNonNull(opp, "opportunity");
        if (dropped) {
            // before the process check, which a dropped store would fail for the wrong reason
            throw new StorageException("tenant " + tenant + " was dropped; its store is gone", null, null);
        }
        SalesProcess process = processes.get(opp.processId());
        if (process == null) {
            throw new ValidationException("processId", opp.processId(), "the id of a stored process")
                    .forOpportunity(opp.id());
        }
        opp.requireConformsTo(process);
        return opp;
    }

    private final class Opportunities implements OpportunityRepository {
        @Override
        public Opportunity insert(Opportunity opportunity) {
            checked(opportunity);
            if (opportunity.version() != 0) {
                throw new ValidationException("version", opportunity.version(), "0 for an opportunity not stored yet")
                        .forOpportunity(opportunity.id());
            }
            lockForWrite();
            try {
                if (opportunities.containsKey(opportunity.id())) {
                    throw new ValidationException("id", opportunity.id(), "an id not stored yet")
                            .forOpportunity(opportunity.id());
                }
                Opportunity stored = opportunity.toBuilder().version(1).build();
                opportunities.put(stored.id(), stored);
                return stored;
            } finally {
                lock.writeLock().unlock();
            }
        }

        @Override
        public Opportunity update(Opportunity opportunity) {
            checked(opportunity);
            lockForWrite();
            try {
                Opportunity current = opportunities.get(opportunity.id());
                long actual = current == null ? -1 : current.version();
                if (actual != opportunity.version()) {
                    throw new ConcurrentUpdateException("opportunity", opportunity.id(), opportunity.version(), actual);
                }
                // a copy without field history (built afresh) continues the stored one rather than drop it
                Opportunity given = opportunity.changes().isEmpty() && !current.changes().isEmpty()
                        ? opportunity.continuingHistoryOf(current, Instant.now()) : opportunity;
                Opportunity stored = given.toBuilder().version(actual + 1).build();
                opportunities.put(stored.id(), stored);
                return stored;
            } finally {
                lock.writeLock().unlock();
            }
        }

        @Override
        public long insertAll(Collection<Opportunity> batch) {
            return insertAll(batch, BatchMode.ALL_OR_NOTHING).inserted();
        }

        @Override
        public InsertResult insertAll(Collection<Opportunity> batch, BatchMode mode) {
            Objects.requireNonNull(batch, "opportunities");
            Objects.requireNonNull(mode, "mode");
            lockForWrite();
            try {
                // checked under the lock, so "not stored yet" still holds when writing
                BatchCheck<Opportunity> check = BatchCheck.ofInsert(batch,
                        id -> Optional.ofNullable(processes.get(id)), opportunities::containsKey);
                if (mode == BatchMode.ALL_OR_NOTHING) {
                    check.requireAllValid();
                }
                for (Opportunity opp : check.accepted()) {
                    opportunities.put(opp.id(), opp.toBuilder().version(1).build());
                }
                return new InsertResult(check.accepted().size(), check.rejections());
            } finally {
                lock.writeLock().unlock();
            }
        }

        @Override
        public UpsertResult upsertAll(Collection<Opportunity> batch, UpsertMode mode) {
            Objects.requireNonNull(batch, "opportunities");
            Objects.requireNonNull(mode, "mode");
            lockForWrite();
            try {
                // decided and written under one lock: the stored copies compared are the ones replaced
                List<Opportunity> valid = BatchCheck.ofUpsert(batch, id -> Optional.ofNullable(processes.get(id)))
                        .requireAllValid();
                long inserted = 0;
                long updated = 0;
                long unchanged = 0;
                List<UpsertConflict> conflicts = new ArrayList<>();
                List<Opportunity> writes = new ArrayList<>(valid.size());
                Instant now = Instant.now();
                for (int i = 0; i < valid.size(); i++) {
                    Opportunity given = valid.get(i);
                    Opportunity current = opportunities.get(given.id());
                    long stored = current == null ? 0 : current.version();
                    // a source without field history is compared without it, and continues the stored one
                    boolean same = current != null && (given.changes().isEmpty()
                            ? current.sameContentApartFromHistoryAs(given) : current.sameContentAs(given));
                    switch (mode.decide(given.version(), stored, same)) {
                        case INSERT -> {
                            writes.add(given.toBuilder().version(1).build());
                            inserted++;
                        }
                        case UPDATE -> {
                            writes.add(given.continuingHistoryOf(current, now).toBuilder().version(stored + 1).build());
                            updated++;
                        }
                        case UNCHANGED -> unchanged++;
                        case CONFLICT -> conflicts.add(new UpsertConflict(i, given.id(), given.version(), stored));
                    }
                }
                for (Opportunity w : writes) {
                    opportunities.put(w.id(), w);
                }
                return new UpsertResult(inserted, updated, unchanged, conflicts);
            } finally {
                lock.writeLock().unlock();
            }
        }

        @Override
        public Optional<Opportunity> findById(OpportunityId id) {
            Objects.requireNonNull(id, "id");
            lockForRead();
            try {
                return Optional.ofNullable(opportunities.get(id));
            } finally {
                lock.readLock().unlock();
            }
        }

        @Override
        public Optional<org.crmkit.core.ManagerId> ownerOf(OpportunityId id) {
            return findById(id).map(Opportunity::owner);
        }

        @Override
        public void delete(OpportunityId id, long expectedVersion) {
            Objects.requireNonNull(id, "id");
            lockForWrite();
            try {
                Opportunity current = opportunities.get(id);
                if (current == null) {
                    throw new NotFoundException("opportunity", id);
                }
                if (current.version() != expectedVersion) {
                    throw new ConcurrentUpdateException("opportunity", id, expectedVersion, current.version());
                }
                opportunities.remove(id);
            } finally {
                lock.writeLock().unlock();
            }
        }

        @Override
        public Stream<Opportunity> stream(OpportunityQuery query) {
            Objects.requireNonNull(query, "query");
            lockForRead();
            try {
                return new ArrayList<>(opportunities.values()).stream().filter(query::matches);
            } finally {
                lock.readLock().unlock();
            }
        }

        @Override
        public long count(OpportunityQuery query) {
            try (Stream<Opportunity> s = stream(query)) {
                return s.count();
            }
        }
    }

    private final class Processes implements ProcessRepository {
        @Override
        public void save(SalesProcess process) {
            Objects.requireNonNull(process, "process");
            lockForWrite();
            try {
                processes.put(process.id(), process);
            } finally {
                lock.writeLock().unlock();
            }
        }

        @Override
        public Optional<SalesProcess> find(ProcessId id) {
            Objects.requireNonNull(id, "id");
            lockForRead();
            try {
                return Optional.ofNullable(processes.get(id));
            } finally {
                lock.readLock().unlock();
            }
        }

        @Override
        public List<SalesProcess> findAll() {
            lockForRead();
            try {
                return processes.values().stream().sorted(Comparator.comparing(SalesProcess::id)).toList();
            } finally {
                lock.readLock().unlock();
            }
        }
    }

    private final class Org implements OrgStructureRepository {
        @Override
        public OrgStructure load() {
            lockForRead();
            try {
                return org;
            } finally {
                lock.readLock().unlock();
            }
        }

        @Override
        public void save(OrgStructure structure) {
            Objects.requireNonNull(structure, "structure");
            lockForWrite();
            try {
                org = structure;
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    private static String key(OrgNodeId node, Period period) {
        return node.key() + '|' + period.start() + '|' + period.end();
    }

    private final class Plans implements PlanRepository {
        @Override
        public void save(SalesPlan plan) {
            saveAll(List.of(plan));
        }

        @Override
        public void saveAll(Collection<SalesPlan> batch) {
            List<SalesPlan> copy = List.copyOf(batch);
            lockForWrite();
            try {
                for (SalesPlan plan : copy) {
                    plans.put(key(plan.node(), plan.period()), plan);
                }
            } finally {
                lock.writeLock().unlock();
            }
        }

        @Override
        public Optional<SalesPlan> find(OrgNodeId node, Period period) {
            lockForRead();
            try {
                return Optional.ofNullable(plans.get(key(node, period)));
            } finally {
                lock.readLock().unlock();
            }
        }

        @Override
        public List<SalesPlan> findByNode(OrgNodeId node) {
            return select(p -> p.node().equals(node)).stream()
                    .sorted(Comparator.comparing(p -> p.period().start())).toList();
        }

        @Override
        public List<SalesPlan> findOverlapping(LocalDate from, LocalDate toExclusive) {
            return select(p -> p.period().start().isBefore(toExclusive) && p.period().end().isAfter(from));
        }

        @Override
        public List<SalesPlan> findAll() {
            return select(p -> true);
        }

        private List<SalesPlan> select(java.util.function.Predicate<SalesPlan> filter) {
            lockForRead();
            try {
                return plans.values().stream().filter(filter).toList();
            } finally {
                lock.readLock().unlock();
            }
        }

        @Override
        public boolean delete(OrgNodeId node, Period period) {
            lockForWrite();
            try {
                return plans.remove(key(node, period)) != null;
            } finally {
                lock.writeLock().unlock();
            }
        }
    }
}
