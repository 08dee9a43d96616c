package org.crmkit.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.ProcessId;
import org.crmkit.core.ProcessMode;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.Stage;
import org.crmkit.core.StageTransition;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.forecast.ForecastConfig;
import org.crmkit.forecast.ForecastEngine;
import org.crmkit.forecast.PlanVsActual;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.FunnelNotice;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.funnel.OpportunityColumns;
import org.crmkit.jdbc.CrmStore;
import org.junit.jupiter.api.Test;

/**
 * A realistic first hour: an export of twelve deals with the quirks of real CRM data (early
 * rows without any date, deals without an account, open deals without a close date, a product
 * spelled two ways, a rep missing from the team list, a BOM, a quoted comma, an empty line),
 * its team list and its plans, loaded through the row import; every figure is checked against
 * values computed by hand from the files.
 */
class FirstHourImportTest {
    static final Path DIR = Path.of("src/test/resources/first-hour");
    static final Instant AS_OF = Instant.parse("2017-04-01T00:00:00Z");
    static final SalesProcess PIPELINE = SalesProcess.of(ProcessId.of("pipeline"), "Pipeline", ProcessMode.FREE,
            List.of(Stage.open("PROSPECTING", "Prospecting", 10), Stage.open("ENGAGING", "Engaging", 40)));
    static final UnitId COMPANY = UnitId.of("company");
    static final UnitId CENTRAL = UnitId.of("office:Central");
    static final UnitId WEST = UnitId.of("office:West");
    static final UnitId DANA = UnitId.of("group:Dana Cole");

    static ProductCatalog catalog() {
        return ProductCatalog.fromRows(CsvRows.read(DIR.resolve("products.csv")), "product", "sales_price",
                Amounts.currency("USD")).alias("GTXPro", "GTX Pro").build();
    }

    static OpportunityMapping deals(ProductCatalog products) {
        return OpportunityMapping.builder(PIPELINE).source("sales_pipeline.csv")
                .id("opportunity_id").owner("sales_agent").client("account").stage("deal_stage")
                .stageEnteredAt("ENGAGING", "engage_date").closeDate("close_date").revenue("close_value")
                .product("product", products).currency("USD").asOf(AS_OF).build();
    }

    static OrgMapping teams() {
        return OrgMapping.builder().source("sales_teams.csv").manager("sales_agent")
                .unit("manager", UnitKind.GROUP).unit("regional_office", UnitKind.of("OFFICE"))
                .root(COMPANY, "Company", UnitKind.COMPANY).build();
    }

    static final ImportReport<List<Opportunity>> DEALS = deals(catalog())
            .read(CsvRows.read(DIR.resolve("sales_pipeline.csv")));
    static final OrgStructure ORG = teams().read(CsvRows.read(DIR.resolve("sales_teams.csv"))).requireAllValid();

    static FunnelEngine engine() {
        return FunnelEngine.builder().org(ORG).source(OpportunityColumns.of(DEALS.requireAllValid().stream()))
                .clock(Clock.fixed(AS_OF, ZoneOffset.UTC)).build();
    }

    static Opportunity deal(String id) {
        return DEALS.result().stream().filter(o -> o.id().equals(OpportunityId.of(id))).findFirst().orElseThrow();
    }

    @Test
    void everyRowIsReadAndEveryDefaultIsCounted() {
        assertThat(DEALS.rows()).isEqualTo(12);
        assertThat(DEALS.allValid()).as("%s", DEALS).isTrue();
        assertThat(DEALS.notes()).containsExactlyInAnyOrder(
                "12 rows have no probability: their stage's default",
                "12 rows have no amount: the list price of their product",
                "2 rows spell product 'GTX Pro' as 'GTXPro'",
                "6 open deals have no expected close date: the as-of date 2017-04-01 (forecasts count them as due now)",
                "5 rows have no client: imported without one (column account)",
                "3 rows have no date: created at the as-of instant 2017-04-01T00:00:00Z");
    }

