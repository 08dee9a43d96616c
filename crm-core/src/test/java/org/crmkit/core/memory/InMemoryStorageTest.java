package org.crmkit.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.core.Fixtures.CORP;
import static org.crmkit.core.Fixtures.draft;
import static org.crmkit.core.Fixtures.rejectedBatch;
import static org.crmkit.core.Fixtures.wonDraft;
import static org.crmkit.core.Fixtures.eur;
import static org.crmkit.core.Fixtures.rejected;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.crmkit.core.BatchValidationException;
import org.crmkit.core.ConcurrentUpdateException;
import org.crmkit.core.ManagerId;
import org.crmkit.core.NotFoundException;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.ProcessId;
import org.crmkit.core.Rejection;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.ValidationException;
import org.crmkit.core.spi.BatchMode;
import org.crmkit.core.spi.InsertResult;
import org.crmkit.core.spi.OpportunityQuery;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InMemoryStorageTest {
    private InMemoryStorage store;

    @BeforeEach
    void setUp() {
        store = new InMemoryStorage();
        store.processes().save(CORP);
    }

    @Test
    void insertAssignsVersionOneAndUpdatesIncrementIt() {
        Opportunity stored = store.opportunities().insert(draft().build());
        assertThat(stored.version()).isEqualTo(1);
        Opportunity updated = store.opportunities().update(stored.toBuilder().title("Renamed").build());
        assertThat(updated.version()).isEqualTo(2);
        assertThat(store.opportunities().get(stored.id())).isEqualTo(updated);
        assertThat(store.opportunities().save(updated.toBuilder().probability(50).build()).version()).isEqualTo(3);
    }

    @Test
    void aStaleUpdateIsRejectedAndChangesNothing() {
        Opportunity v1 = store.opportunities().insert(draft().build());
        Opportunity v2 = store.opportunities().update(v1.toBuilder().title("First edit").build());
        assertThatThrownBy(() -> store.opportunities().update(v1.toBuilder().title("Lost edit").build()))
                .isInstanceOfSatisfying(ConcurrentUpdateException.class, e -> {
                    assertThat(e.expectedVersion()).isEqualTo(1);
                    assertThat(e.actualVersion()).isEqualTo(2);
                });
        assertThat(store.opportunities().get(v1.id())).isEqualTo(v2);
    }

    @Test
    void insertChecksTheProcessVersionAndId() {
        rejected(() -> store.opportunities().insert(draft().processId(ProcessId.of("nope")).build()), "processId",
                "nope");
        rejected(() -> store.opportunities().insert(draft().version(3).build()), "version", "3");
        store.opportunities().insert(draft().build());
        rejected(() -> store.opportunities().insert(draft().build()), "id", "opp-1");
        rejected(() -> store.opportunities().insert(draft().completeStep("ghost-step").build()), "step", "ghost-step");
    }

    @Test
    void insertAllIsAllOrNothingAndReportsEveryInvalidOpportunity() {
        Opportunity a = draft().id("a").build();
        Opportunity b = draft().id("b").build();
        BatchValidationException e = rejectedBatch(() -> store.opportunities().insertAll(List.of(a, b,
                draft().id("a").build(), draft().id("c").processId(ProcessId.of("x")).build())), 2, "id", 3, "processId");
        assertThat(e.rejections().get(0).opportunityId()).isEqualTo(OpportunityId.of("a"));
        assertThat(e.rejections().get(1).opportunityId()).isEqualTo(OpportunityId.of("c"));
        assertThat(e.batchSize()).isEqualTo(4);
        assertThat(store.opportunities().count(OpportunityQuery.all())).isZero();
        store.opportunities().insert(b);
        rejectedBatch(() -> store.opportunities().insertAll(List.of(a, b)), 1, "id");
        assertThat(store.opportunities().findById(a.id())).isEmpty();
        assertThat(store.opportunities().insertAll(List.of(a, draft().id("c").build()))).isEqualTo(2);
        assertThat(store.opportunities().count(OpportunityQuery.all())).isEqualTo(3);
    }

    @Test
    void storeValidModeStoresTheValidOnesAndReturnsTheRejects() {
        store.opportunities().insert(draft().id("taken").build());
        InsertResult result = store.opportunities().insertAll(List.of(draft().id("a").build(),
                draft().id("taken").build(), draft().id("b").version(3).build(), draft().id("c").build()),
                BatchMode.STORE_VALID);
        assertThat(result.inserted()).isEqualTo(2);
        assertThat(result.rejections()).extracting(Rejection::index).containsExactly(1, 2);
        assertThat(result.rejections()).extracting(r -> r.opportunityId().value()).containsExactly("taken", "b");
        assertThat(result.rejections().get(1).failures()).extracting(ValidationException::field)
                .containsExactly("version");
        assertThat(store.opportunities().stream(OpportunityQuery.all())).extracting(o -> o.id().value())
                .containsExactly("a", "c", "taken");
    }

    @Test
    void deleteNeedsTheCurrentVersion() {
        Opportunity stored = store.opportunities().insert(draft().build());
        assertThatThrownBy(() -> store.opportunities().delete(stored.id(), 7))
                .isInstanceOf(ConcurrentUpdateException.class);
        store.opportunities().delete(stored.id(), 1);
        assertThat(store.opportunities().findById(stored.id())).isEmpty();
        assertThatThrownBy(() -> store.opportunities().delete(stored.id(), 1)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.opportunities().get(OpportunityId.of("ghost")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("ghost");
        assertThatThrownBy(() -> store.opportunities().update(stored)).isInstanceOf(ConcurrentUpdateException.class);
    }

    @Test
    void queriesFilterByOwnerProcessAndStatus() {
        store.opportunities().insert(draft().id("a").build());
        store.opportunities().insert(draft().id("b").owner(ManagerId.of("bob")).build());
        store.opportunities().insert(wonDraft().id("c").build());
        assertThat(store.opportunities().stream(OpportunityQuery.ownedBy(Set.of(ManagerId.of("bob")))))
                .extracting(o -> o.id().value()).containsExactly("b");
        assertThat(store.opportunities().stream(OpportunityQuery.all().withStatuses(Set.of(OpportunityStatus.WON))))
                .extracting(o -> o.id().value()).containsExactly("c");
        assertThat(store.opportunities().count(OpportunityQuery.all().withProcess(CORP.id()))).isEqualTo(3);
        assertThat(store.opportunities().count(OpportunityQuery.all().withProcess(ProcessId.of("x")))).isZero();
    }

    @Test
    void processesOrgAndPlansAreKept() {
        assertThat(store.processes().get(CORP.id())).isEqualTo(CORP);
        assertThatThrownBy(() -> store.processes().get(ProcessId.of("x"))).isInstanceOf(NotFoundException.class);
        assertThat(store.orgStructure().load()).isEqualTo(OrgStructure.empty());
        OrgStructure org = OrgStructure.builder().unit(UnitId.of("u"), "U", UnitKind.GROUP).build();
        store.orgStructure().save(org);
        assertThat(store.orgStructure().load()).isEqualTo(org);

        Period q1 = Period.inclusive(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 3, 31));
        Period q2 = Period.inclusive(LocalDate.of(2026, 4, 1), LocalDate.of(2026, 6, 30));
        UnitId u = UnitId.of("u");
        store.plans().save(new SalesPlan(u, q1, eur("100.00")));
        store.plans().save(new SalesPlan(u, q1, eur("150.00")));
        store.plans().save(new SalesPlan(u, q2, eur("200.00")));
        assertThat(store.plans().find(u, q1)).map(SalesPlan::target).contains(eur("150.00"));
        assertThat(store.plans().findByNode(u)).extracting(SalesPlan::period).containsExactly(q1, q2);
        assertThat(store.plans().findOverlapping(LocalDate.of(2026, 3, 31), LocalDate.of(2026, 4, 1)))
                .extracting(SalesPlan::period).containsExactly(q1);
        assertThat(store.plans().delete(u, q1)).isTrue();
        assertThat(store.plans().delete(u, q1)).isFalse();
        assertThat(store.plans().findAll()).hasSize(1);
    }
}
