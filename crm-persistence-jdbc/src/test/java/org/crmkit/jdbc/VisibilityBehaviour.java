package org.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.ManagerId;
import org.crmkit.core.NotFoundException;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.TenantId;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.ValidationException;
import org.crmkit.core.Viewer;
import org.crmkit.core.Visibility;
import org.crmkit.core.memory.InMemoryStorage;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.money.ExchangeRateTable;
import org.crmkit.core.spi.CrmStorage;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.core.spi.VisibleStorage;
import org.crmkit.forecast.ForecastConfig;
import org.crmkit.forecast.ForecastEngine;
import org.crmkit.forecast.ForecastSnapshot;
import org.crmkit.funnel.FunnelComparison;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.FunnelMeasure;
import org.crmkit.funnel.FunnelMode;
import org.crmkit.funnel.FunnelNotice;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.funnel.ManagerRank;
import org.crmkit.funnel.RankBy;
import org.crmkit.funnel.RepositoryFunnelSource;
import org.crmkit.funnel.spi.ForecastReference;
import org.crmkit.funnel.spi.ForecastSource;
import org.crmkit.funnel.spi.FunnelSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Viewers that try to get out: random viewers (any node of a DAG org, any reach) of two tenants
 * run every kind of query - the store view's lookups, counts and export, funnels of any node in
 * every mode, comparisons, rankings, drill-downs, win/loss, forecasts, roll-ups, plan vs actual
 * and distributions - and each answer equals the same query on a store holding only the deals
 * the viewer sees, and names no hidden deal. QuickTheories' seed is pinned by the build.
 */
abstract class VisibilityBehaviour {
    static final ManagerId M1 = ManagerId.of("m1");
    static final ManagerId M2 = ManagerId.of("m2");
    static final ManagerId M3 = ManagerId.of("m3");
    static final ManagerId M4 = ManagerId.of("m4");
    static final UnitId COMPANY = UnitId.of("company");
    static final UnitId DIV_A = UnitId.of("div_a");
    static final UnitId DIV_B = UnitId.of("div_b");
    static final UnitId G1 = UnitId.of("g1");
    static final UnitId G2 = UnitId.of("g2");
    static final UnitId G3 = UnitId.of("g3");
    /** company > div_a > g1 {m1, m2}; company > div_b > g2 {m3}, g3 {m4, m2}: m2 is in two groups. */
    static final OrgStructure ORG = OrgStructure.builder()
            .manager(M1, "Anna").manager(M2, "Boris").manager(M3, "Chen").manager(M4, "Dana")
            .unit(COMPANY, "Company", UnitKind.COMPANY).unit(DIV_A, "Division A", UnitKind.DIVISION)
            .unit(DIV_B, "Division B", UnitKind.DIVISION).unit(G1, "Group 1", UnitKind.GROUP)
            .unit(G2, "Group 2", UnitKind.GROUP).unit(G3, "Group 3", UnitKind.GROUP)
            .link(DIV_A, COMPANY).link(DIV_B, COMPANY).link(G1, DIV_A).link(G2, DIV_B).link(G3, DIV_B)
            .member(M1, G1).member(M2, G1).member(M3, G2).member(M4, G3).member(M2, G3).build();
    static final List<OrgNodeId> NODES = List.of(M1, M2, M3, M4, G1, G2, G3, DIV_A, DIV_B, COMPANY);
    static final Instant AS_OF = Instant.parse("2026-04-01T00:00:00Z");
    static final LocalDate TODAY = LocalDate.of(2026, 4, 1);
    static final ExchangeRateTable RATES = ExchangeRateTable.builder()
            .rate("USD", "EUR", LocalDate.of(2000, 1, 1), "0.9").rate("JPY", "EUR", LocalDate.of(2000, 1, 1), "0.006")
            .build();
    private final List<CrmStorage> opened = new ArrayList<>();

    /** The store of a tenant in this test's database. */
    abstract CrmStorage open(TenantId tenant);

    int examples() {
        return 40;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(CrmStorage::close);
        opened.clear();
    }

    private CrmStorage tenant(TenantId id, List<Opportunity> book) {
        CrmStorage s = open(id);
        opened.add(s);
        s.processes().save(RandomBook.PROCESS);
        s.orgStructure().save(ORG);
        s.opportunities().insertAll(book);
        return s;
    }

    private static FunnelSource funnelSource(CrmStorage s) {
        return s instanceof CrmStore store ? store : RepositoryFunnelSource.of(s.opportunities());
    }

    private static ForecastSource forecastSource(CrmStorage s) {
        if (s instanceof CrmStore store) {
            return store;
        }
        try (Stream<Opportunity> all = s.opportunities().stream(OpportunityQuery.all())) {
            return ForecastReference.source(all.toList());
        }
    }

    private static FunnelEngine.Builder funnelEngine(FunnelSource source) {
        return FunnelEngine.builder().org(ORG).source(source).rates(RATES).reportingCurrency("EUR");
    }

