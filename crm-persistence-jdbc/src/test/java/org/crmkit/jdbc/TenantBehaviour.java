package org.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.StorageException;
import org.crmkit.core.TenantId;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.ValidationException;
import org.crmkit.core.memory.InMemoryStorage;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.spi.CrmStorage;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.core.spi.TenantAdministration;
import org.crmkit.funnel.spi.AggregateQuery;
import org.crmkit.funnel.spi.ForecastQuery;
import org.crmkit.funnel.spi.ForecastReference;
import org.crmkit.funnel.spi.FunnelReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tenants kept apart, for every store: the same opportunity ids in two or three tenants of one
 * database, random writes to any of them, and each tenant's store then answers exactly like a
 * store holding only that tenant's book (its export, counts, lookups, and where the store pushes
 * aggregates down, its funnel and forecast aggregates against the reference definitions over
 * that book alone). QuickTheories' seed is pinned by the build.
 */
abstract class TenantBehaviour {
    private static final AtomicInteger RUNS = new AtomicInteger();
    private final List<CrmStorage> opened = new ArrayList<>();

    /** The store of a tenant in this test's database; opened anew on each call. */
    abstract CrmStorage open(TenantId tenant);

    /** The administration of this test's database. */
    abstract TenantAdministration administration();

    /** How many random histories the property runs (fewer where a tenant's migration is slow). */
    int examples() {
        return 8;
    }

    CrmStorage tracked(TenantId tenant) {
        CrmStorage s = open(tenant);
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(CrmStorage::close);
        opened.clear();
    }

    @Test
    void randomWritesToTenantsSharingIdsLeaveEachTenantExactlyItsOwnBook() {
        // the default tenant takes part in every history, with a reference that lives as long
        CrmStorage defaultStore = tracked(TenantId.DEFAULT);
        InMemoryStorage defaultRef = new InMemoryStorage();
        defaultStore.processes().save(RandomBook.PROCESS);
        defaultRef.processes().save(RandomBook.PROCESS);
        qt().withExamples(examples()).forAll(longs().all(), integers().between(1, 60)).checkAssert((seed, writes) -> {
            int run = RUNS.incrementAndGet();
            Map<TenantId, CrmStorage> stores = new LinkedHashMap<>();
            Map<TenantId, InMemoryStorage> refs = new LinkedHashMap<>();
            stores.put(TenantId.DEFAULT, defaultStore);
            refs.put(TenantId.DEFAULT, defaultRef);
            for (String t : List.of("a", "b")) {
                TenantId tenant = TenantId.of("t" + run + t);
                CrmStorage store = tracked(tenant);
                InMemoryStorage ref = new InMemoryStorage();
                store.processes().save(RandomBook.PROCESS);
                ref.processes().save(RandomBook.PROCESS);
                // the same ids o00000.. in every tenant, with different content
                List<Opportunity> book = RandomBook.opportunities(seed ^ t.hashCode(), 20);
                store.opportunities().insertAll(book);
                ref.opportunities().insertAll(book);
                stores.put(tenant, store);
                refs.put(tenant, ref);
            }
            Random r = new Random(seed);
            List<Opportunity> candidates = RandomBook.opportunities(seed + 1, 30);
            List<TenantId> tenants = new ArrayList<>(stores.keySet());
            for (int i = 0; i < writes; i++) {
                TenantId t = tenants.get(r.nextInt(tenants.size()));
                applyToBoth(r, candidates.get(r.nextInt(candidates.size())), stores.get(t), refs.get(t));
            }
            for (TenantId t : tenants) {
                assertSameBook(t, stores.get(t), refs.get(t));
            }
        });
    }

    /** One random write, applied to the tenant's store and its reference: both succeed or both refuse. */
    private static void applyToBoth(Random r, Opportunity candidate, CrmStorage store, InMemoryStorage ref) {
        OpportunityId id = candidate.id();
        Optional<Opportunity> stored = ref.opportunities().findById(id);
        int kind = r.nextInt(4);
        java.util.function.Consumer<CrmStorage> write;
        if (stored.isEmpty() || kind == 0) {
            write = s -> s.opportunities().insert(candidate);
        } else if (kind == 1) {
            long version = stored.get().version();
            write = s -> s.opportunities().delete(id, version);
        } else if (kind == 2) {
            Opportunity changed = stored.get().toBuilder().probability(r.nextInt(101)).build();
            write = s -> s.opportunities().update(changed);
        } else {
            Opportunity replacement = candidate.toBuilder().version(stored.get().version()).build();
            write = s -> s.opportunities().update(replacement);
        }
        RuntimeException expected = attempt(write, ref);
        RuntimeException got = attempt(write, store);
        if (expected == null) {
            assertThat(got).as("store refused what the reference took").isNull();
        } else {
            assertThat(got).as("store took what the reference refused: %s", expected).isNotNull();
            assertThat(got.getClass()).isEqualTo(expected.getClass());
        }
    }

