package org.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.crmkit.core.CrmException;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.SalesProcesses;
import org.crmkit.core.Stage;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.testkit.Fixtures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every write of the store, failed at each of its statements in turn while the rollback fails
 * too (and once at the commit): the store must come out exactly as it was. Before this was
 * tested, a failed rollback was followed by {@code setAutoCommit(true)}, which under JDBC
 * commits the pending half of the write (an update with its children deleted, a process
 * without stages, an org without memberships).
 */
abstract class FaultInjectionBehaviour {
    /** A data source on a fresh, empty database. */
    abstract DataSource freshDataSource();

    private record State(List<Opportunity> opportunities, List<SalesProcess> processes, OrgStructure org,
            List<SalesPlan> plans) {
        static State of(CrmStore store) {
            List<Opportunity> opps;
            try (Stream<Opportunity> all = store.opportunities().stream(OpportunityQuery.all())) {
                opps = all.toList();
            }
            return new State(opps, store.processes().findAll(), store.orgStructure().load(),
                    store.plans().findAll());
        }
    }

    private static final Period Q1 = Period.inclusive(java.time.LocalDate.of(2026, 1, 1), java.time.LocalDate.of(2026, 3, 31));
    private static final Period Q2 = Period.inclusive(java.time.LocalDate.of(2026, 4, 1), java.time.LocalDate.of(2026, 6, 30));

    private static void given(CrmStore store) {
        store.processes().save(Fixtures.process());
        store.orgStructure().save(OrgStructure.builder().manager(ManagerId.of(Fixtures.OWNER.value()), "Anna")
                .manager(ManagerId.of("m-boris"), "Boris").unit(UnitId.of("sales"), "Sales", UnitKind.DEPARTMENT)
                .member(ManagerId.of(Fixtures.OWNER.value()), UnitId.of("sales")).member(ManagerId.of("m-boris"), UnitId.of("sales")).build());
        store.plans().save(new SalesPlan(UnitId.of("sales"), Q1, Amounts.of("100000.00", "EUR")));
        store.plans().save(new SalesPlan(Fixtures.OWNER, Q1, Amounts.of("60000.00", "EUR")));
        store.opportunities().insert(Fixtures.fullyPopulatedOpen("keep-1"));
        store.opportunities().insert(Fixtures.fullyPopulatedWon("keep-2"));
        store.opportunities().insert(Fixtures.minimal("keep-3"));
    }

    private static List<Opportunity> batch(String prefix, int n) {
        List<Opportunity> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Fixtures.fullyPopulatedLost(prefix + i));
        }
        return out;
    }

    private static SalesProcess changedProcess() {
        SalesProcess p = Fixtures.process();
        List<Stage> stages = new ArrayList<>(p.stages());
        return new SalesProcess(p.id(), "Corporate sales, renamed", p.mode(), stages);
    }

    /** The writes to break, each on a store holding the data of {@link #given}. */
    private static List<Write> writes() {
        return List.of(
                new Write("insert", s -> s.opportunities().insert(Fixtures.fullyPopulatedOpen("new-1"))),
                new Write("update", s -> {
                    Opportunity stored = s.opportunities().get(OpportunityId.of("keep-1"));
                    s.opportunities().update(stored.toBuilder().title("changed").participants(List.of()).build());
                }),
                new Write("delete", s -> s.opportunities().delete(OpportunityId.of("keep-2"), 1)),
                new Write("insertAll", s -> s.opportunities().insertAll(batch("batch-", 25))),
                new Write("upsertAll", s -> {
                    // one changed, one as stored, one new
                    Opportunity changed = s.opportunities().get(OpportunityId.of("keep-1")).toBuilder()
                            .title("synced").build();
                    Opportunity same = s.opportunities().get(OpportunityId.of("keep-3"));
                    s.opportunities().upsertAll(List.of(changed, same, Fixtures.fullyPopulatedLost("synced-new")),
                            org.crmkit.core.spi.UpsertMode.CHECK_VERSIONS);
                }),
                new Write("save process", s -> s.processes().save(changedProcess())),
                new Write("save new process", s -> {
                    SalesProcess p = SalesProcesses.corporateSales();
                    s.processes().save(new SalesProcess(org.crmkit.core.ProcessId.of("second"), "Second",
                            p.mode(), p.stages()));
                }),
                new Write("save org", s -> s.orgStructure().save(OrgStructure.builder()
                        .manager(ManagerId.of("m-carla"), "Carla").unit(UnitId.of("north"), "North", UnitKind.GROUP)
                        .member(ManagerId.of("m-carla"), UnitId.of("north")).build())),
                new Write("save plan", s -> s.plans().save(new SalesPlan(UnitId.of("sales"), Q2,
                        Amounts.of("120000.00", "EUR")))),
                new Write("save plans", s -> s.plans().saveAll(List.of(
                        new SalesPlan(UnitId.of("sales"), Q1, Amounts.of("1.00", "EUR")),
                        new SalesPlan(ManagerId.of("m-boris"), Q2, Amounts.of("2.00", "EUR"))))),
                new Write("delete plan", s -> s.plans().delete(UnitId.of("sales"), Q1)));
    }

    private record Write(String name, Consumer<CrmStore> run) {
    }

    @TestFactory
    List<DynamicTest> everyWriteFailingAtAnyStatementWithAFailingRollbackLeavesTheStoreUnchanged() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Write write : writes()) {
            tests.add(DynamicTest.dynamicTest(write.name(), () -> {
                FaultyDataSource faulty = new FaultyDataSource(freshDataSource());
                try (CrmStore store = CrmStore.builder().dataSource(faulty).build()) {
                    given(store);
                    State before = State.of(store);
                    int statements = statementsOf(write);
                    assertThat(statements).as("write statements of " + write.name()).isPositive();
                    for (int k = 1; k <= statements; k++) {
                        faulty.failWriteStatement(k).failRollback(true);
                        int failing = k;
                        assertThatThrownBy(() -> write.run().accept(store))
                                .as("%s failing at statement %d of %d", write.name(), failing, statements)
                                .isInstanceOf(CrmException.class);
                        faulty.heal();
                        assertThat(State.of(store)).as("%s after a fault at statement %d and a failed rollback",
                                write.name(), failing).isEqualTo(before);
                    }
                    faulty.failCommit(true).failRollback(true);
                    assertThatThrownBy(() -> write.run().accept(store)).isInstanceOf(CrmException.class);
                    faulty.heal();
                    assertThat(State.of(store)).as("%s after a failed commit and a failed rollback", write.name())
                            .isEqualTo(before);
                    // and the store still works
                    write.run().accept(store);
                    assertThat(State.of(store)).isNotEqualTo(before);
                }
            }));
        }
        return tests;
    }

    /** How many write statements the write runs, counted on a store of its own. */
    private int statementsOf(Write write) {
        FaultyDataSource counting = new FaultyDataSource(freshDataSource());
        try (CrmStore store = CrmStore.builder().dataSource(counting).build()) {
            given(store);
            counting.failWriteStatement(-1);
            write.run().accept(store);
            return counting.executed();
        }
    }
}