    private static ForecastEngine.Builder forecastEngine() {
        return ForecastEngine.builder(ForecastConfig.defaults(FiscalCalendar.calendarYear(ZoneOffset.UTC), "EUR"))
                .exchangeRates(RATES).processes(RandomBook.PROCESS);
    }

    @Test
    void randomViewersOfTwoTenantsGetExactlyTheAnswersOfAStoreHoldingOnlyWhatTheySee() {
        List<List<Opportunity>> books = List.of(RandomBook.opportunities(11, 80), RandomBook.opportunities(12, 80));
        List<CrmStorage> stores = List.of(tenant(TenantId.of("vis_a"), books.get(0)), tenant(TenantId.of("vis_b"), books.get(1)));
        // the first value picks the tenant (x % 2) and the funnel mode (x / 2)
        qt().withExamples(examples()).forAll(integers().between(0, 5), integers().between(0, NODES.size() - 1),
                integers().between(0, 2), integers().between(0, NODES.size() - 1))
                .checkAssert((tenantAndMode, who, reach, asked) -> {
                    int t = tenantAndMode % 2;
                    int mode = tenantAndMode / 2;
                    Viewer viewer = new Viewer(NODES.get(who), Viewer.Reach.values()[reach]);
                    Visibility v = Visibility.of(viewer, ORG);
                    List<Opportunity> seen = books.get(t).stream().filter(o -> v.sees(o.owner())).toList();
                    InMemoryStorage only = new InMemoryStorage();
                    only.processes().save(RandomBook.PROCESS);
                    only.orgStructure().save(ORG);
                    only.opportunities().insertAll(seen);
                    Set<OpportunityId> seenIds = seen.stream().map(Opportunity::id).collect(Collectors.toSet());
                    CrmStorage store = stores.get(t);

                    // the store view: lookups, counts, streams and the export
                    VisibleStorage view = VisibleStorage.of(store, v);
                    assertThat(view.exportDataset().opportunities()).isEqualTo(only.exportDataset().opportunities());
                    assertThat(view.opportunities().count(OpportunityQuery.all())).isEqualTo(seen.size());
                    assertThat(view.opportunities().count(OpportunityQuery.ownedBy(Set.of(M3)))).isEqualTo(
                            only.opportunities().count(OpportunityQuery.ownedBy(Set.of(M3))));
                    for (Opportunity o : books.get(t)) {
                        assertThat(view.opportunities().findById(o.id()).isPresent()).isEqualTo(seenIds.contains(o.id()));
                    }

                    // the funnel engine: every kind of funnel result
                    FunnelEngine restricted = funnelEngine(funnelSource(store)).visibility(v).build();
                    FunnelEngine plain = funnelEngine(RepositoryFunnelSource.of(only.opportunities())).build();
                    OrgNodeId node = NODES.get(asked);
                    FunnelQuery q = FunnelQuery.builder(RandomBook.PROCESS).nodes(node).mode(FunnelMode.values()[mode])
                            .period(Period.inclusive(LocalDate.of(2025, 7, 1), LocalDate.of(2026, 3, 31))).asOf(AS_OF)
                            .reportingCurrency("EUR").build();
                    FunnelResult got = restricted.funnel(q);
                    assertSameFigures(got, plain.funnel(q));
                    assertThat(got.notices().stream().anyMatch(n -> n.kind() == FunnelNotice.Kind.RESTRICTED_TO_VIEWER))
                            .as("says so").isEqualTo(!v.seesAll(ORG.membersOf(node)));
                    // hidden managers are not ranked at all: the visible ones keep their order and figures
                    List<ManagerRank> ranks = restricted.rankManagers(q, RankBy.WON_AMOUNT);
                    assertThat(ranks).allMatch(r -> v.sees(r.manager()));
                    assertThat(ranks).usingRecursiveFieldByFieldElementComparatorIgnoringFields("rank").isEqualTo(
                            plain.rankManagers(q, RankBy.WON_AMOUNT).stream().filter(r -> v.sees(r.manager())).toList());
                    for (FunnelMeasure m : List.of(FunnelMeasure.POPULATION, FunnelMeasure.WON, FunnelMeasure.REACHED)) {
                        List<OpportunityId> ids = restricted.drillDown(q, m, 1, 0, 1000).ids();
                        assertThat(seenIds).containsAll(ids);
                        assertThat(ids).isEqualTo(plain.drillDown(q, m, 1, 0, 1000).ids());
                    }
                    assertThat(restricted.winLoss(q)).isEqualTo(plain.winLoss(q));
                    if (node instanceof UnitId) {
                        FunnelComparison c = restricted.compare(q);
                        FunnelComparison p = plain.compare(q);
                        assertSameFigures(c.total(), p.total());
                        assertThat(c.parts()).hasSameSizeAs(p.parts());
                        for (int i = 0; i < c.parts().size(); i++) {
                            assertSameFigures(c.parts().get(i).funnel(), p.parts().get(i).funnel());
                        }
                    }

                    // the forecast engine: lines, node forecasts, roll-ups, plan vs actual, distributions
                    ForecastSnapshot rs = forecastEngine().visibility(v).build().snapshot(forecastSource(store), TODAY, null);
                    ForecastSnapshot ps = forecastEngine().build().snapshot(ForecastReference.source(seen), TODAY, null);
                    assertThat(rs.lines()).isEqualTo(ps.lines());
                    assertThat(rs.lines()).allMatch(l -> seenIds.contains(l.id()));
                    assertThat(rs.forecast(ORG, node)).isEqualTo(ps.forecast(ORG, node));
                    assertThat(rs.rollUp(ORG, node, List.of())).isEqualTo(ps.rollUp(ORG, node, List.of()));
                    Period q2 = Period.inclusive(LocalDate.of(2026, 4, 1), LocalDate.of(2026, 6, 30));
                    List<SalesPlan> plans = List.of(new SalesPlan(node, q2, Amounts.of("50000", "EUR")));
                    assertThat(rs.planVsActual(ORG, node, q2, plans)).isEqualTo(ps.planVsActual(ORG, node, q2, plans));
                    assertThat(rs.distribution(ORG, node, q2)).isEqualTo(ps.distribution(ORG, node, q2));
                    assertThat(rs.holdsAllOf(ORG, node)).isEqualTo(v.seesAll(ORG.membersOf(node)));
                });
    }