    private static RuntimeException attempt(java.util.function.Consumer<CrmStorage> write, CrmStorage s) {
        try {
            write.accept(s);
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static void assertSameBook(TenantId t, CrmStorage store, InMemoryStorage ref) {
        assertThat(store.tenant()).isEqualTo(t);
        assertThat(store.exportDataset()).as("export of %s", t).isEqualTo(ref.exportDataset());
        List<Opportunity> book = ref.exportDataset().opportunities();
        assertThat(store.opportunities().count(OpportunityQuery.all())).isEqualTo(book.size());
        Set<ManagerId> owners = RandomBook.OWNERS.stream().map(ManagerId::of).collect(Collectors.toSet());
        assertThat(store.opportunities().count(OpportunityQuery.ownedBy(owners))).isEqualTo(book.size());
        for (int i = 0; i < 30; i++) {
            OpportunityId id = OpportunityId.of(String.format("o%05d", i));
            assertThat(store.opportunities().findById(id)).as("%s in %s", id, t).isEqualTo(ref.opportunities().findById(id));
        }
        if (store instanceof CrmStore jdbc) {
            AggregateQuery now = AggregateQuery.builder(owners, RandomBook.PROCESS, Instant.parse("2027-01-01T00:00:00Z")).build();
            assertThat(jdbc.aggregate(now)).as("funnel of %s", t).isEqualTo(FunnelReference.aggregate(now, book.stream()));
            AggregateQuery past = AggregateQuery.builder(owners, RandomBook.PROCESS, Instant.parse("2026-01-15T00:00:00Z")).build();
            assertThat(jdbc.aggregate(past)).as("past funnel of %s", t).isEqualTo(FunnelReference.aggregate(past, book.stream()));
            ForecastQuery q = ForecastQuery.of(LocalDate.of(2026, 3, 10), Amounts.currency("EUR"), ZoneOffset.UTC);
            assertThat(jdbc.forecast(q)).as("forecast of %s", t).isEqualTo(ForecastReference.aggregate(q, book.stream()));
            assertThat(jdbc.verifyAggregates()).as("maintained aggregates of %s", t).isEmpty();
        }
    }

    @Test
    void orgStructuresPlansAndProcessesBelongToTheirTenant() {
        CrmStorage a = tracked(TenantId.of("org_a"));
        CrmStorage b = tracked(TenantId.of("org_b"));
        OrgStructure orgA = OrgStructure.builder().manager(ManagerId.of("m1"), "Anna")
                .unit(UnitId.of("sales"), "Sales A", UnitKind.GROUP).member(ManagerId.of("m1"), UnitId.of("sales")).build();
        OrgStructure orgB = OrgStructure.builder().manager(ManagerId.of("m9"), "Boris")
                .unit(UnitId.of("sales"), "Sales B", UnitKind.DIVISION).member(ManagerId.of("m9"), UnitId.of("sales")).build();
        a.orgStructure().save(orgA);
        b.orgStructure().save(orgB);
        a.processes().save(RandomBook.PROCESS);
        Period q1 = Period.inclusive(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 3, 31));
        a.plans().save(new SalesPlan(UnitId.of("sales"), q1, Amounts.of("1000.00", "EUR")));
        b.plans().save(new SalesPlan(UnitId.of("sales"), q1, Amounts.of("7.50", "USD")));

        assertThat(tracked(TenantId.of("org_a")).orgStructure().load()).isEqualTo(orgA);
        assertThat(tracked(TenantId.of("org_b")).orgStructure().load()).isEqualTo(orgB);
        assertThat(a.plans().findAll()).singleElement().satisfies(p -> assertThat(p.target().isEqualTo(Amounts.of("1000.00", "EUR"))).isTrue());
        assertThat(b.plans().findAll()).singleElement().satisfies(p -> assertThat(p.target().isEqualTo(Amounts.of("7.50", "USD"))).isTrue());
        assertThat(a.processes().findAll()).hasSize(1);
        assertThat(b.processes().findAll()).isEmpty();
    }

    @Test
    void administrationListsAndDropsTenantsButNeverTheDefaultOne() {
        CrmStorage home = tracked(TenantId.DEFAULT);
        home.processes().save(RandomBook.PROCESS);
        home.opportunities().insertAll(RandomBook.opportunities(5, 10));
        CrmStorage gone = tracked(TenantId.of("adm_gone"));
        gone.processes().save(RandomBook.PROCESS);
        gone.opportunities().insertAll(RandomBook.opportunities(6, 10));
        tracked(TenantId.of("adm_kept")).processes().save(RandomBook.PROCESS);
        TenantAdministration admin = administration();

        assertThat(admin.tenants()).containsSubsequence(TenantId.of("adm_gone"), TenantId.of("adm_kept"), TenantId.DEFAULT);
        assertThat(admin.drop(TenantId.of("adm_gone"))).isTrue();
        assertThat(admin.drop(TenantId.of("adm_gone"))).isFalse();
        assertThat(admin.drop(TenantId.of("adm_never"))).isFalse();
        assertThatThrownBy(() -> admin.drop(TenantId.DEFAULT)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("tenant").hasMessageContaining("default");

        assertThat(admin.tenants()).doesNotContain(TenantId.of("adm_gone")).contains(TenantId.of("adm_kept"), TenantId.DEFAULT);
        assertThat(home.opportunities().count(OpportunityQuery.all())).isEqualTo(10);
        // a tenant opened again after its drop starts empty
        assertThat(tracked(TenantId.of("adm_gone")).opportunities().count(OpportunityQuery.all())).isZero();
    }

    @Test
    void aHandleOfADroppedTenantFailsInsteadOfWritingSomewhere() {
        CrmStorage doomed = tracked(TenantId.of("doomed"));
        doomed.processes().save(RandomBook.PROCESS);
        administration().drop(TenantId.of("doomed"));
        assertThatThrownBy(() -> doomed.opportunities().insert(RandomBook.opportunities(1, 1).get(0)))
                .isInstanceOf(StorageException.class);
    }

    @Test
    void tenantIdsAreCheckedBeforeAnythingIsNamedAfterThem() {
        for (String bad : List.of("", "A", "1a", "a-b", "a;drop", "a".repeat(41), "a b")) {
            assertThatThrownBy(() -> TenantId.of(bad)).as(bad).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("tenantId");
        }
        assertThat(TenantId.of("a").isDefault()).isFalse();
        assertThat(TenantId.of("default")).isEqualTo(TenantId.DEFAULT);
    }
}
