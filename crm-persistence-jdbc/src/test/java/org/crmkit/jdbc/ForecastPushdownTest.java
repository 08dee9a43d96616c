package org.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.function.Supplier;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.UnitId;
import org.crmkit.forecast.ForecastConfig;
import org.crmkit.forecast.ForecastEngine;
import org.crmkit.forecast.ForecastSnapshot;
import org.crmkit.forecast.NodeForecast;
import org.crmkit.forecast.ProbabilityModels;
import org.crmkit.forecast.RevenueDistribution;
import org.crmkit.forecast.spi.ProbabilityModel;
import org.crmkit.jdbc.internal.Sqlite;
import org.crmkit.testkit.DatasetGenerator;
import org.crmkit.testkit.GeneratorConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The forecast engine over a store equals the engine over the same opportunities as objects,
 * on every dialect: the company's roll-up over every unit (categories per period), plan vs
 * actual with large deals, lines, and the distribution of every node (drawn deal by deal below
 * the draw limit, normal above it), with two probability models. And the store path reads no
 * opportunity as an object: no statement it prepares touches a child table or a column only an
 * opportunity object needs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForecastPushdownTest {
    private static final DatasetGenerator GEN = DatasetGenerator.of(GeneratorConfig.builder().opportunities(6_000)
            .seed(20261202L).build());
    private final List<Opportunity> opportunities = GEN.opportunities().toList();
    private final OrgStructure org = GEN.orgStructure();
    private CountingDataSource h2;
    private CountingDataSource sqlite;
    private CountingDataSource postgres;
    private List<CrmStore> stores;

    @BeforeAll
    void load() {
        org.h2.jdbcx.JdbcDataSource mem = new org.h2.jdbcx.JdbcDataSource();
        mem.setURL("jdbc:h2:mem:forecast-pushdown;DB_CLOSE_DELAY=-1");
        h2 = new CountingDataSource(mem);
        sqlite = new CountingDataSource(Sqlite.readers(SqliteFiles.fresh()));
        postgres = new CountingDataSource(EmbeddedPg.freshSchema());
        stores = List.of(store(h2, Dialect.H2), store(sqlite, Dialect.SQLITE), store(postgres, Dialect.POSTGRESQL));
    }

    private CrmStore store(CountingDataSource ds, Dialect dialect) {
        CrmStore s = CrmStore.builder().dataSource(ds).dialect(dialect).build();
        for (SalesProcess p : GEN.processes()) {
            s.processes().save(p);
        }
        s.opportunities().insertAll(opportunities);
        return s;
    }

    @AfterAll
    void close() {
        stores.forEach(CrmStore::close);
    }

    private ForecastEngine engine(ProbabilityModel model, int drawLimit) {
        ForecastConfig config = ForecastConfig.builder(GEN.config().calendar(), GEN.config().reportingCurrency())
                .drawLimit(drawLimit).build();
        return ForecastEngine.builder(config).processes(GEN.processes()).exchangeRates(GEN.exchangeRates())
                .probabilityModel(model).build();
    }

    @Test
    void everyFigureFromTheStoreEqualsTheFigureFromTheObjects() {
        LocalDate asOf = GEN.config().asOfDate();
        Period quarter = GEN.config().calendar().periodOf(PeriodType.QUARTER, asOf);
        UnitId company = org.roots().get(0);
        for (ProbabilityModel model : List.of(ProbabilityModels.own(), ProbabilityModels.stageDefault())) {
            ForecastEngine engine = engine(model, 400);
            ForecastSnapshot expected = engine.snapshot(opportunities, asOf);
            NodeForecast expectedRollUp = expected.rollUp(org, company, List.of());
            for (CrmStore store : stores) {
                ForecastSnapshot got = engine.snapshot(store, asOf, null);
                assertThat(got.forecast()).as("%s %s", store.dialect(), model.name()).isEqualTo(expected.forecast());
                assertThat(got.rollUp(org, company, List.of())).isEqualTo(expectedRollUp);
                assertThat(got.planVsActual(org, company, quarter, GEN.plans()))
                        .isEqualTo(expected.planVsActual(org, company, quarter, GEN.plans()));
                assertThat(got.lines()).isEqualTo(expected.lines());
                for (OrgNodeId node : nodes(company)) {
                    RevenueDistribution d = got.distribution(org, node, quarter);
                    assertThat(d).as("%s %s", store.dialect(), node).isEqualTo(expected.distribution(org, node, quarter));
                }
                // the quarter alone, asked of the store with a window, gives the same quarter
                ForecastSnapshot windowed = engine.snapshot(store, asOf, quarter);
                assertThat(windowed.forecast(org, company).periodOrEmpty(quarter))
                        .isEqualTo(expected.forecast(org, company).periodOrEmpty(quarter));
            }
        }
    }

    private List<OrgNodeId> nodes(UnitId company) {
        List<OrgNodeId> out = new java.util.ArrayList<>();
        java.util.ArrayDeque<OrgNodeId> todo = new java.util.ArrayDeque<>(List.of(company));
        while (!todo.isEmpty()) {
            OrgNodeId n = todo.pop();
            if (!out.contains(n)) {
                out.add(n);
                if (n instanceof UnitId u) {
                    todo.addAll(org.childrenOf(u));
                }
            }
        }
        return out;
    }

    @Test
    void theStorePathReadsNoOpportunityAsAnObject() {
        LocalDate asOf = GEN.config().asOfDate();
        Period quarter = GEN.config().calendar().periodOf(PeriodType.QUARTER, asOf);
        UnitId company = org.roots().get(0);
        ForecastEngine engine = engine(ProbabilityModels.stageDefault(), 400);
        for (CountingDataSource ds : List.of(h2, sqlite, postgres)) {
            CrmStore store = stores.get(List.of(h2, sqlite, postgres).indexOf(ds));
            ds.prepared().clear();
            Supplier<Object> all = () -> {
                ForecastSnapshot s = engine.snapshot(store, asOf, null);
                s.rollUp(org, company, List.of());
                s.planVsActual(org, company, quarter, GEN.plans());
                for (OrgNodeId node : nodes(company)) {
                    s.distribution(org, node, quarter);
                }
                return s;
            };
            all.get();
            assertThat(ds.prepared()).as("%s", store.dialect()).isNotEmpty();
            // an opportunity object needs its title and its child tables (transitions, steps, ...)
            assertThat(ds.prepared()).as("%s", store.dialect()).noneMatch(sql -> sql.contains("crm_opp_")
                    || sql.contains("title"));
        }
    }
}
