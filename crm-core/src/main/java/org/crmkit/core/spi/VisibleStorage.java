package org.crmkit.core.spi;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.crmkit.core.Dataset;
import org.crmkit.core.ManagerId;
import org.crmkit.core.NotFoundException;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.ProcessId;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.TenantId;
import org.crmkit.core.ValidationException;
import org.crmkit.core.Visibility;

/**
 * A store as one {@link org.crmkit.core.Viewer} may see it: every read of opportunities (lookup,
 * stream, count, export, and through them every history entry and stage transition) returns
 * the visible deals only, and a write may touch only deals the viewer sees, before and after.
 * A deal the viewer does not see is absent: looking it up finds nothing, and updating or
 * deleting it fails with {@link NotFoundException} exactly as for an id never stored, so the
 * view does not even reveal that it exists.
 *
 * <p>Processes, the org structure and plans are read as they are (they describe the company,
 * not deals); changing them, and importing a dataset, need a viewer who sees the whole book.
 */
public final class VisibleStorage implements CrmStorage {
    private final CrmStorage store;
    private final Visibility visibility;
    private final OpportunityRepository opportunities = new Opportunities();

    private VisibleStorage(CrmStorage store, Visibility visibility) {
        this.store = Objects.requireNonNull(store, "store");
        this.visibility = Objects.requireNonNull(visibility, "visibility");
    }

    /**
     * The view of a store for a visibility.
     *
     * @param store the store (one tenant's)
     * @param visibility what the viewer may see
     * @return the view
     */
    public static VisibleStorage of(CrmStorage store, Visibility visibility) {
        return new VisibleStorage(store, visibility);
    }

    /**
     * What the view shows.
     *
     * @return the visibility
     */
    public Visibility visibility() {
        return visibility;
    }

    @Override
    public TenantId tenant() {
        return store.tenant();
    }

    @Override
    public OpportunityRepository opportunities() {
        return opportunities;
    }

    @Override
    public ProcessRepository processes() {
        ProcessRepository all = store.processes();
        return new ProcessRepository() {
            @Override
            public void save(SalesProcess process) {
                requireWholeBook("saving a process");
                all.save(process);
            }

            @Override
            public Optional<SalesProcess> find(ProcessId id) {
                return all.find(id);
            }

            @Override
            public List<SalesProcess> findAll() {
                return all.findAll();
            }
        };
    }

    @Override
    public OrgStructureRepository orgStructure() {
        OrgStructureRepository all = store.orgStructure();
        return new OrgStructureRepository() {
            @Override
            public OrgStructure load() {
                return all.load();
            }

            @Override
            public void save(OrgStructure structure) {
                requireWholeBook("saving the org structure");
                all.save(structure);
            }
        };
    }

    @Override
    public PlanRepository plans() {
        PlanRepository all = store.plans();
        return new PlanRepository() {
            @Override
            public void save(SalesPlan plan) {
                requireWholeBook("saving a plan");
                all.save(plan);
            }

            @Override
            public void saveAll(Collection<SalesPlan> plans) {
                requireWholeBook("saving plans");
                all.saveAll(plans);
            }

            @Override
            public Optional<SalesPlan> find(OrgNodeId node, Period period) {
                return all.find(node, period);
            }

            @Override
            public List<SalesPlan> findByNode(OrgNodeId node) {
                return all.findByNode(node);
            }

            @Override
            public List<SalesPlan> findOverlapping(LocalDate from, LocalDate toExclusive) {
                return all.findOverlapping(from, toExclusive);
            }

            @Override
            public List<SalesPlan> findAll() {
                return all.findAll();
            }

            @Override
            public boolean delete(OrgNodeId node, Period period) {
                requireWholeBook("deleting a plan");
                return all.delete(node, period);
            }
        };
    }

    @Override
    public long importDataset(Dataset dataset) {
        requireWholeBook("importing a dataset");
        return store.importDataset(dataset);
    }

    private void requireWholeBook(String what) {
        ValidationException.require(visibility.isUnrestricted(), "viewer", visibility.viewer(),
                "a viewer who sees the whole book, for " + what);
    }

    private void requireVisibleOwner(Opportunity o) {
        if (!visibility.sees(o.owner())) {
            throw new ValidationException("owner", o.owner(), "an owner whose deals " + visibility.viewer() + " sees")
                    .forOpportunity(o.id());
        }
    }

    /**
     * Requires a stored deal the viewer sees; a hidden one is reported as never stored. The
     * write that follows is optimistic (its version must be the stored one), so a deal moved
     * to a hidden owner between this check and the write fails that write as stale.
     */
    private void requireVisibleStored(OpportunityId id) {
        if (!store.opportunities().ownerOf(id).map(visibility::sees).orElse(false)) {
            throw new NotFoundException("opportunity", id);
        }
    }

    /**
     * The query narrowed to the visible owners; empty when it can select nothing visible (an
     * empty owner set would mean "every owner" to the store).
     */
    private Optional<OpportunityQuery> narrowed(OpportunityQuery query) {
        Objects.requireNonNull(query, "query");
        if (visibility.isUnrestricted()) {
            return Optional.of(query);
        }
        Set<ManagerId> owners = visibility.restrict(query.owners().isEmpty() ? visibility.owners().orElseThrow() : query.owners());
        return owners.isEmpty() ? Optional.empty()
                : Optional.of(new OpportunityQuery(owners, query.processId(), query.statuses()));
    }

    private final class Opportunities implements OpportunityRepository {
        @Override
        public Opportunity insert(Opportunity opportunity) {
            requireVisibleOwner(opportunity);
            return store.opportunities().insert(opportunity);
        }

        @Override
        public Opportunity update(Opportunity opportunity) {
            requireVisibleOwner(opportunity);
            requireVisibleStored(opportunity.id());
            return store.opportunities().update(opportunity);
        }

        @Override
        public long insertAll(Collection<Opportunity> batch) {
            batch.forEach(VisibleStorage.this::requireVisibleOwner);
            return store.opportunities().insertAll(batch);
        }

        @Override
        public InsertResult insertAll(Collection<Opportunity> batch, BatchMode mode) {
            batch.forEach(VisibleStorage.this::requireVisibleOwner);
            return store.opportunities().insertAll(batch, mode);
        }

        @Override
        public UpsertResult upsertAll(Collection<Opportunity> batch, UpsertMode mode) {
            for (Opportunity o : batch) {
                requireVisibleOwner(o);
                // a stored copy the viewer does not see must not be replaced (nor revealed)
                store.opportunities().ownerOf(o.id()).ifPresent(owner -> {
                    if (!visibility.sees(owner)) {
                        throw new NotFoundException("opportunity", o.id());
                    }
                });
            }
            return store.opportunities().upsertAll(batch, mode);
        }

        @Override
        public Optional<Opportunity> findById(OpportunityId id) {
            return store.opportunities().findById(id).filter(o -> visibility.sees(o.owner()));
        }

        @Override
        public Optional<ManagerId> ownerOf(OpportunityId id) {
            return store.opportunities().ownerOf(id).filter(visibility::sees);
        }

        @Override
        public void delete(OpportunityId id, long expectedVersion) {
            requireVisibleStored(id);
            store.opportunities().delete(id, expectedVersion);
        }

        @Override
        public Stream<Opportunity> stream(OpportunityQuery query) {
            return narrowed(query).map(q -> store.opportunities().stream(q)).orElseGet(Stream::empty);
        }

        @Override
        public long count(OpportunityQuery query) {
            return narrowed(query).map(q -> store.opportunities().count(q)).orElse(0L);
        }
    }
}