    @Test
    void theStageHistoryIsRebuiltFromTheRowsDates() {
        Instant jan5 = Instant.parse("2017-01-05T00:00:00Z");
        Opportunity d1 = deal("D1");
        assertThat(d1.createdAt()).isEqualTo(jan5);
        assertThat(d1.transitions()).containsExactly(
                new StageTransition(null, "PROSPECTING", jan5, ManagerId.of("Anna Berg")),
                new StageTransition("PROSPECTING", "ENGAGING", jan5, ManagerId.of("Anna Berg")),
                new StageTransition("ENGAGING", SalesProcess.WON, Instant.parse("2017-02-04T00:00:00Z"),
                        ManagerId.of("Anna Berg")));
        assertThat(d1.closeInfo().orElseThrow().closeDate()).isEqualTo(LocalDate.of(2017, 2, 4));
        assertThat(d1.closeInfo().orElseThrow().actualRevenueIfAny()).contains(Amounts.of("4800", "USD"));
        assertThat(d1.amount()).contains(Amounts.of("4821", "USD"));
        assertThat(d1.probability()).isEqualTo(100);
        // the early-stage row without any date was created when the data was exported
        Opportunity d4 = deal("D4");
        assertThat(d4.createdAt()).isEqualTo(AS_OF);
        assertThat(d4.transitions()).hasSize(1);
        assertThat(d4.probability()).isEqualTo(10);
        assertThat(d4.client()).isEmpty();
        assertThat(d4.expectedCloseDate()).isEqualTo(LocalDate.of(2017, 4, 1));
        // the product spelled "GTXPro" is priced as "GTX Pro"
        assertThat(deal("D6").amount()).contains(Amounts.of("4821", "USD"));
        assertThat(deal("D6").productLines().get(0).product()).isEqualTo("GTX Pro");
        assertThat(deal("D5").client().orElseThrow().name()).isEqualTo("Betatech, Inc.");
    }

    @Test
    void theOrgIsRepTeamOfficeCompanyAndTheRepMissingFromItIsVisible() {
        assertThat(ORG.membersOf(COMPANY)).extracting(ManagerId::value)
                .containsExactly("Anna Berg", "Ben Ortiz", "Cleo Park");
        assertThat(ORG.membersOf(DANA)).extracting(ManagerId::value).containsExactly("Anna Berg", "Ben Ortiz");
        assertThat(ORG.parentsOf(DANA)).containsExactly(CENTRAL);
        assertThat(ORG.parentsOf(CENTRAL)).containsExactly(COMPANY);
        assertThat(ORG.nameOf(CENTRAL)).isEqualTo("Central");
    }

    @Test
    void theCompanyFunnelMatchesTheHandComputedFigures() {
        Map<OrgNodeId, FunnelResult> f = engine().funnels(FunnelQuery.builder(PIPELINE).build(),
                List.of(COMPANY, CENTRAL, WEST, DANA));
        FunnelResult company = f.get(COMPANY);
        assertThat(company.currency()).isEqualTo("USD");
        assertThat(company.count()).isEqualTo(10);
        assertThat(company.open()).isEqualTo(5);
        assertThat(company.won()).isEqualTo(3);
        assertThat(company.lost()).isEqualTo(2);
        assertThat(company.stage("PROSPECTING").reached()).isEqualTo(10);
        assertThat(company.stage("PROSPECTING").at()).isEqualTo(2);
        assertThat(company.stage("ENGAGING").reached()).isEqualTo(8);
        assertThat(company.stage("ENGAGING").at()).isEqualTo(3);
        assertThat(company.stage("ENGAGING").stepConversion()).isEqualTo(0.8);
        assertThat(company.stage("ENGAGING").dropOff()).isEqualTo(2);
        // open: 550 + 55 + 3 x 4821; weighted at the stage defaults 10 % and 40 %
        assertThat(company.openAmount()).isEqualByComparingTo("15068.00");
        assertThat(company.openWeightedAmount()).isEqualByComparingTo("4564.40");
        assertThat(company.stage("PROSPECTING").atAmount()).isEqualByComparingTo("4876.00");
        assertThat(company.stage("ENGAGING").atAmount()).isEqualByComparingTo("10192.00");
        assertThat(company.wonAmount()).isEqualByComparingTo("5450.00");
        assertThat(company.winRate()).isEqualTo(0.6);
        // cycles 30, 20, 45, 10, 30 days; won 30, 45, 10
        assertThat(company.cycle().meanDays()).isEqualTo(27.0);
        assertThat(company.cycle().medianDays()).isEqualTo(30.0);
        assertThat(company.wonCycle().meanDays()).isCloseTo(85.0 / 3, within(1e-9));
        assertThat(company.stage("ENGAGING").timeInStage().meanDays()).isEqualTo(27.0);
        // 5 open x 0.6 x (5450 / 3) / (85 / 3 days)
        assertThat(company.velocityPerDay()).isEqualByComparingTo("192.35");
        // Dev Singh is missing from the team list: his two deals are named, not silently dropped
        FunnelNotice outside = company.notice(FunnelNotice.Kind.OWNERS_OUTSIDE_ORG).orElseThrow();
        assertThat(outside.count()).isEqualTo(2);
        assertThat(outside.subjects()).containsExactly("Dev Singh");
        assertThat(company.notice(FunnelNotice.Kind.REPORTING_CURRENCY_DEFAULTED)).isPresent();
        assertThat(company.notice(FunnelNotice.Kind.CHANGES_AFTER_AS_OF)).isEmpty();

        FunnelResult central = f.get(CENTRAL);
        assertThat(central.count()).isEqualTo(7);
        assertThat(central.open()).isEqualTo(4);
        assertThat(central.won()).isEqualTo(2);
        assertThat(central.wonAmount()).isEqualByComparingTo("5400.00");
        assertThat(central.openAmount()).isEqualByComparingTo("10247.00");
        assertThat(f.get(DANA)).usingRecursiveComparison().ignoringFields("scope").isEqualTo(central);
        FunnelResult west = f.get(WEST);
        assertThat(west.count()).isEqualTo(3);
        assertThat(west.wonAmount()).isEqualByComparingTo("50.00");
        assertThat(west.openAmount()).isEqualByComparingTo("4821.00");
        assertThat(west.winRate()).isEqualTo(0.5);

        FunnelResult book = engine().funnel(FunnelQuery.builder(PIPELINE).build());
        assertThat(book.count()).isEqualTo(12);
        assertThat(book.wonAmount()).isEqualByComparingTo("6010.00");
    }