    /** The same figures; the restricted result may add its restriction notice. */
    private static void assertSameFigures(FunnelResult got, FunnelResult expected) {
        assertThat(got).usingRecursiveComparison().ignoringFields("notices", "answeredBy").isEqualTo(expected);
        assertThat(got.notices().stream().filter(n -> n.kind() != FunnelNotice.Kind.RESTRICTED_TO_VIEWER).toList())
                .isEqualTo(expected.notices());
    }

    @Test
    void aViewerWhoSeesNoOneGetsEmptyAnswersNotTheWholeBook() {
        CrmStorage store = tenant(TenantId.of("vis_none"), RandomBook.opportunities(13, 40));
        // a manager outside the org with OWN reach and no deal of their own
        Visibility nobody = Visibility.of(Viewer.own(ManagerId.of("stranger")), ORG);
        VisibleStorage view = VisibleStorage.of(store, nobody);
        assertThat(view.opportunities().count(OpportunityQuery.all())).isZero();
        assertThat(view.exportDataset().opportunities()).isEmpty();
        FunnelEngine engine = funnelEngine(funnelSource(store)).visibility(nobody).build();
        FunnelQuery q = FunnelQuery.builder(RandomBook.PROCESS).nodes(COMPANY).mode(FunnelMode.SNAPSHOT)
                .period(Period.inclusive(LocalDate.of(2025, 1, 1), LocalDate.of(2026, 12, 31))).asOf(AS_OF)
                .reportingCurrency("EUR").build();
        assertThat(engine.funnel(q).count()).isZero();
        assertThat(engine.drillDown(q, FunnelMeasure.POPULATION, 0, 0, 100).ids()).isEmpty();
        ForecastSnapshot s = forecastEngine().visibility(nobody).build().snapshot(forecastSource(store), TODAY, null);
        assertThat(s.lines()).isEmpty();
    }

    @Test
    void theStoreViewTreatsAHiddenDealAsNeverStoredAndKeepsTheCompanyReadOnly() {
        List<Opportunity> book = RandomBook.opportunities(14, 40);
        CrmStorage store = tenant(TenantId.of("vis_write"), book);
        Visibility groupTwo = Visibility.of(Viewer.unitAndBelow(G2), ORG);
        VisibleStorage view = VisibleStorage.of(store, groupTwo);
        Opportunity hidden = store.opportunities().findById(book.stream().filter(o -> !o.owner().equals(M3))
                .findFirst().orElseThrow().id()).orElseThrow();
        Opportunity mine = store.opportunities().findById(book.stream().filter(o -> o.owner().equals(M3))
                .findFirst().orElseThrow().id()).orElseThrow();

        assertThat(view.opportunities().findById(hidden.id())).isEmpty();
        assertThatThrownBy(() -> view.opportunities().update(hidden.toBuilder().owner(M3).build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining(hidden.id().value());
        assertThatThrownBy(() -> view.opportunities().delete(hidden.id(), hidden.version()))
                .isInstanceOf(NotFoundException.class);
        // giving a visible deal away to a hidden owner is refused, naming the field and the deal
        assertThatThrownBy(() -> view.opportunities().update(mine.toBuilder().owner(M1).build()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("owner").hasMessageContaining(mine.id().value());
        assertThatThrownBy(() -> view.orgStructure().save(ORG)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("viewer");
        // nothing of the refused writes reached the store
        assertThat(store.opportunities().findById(hidden.id())).contains(hidden);
        assertThat(store.opportunities().findById(mine.id())).contains(mine);
        // a visible deal is written through the view as through the store
        Opportunity moved = view.opportunities().update(mine.toBuilder().probability(55).build());
        assertThat(store.opportunities().findById(mine.id())).contains(moved);
    }
}