    @Test
    void plansAreReadPerOfficeAndQuarterAndCompareWithTheActuals() {
        FiscalCalendar calendar = FiscalCalendar.calendarYear(ZoneOffset.UTC);
        List<SalesPlan> plans = PlanMapping.builder(calendar, PeriodType.QUARTER).source("plans.csv")
                .unit("regional_office", "office:").period("quarter").target("target").currency("USD").build()
                .read(CsvRows.read(DIR.resolve("plans.csv"))).requireAllValid();
        Period q1 = calendar.periodOf(PeriodType.QUARTER, LocalDate.of(2017, 1, 1));
        assertThat(plans).containsExactly(new SalesPlan(CENTRAL, q1, Amounts.of("8000", "USD")),
                new SalesPlan(WEST, q1, Amounts.of("3000", "USD")));

        ForecastEngine forecast = ForecastEngine.builder(ForecastConfig.builder(calendar, Amounts.currency("USD"))
                .build()).processes(PIPELINE).build();
        var snapshot = forecast.snapshot(DEALS.result(), LocalDate.of(2017, 4, 1));
        PlanVsActual central = snapshot.planVsActual(ORG, CENTRAL, q1, plans);
        // won in Q1: D1 4800 (4 February) + D5 600 (1 March)
        assertThat(central.actual()).isEqualByComparingTo("5400");
        assertThat(central.attainment()).isEqualByComparingTo("0.675");
        PlanVsActual west = snapshot.planVsActual(ORG, WEST, q1, plans);
        assertThat(west.actual()).isEqualByComparingTo("50");
        assertThat(west.plan()).isEqualByComparingTo("3000");
    }

    @Test
    void theImportedDealsGoIntoAStoreInOneBatchAndReadBackEqual() {
        try (CrmStore store = CrmStore.inMemory()) {
            store.processes().save(PIPELINE);
            store.orgStructure().save(ORG);
            assertThat(store.opportunities().insertAll(DEALS.requireAllValid())).isEqualTo(12);
            assertThat(store.opportunities().count(OpportunityQuery.all())).isEqualTo(12);
            assertThat(store.opportunities().get(OpportunityId.of("D4")).client()).isEmpty();
            FunnelResult fromStore = FunnelEngine.builder().org(ORG).source(store)
                    .clock(Clock.fixed(AS_OF, ZoneOffset.UTC)).build()
                    .funnel(FunnelQuery.builder(PIPELINE).nodes(COMPANY).build());
            assertThat(fromStore).isEqualTo(engine().funnel(FunnelQuery.builder(PIPELINE).nodes(COMPANY).build()));
        }
    }
}
