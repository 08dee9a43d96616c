package org.crmkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.money.CurrencyUnit;
import org.crmkit.core.HistoryEntry;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.OrgUnit;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.StageHistory;
import org.crmkit.core.StageTransition;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.ValidationException;
import org.crmkit.core.memory.InMemoryStorage;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.money.CurrencyConverter;
import org.crmkit.core.spi.OpportunityQuery;
import org.junit.jupiter.api.Test;

class DatasetGeneratorTest {
    private static final GeneratorConfig SMALL = GeneratorConfig.builder().opportunities(600).managers(40).build();
    private static final GeneratorConfig LARGE = GeneratorConfig.builder().opportunities(10_000).build();

    private static List<Opportunity> generate(GeneratorConfig config) {
        return DatasetGenerator.of(config).opportunities().collect(Collectors.toList());
    }

    @Test
    void aClosedDealsCloseDateIsItsClosingTransitionsDayInTheGeneratorsZone() {
        java.time.ZoneId tokyo = java.time.ZoneId.of("Asia/Tokyo");
        List<Opportunity> closed = generate(SMALL.toBuilder().zone(tokyo).opportunities(2_000).build()).stream()
                .filter(o -> o.status().isClosed()).toList();
        assertThat(closed).hasSizeGreaterThan(100);
        // recorded in the generator's zone: the closeDate a report in that zone would derive; reports
        // in other zones place the close by closedAt() itself, so no zone is favoured
        assertThat(closed).allSatisfy(o -> assertThat(o.closeInfo().orElseThrow().closeDate())
                .isEqualTo(LocalDate.ofInstant(o.closedAt().orElseThrow(), tokyo)));
        assertThat(closed).anySatisfy(o -> assertThat(o.closeInfo().orElseThrow().closeDate())
                .isNotEqualTo(LocalDate.ofInstant(o.closedAt().orElseThrow(), java.time.ZoneOffset.UTC)));
    }

    @Test
    void sameSeedGivesEqualDatasets() {
        GeneratorConfig config = SMALL.toBuilder().fullChildren(true).build();
        DatasetGenerator a = DatasetGenerator.of(config);
        DatasetGenerator b = DatasetGenerator.of(config);

        assertThat(generate(config)).isEqualTo(generate(config));
        assertThat(a.dataset()).isEqualTo(b.dataset());
        assertThat(a.orgStructure()).isEqualTo(b.orgStructure());
        assertThat(a.plans()).isEqualTo(b.plans());
        CurrencyConverter ca = CurrencyConverter.of(a.exchangeRates());
        CurrencyConverter cb = CurrencyConverter.of(b.exchangeRates());
        CurrencyUnit usd = Amounts.currency("USD");
        CurrencyUnit eur = Amounts.currency("EUR");
        for (LocalDate day = config.start(); day.isBefore(config.end()); day = day.plusDays(17)) {
            assertThat(ca.rate(usd, eur, day)).isEqualTo(cb.rate(usd, eur, day));
        }
    }

    @Test
    void differentSeedGivesDifferentDatasets() {
        List<Opportunity> one = generate(SMALL);
        DatasetGenerator other = DatasetGenerator.of(SMALL.toBuilder().seed(43).build());
        List<Opportunity> two = other.opportunities().collect(Collectors.toList());

        long same = 0;
        for (int i = 0; i < one.size(); i++) {
            if (one.get(i).equals(two.get(i))) {
                same++;
            }
        }
        assertThat(same).isLessThan(one.size() / 50);
        assertThat(other.plans()).isNotEqualTo(DatasetGenerator.of(SMALL).plans());
        assertThat(other.orgStructure()).isNotEqualTo(DatasetGenerator.of(SMALL).orgStructure());
    }

    @Test
    void opportunityDependsOnSeedAndIndexOnlyNotOnTheCount() {
        DatasetGenerator few = DatasetGenerator.of(SMALL.toBuilder().opportunities(50).build());
        DatasetGenerator many = DatasetGenerator.of(SMALL.toBuilder().opportunities(5_000_000).build());

        for (long i = 0; i < 50; i++) {
            assertThat(many.opportunity(i)).isEqualTo(few.opportunity(i));
        }
        assertThat(many.opportunity(4_999_999).id().value()).isEqualTo("opp-4999999");
    }

    @Test
    void parallelGenerationEqualsSequentialGeneration() {
        DatasetGenerator generator = DatasetGenerator.of(SMALL.toBuilder().opportunities(4_000).build());

        List<Opportunity> sequential = generator.opportunities().collect(Collectors.toList());
        List<Opportunity> parallel = generator.opportunities().parallel().collect(Collectors.toList());

        assertThat(parallel).isEqualTo(sequential);
        assertThat(sequential).extracting(o -> o.id().value()).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void hugeCountsStreamLazilyButAreNotMaterialised() {
        DatasetGenerator huge = DatasetGenerator.of(GeneratorConfig.builder().opportunities(10_000_000).build());

        assertThat(huge.opportunities().skip(9_999_990).count()).isEqualTo(10);
        assertThat(huge.opportunities().limit(3)).extracting(o -> o.id().value())
                .containsExactly("opp-0000000", "opp-0000001", "opp-0000002");
        assertThatThrownBy(huge::dataset).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> huge.opportunity(10_000_000)).isInstanceOf(ValidationException.class);
    }

    @Test
    void everyOpportunityIsValidConformsToTheProcessAndIsStorable() {
        for (boolean children : new boolean[] {false, true}) {
            GeneratorConfig config = SMALL.toBuilder().opportunities(2_000).fullChildren(children)
                    .currency("EUR", 5).currency("JPY", 2).currency("BHD", 1).build();
            DatasetGenerator generator = DatasetGenerator.of(config);
            SalesProcess process = generator.process();
            Instant asOf = generator.asOf();
            Set<ManagerId> managers = new HashSet<>(generator.managerIds());
            List<Opportunity> all = generator.opportunities().collect(Collectors.toList());

            List<String> problems = new java.util.ArrayList<>();
            for (Opportunity o : all) {
                o.requireConformsTo(process);
                if (!o.toBuilder().build().equals(o) || !managers.contains(o.owner())
                        || !config.currencyWeights().containsKey(o.currency())
                        || o.amount().isEmpty() && o.budget().isEmpty() || o.version() != 0
                        || o.transitions().stream().anyMatch(t -> !t.at().isBefore(asOf))
                        || o.history().stream().anyMatch(h -> !h.at().isBefore(asOf) || h.at().isBefore(o.createdAt()))) {
                    problems.add(o.toString());
                }
            }
            assertThat(problems).isEmpty();
            assertThat(all.stream().anyMatch(o -> !o.history().isEmpty())).isEqualTo(children);
            assertThat(all.stream().anyMatch(o -> !o.productLines().isEmpty())).isEqualTo(children);

            try (InMemoryStorage store = new InMemoryStorage()) {
                generator.processes().forEach(store.processes()::save);
                assertThat(store.opportunities().insertAll(all)).isEqualTo(all.size());
                assertThat(store.opportunities().count(OpportunityQuery.all())).isEqualTo(all.size());
            }
        }
    }

    @Test
    void configuredOutcomeAndCurrencySharesAreRoughlyRespected() {
        GeneratorConfig config = LARGE.toBuilder().outcomeShares(0.3, 0.2, 0.5).build();
        Map<OpportunityStatus, Long> byStatus = new HashMap<>();
        Map<String, Long> byCurrency = new HashMap<>();

        DatasetGenerator.of(config).opportunities().forEach(o -> {
            byStatus.merge(o.status(), 1L, Long::sum);
            byCurrency.merge(o.currency().getCurrencyCode(), 1L, Long::sum);
        });

        double n = config.opportunities();
        assertThat(byStatus.get(OpportunityStatus.WON) / n).isCloseTo(0.3, within(0.02));
        assertThat(byStatus.get(OpportunityStatus.LOST) / n).isCloseTo(0.2, within(0.02));
        assertThat(byStatus.get(OpportunityStatus.OPEN) / n).isCloseTo(0.5, within(0.02));
        assertThat(byCurrency.get("EUR") / n).isCloseTo(0.7, within(0.02));
        assertThat(byCurrency.get("USD") / n).isCloseTo(0.2, within(0.02));
        assertThat(byCurrency.get("GBP") / n).isCloseTo(0.1, within(0.02));
    }

    @Test
    void onlyOneOutcomeWhenItsShareIsOne() {
        GeneratorConfig config = SMALL.toBuilder().outcomeShares(0, 0, 1).build();

        assertThat(generate(config)).allSatisfy(o -> assertThat(o.status()).isEqualTo(OpportunityStatus.OPEN));
    }

    @Test
    void historiesCoverSkipsBackwardMovesAndEveryStageOutcome() {
        DatasetGenerator generator = DatasetGenerator.of(LARGE);
        SalesProcess process = generator.process();
        int open = process.openStageCount();
        LocalDate start = LARGE.start();
        LocalDate end = LARGE.end();
        LocalDate asOfDate = LARGE.asOfDate();
        Set<Integer> openAt = new HashSet<>();
        Set<Integer> lostFrom = new HashSet<>();
        Set<Integer> lostFurthest = new HashSet<>();
        Set<Integer> wonFrom = new HashSet<>();
        Map<String, Long> seen = new HashMap<>();

        for (Opportunity o : generator.opportunities().collect(Collectors.toList())) {
            List<StageTransition> ts = o.transitions();
            for (StageTransition t : ts) {
                if (t.from() == null) {
                    continue;
                }
                int from = process.indexOf(t.from());
                int to = process.indexOf(t.to());
                if (to < open && to > from + 1) {
                    seen.merge("skip", 1L, Long::sum);
                }
                if (to < from) {
                    seen.merge("backward", 1L, Long::sum);
                }
            }
            String lastOpen = ts.get(ts.size() - 1).from();
            switch (o.status()) {
                case OPEN -> {
                    openAt.add(process.indexOf(o.stage()));
                    if (o.expectedCloseDate().isBefore(asOfDate)) {
                        seen.merge("past due", 1L, Long::sum);
                    }
                    if (!o.expectedCloseDate().isBefore(end)) {
                        seen.merge("expected after range", 1L, Long::sum);
                    }
                    if (o.probability() != process.stage(o.stage()).defaultProbability()) {
                        seen.merge("hand probability", 1L, Long::sum);
                    }
                    if (o.forecastCategory().isPresent()) {
                        seen.merge("hand category", 1L, Long::sum);
                    }
                }
                case WON -> wonFrom.add(process.indexOf(lastOpen));
                case LOST -> {
                    lostFrom.add(process.indexOf(lastOpen));
                    lostFurthest.add(StageHistory.furthestOpenStage(o, process));
                }
                default -> throw new AssertionError(o.status());
            }
            o.closeInfo().ifPresent(c -> {
                if (c.closeDate().isBefore(start)) {
                    seen.merge("closed before range", 1L, Long::sum);
                } else if (c.closeDate().isBefore(end)) {
                    seen.merge("closed in range", 1L, Long::sum);
                }
            });
            if (o.amount().isEmpty() && o.budget().isPresent()) {
                seen.merge("budget only", 1L, Long::sum);
            }
            o.amount().ifPresent(a -> {
                if (Amounts.toMinorUnits(a) % 100 != 0) {
                    seen.merge("cents", 1L, Long::sum);
                }
            });
        }

        Set<Integer> everyOpenStage = new HashSet<>();
        for (int s = 0; s < open; s++) {
            everyOpenStage.add(s);
        }
        assertThat(openAt).isEqualTo(everyOpenStage);
        assertThat(lostFrom).isEqualTo(everyOpenStage);
        assertThat(lostFurthest).isEqualTo(everyOpenStage);
        assertThat(wonFrom).contains(open - 1).hasSizeGreaterThan(1);
        assertThat(seen).containsKeys("skip", "backward", "past due", "expected after range", "hand probability",
                "hand category", "closed before range", "closed in range", "budget only", "cents");
        assertThat(seen.get("budget only")).isBetween(500L, 1_100L);
    }

    @Test
    void hierarchyHasCompanyDepartmentsDivisionsAndGroupsWithManagersInTwoGroups() {
        DatasetGenerator generator = DatasetGenerator.of(GeneratorConfig.builder().opportunities(0).managers(200)
                .hierarchy(3, 2, 3).shareOfManagersInTwoGroups(0.05).build());
        OrgStructure org = generator.orgStructure();

        Map<UnitKind, Long> kinds = org.units().stream().collect(Collectors.groupingBy(OrgUnit::kind,
                Collectors.counting()));
        assertThat(kinds).containsEntry(UnitKind.COMPANY, 1L).containsEntry(UnitKind.DEPARTMENT, 3L)
                .containsEntry(UnitKind.DIVISION, 6L).containsEntry(UnitKind.GROUP, 18L);
        assertThat(org.roots()).containsExactly(UnitId.of("company"));
        assertThat(org.membersOf(UnitId.of("company"))).hasSize(200);
        long inTwo = org.managers().stream().filter(m -> org.parentsOf(m.id()).size() == 2).count();
        assertThat(inTwo).isEqualTo(10);
        assertThat(org.managers()).allSatisfy(m -> assertThat(org.parentsOf(m.id())).hasSizeBetween(1, 2)
                .allSatisfy(u -> assertThat(org.unit(u).orElseThrow().kind()).isEqualTo(UnitKind.GROUP)));
        assertThat(org.units().stream().filter(u -> u.kind().equals(UnitKind.GROUP)))
                .allSatisfy(g -> assertThat(org.directMembersOf(g.id())).isNotEmpty());
    }

    @Test
    void thousandsOfManagersAreSupported() {
        DatasetGenerator generator = DatasetGenerator.of(GeneratorConfig.builder().opportunities(1_000).managers(2_000)
                .hierarchy(5, 4, 10).build());

        assertThat(generator.orgStructure().membersOf(UnitId.of("company"))).hasSize(2_000);
        assertThat(generator.plans()).hasSize((2_000 + 1 + 5 + 20 + 200) * (12 + 4));
        assertThat(generator.opportunities().map(Opportunity::owner).distinct().count()).isGreaterThan(300);
    }

    @Test
    void plansCoverEveryManagerAndUnitForEveryMonthAndQuarter() {
        GeneratorConfig config = SMALL.toBuilder().range(LocalDate.of(2026, 2, 1), 12).build();
        DatasetGenerator generator = DatasetGenerator.of(config);
        OrgStructure org = generator.orgStructure();
        List<Period> months = config.calendar().periods(PeriodType.MONTH, config.start(), config.end().minusDays(1));
        List<Period> quarters = config.calendar().periods(PeriodType.QUARTER, config.start(),
                config.end().minusDays(1));
        Map<String, SalesPlan> byKey = new HashMap<>();
        for (SalesPlan p : generator.plans()) {
            assertThat(byKey.put(p.node().key() + "|" + p.period().start() + "|" + p.period().end(), p)).isNull();
            assertThat(p.target().getCurrency().getCurrencyCode()).isEqualTo("EUR");
            assertThat(p.target().isPositive()).isTrue();
        }
        List<OrgNodeId> nodes = new java.util.ArrayList<>();
        org.managers().forEach(m -> nodes.add(m.id()));
        org.units().forEach(u -> nodes.add(u.id()));

        assertThat(months).hasSize(12);
        assertThat(quarters).hasSize(5);
        for (OrgNodeId node : nodes) {
            for (Period p : months) {
                assertThat(byKey).containsKey(node.key() + "|" + p.start() + "|" + p.end());
            }
            for (Period p : quarters) {
                assertThat(byKey).containsKey(node.key() + "|" + p.start() + "|" + p.end());
            }
        }
        assertThat(generator.plans()).hasSize(nodes.size() * (months.size() + quarters.size()));
    }

    @Test
    void quarterPlansSumTheirMonthsAndUnitPlansSumTheirDistinctMembers() {
        DatasetGenerator generator = DatasetGenerator.of(SMALL);
        Map<String, BigDecimal> target = new HashMap<>();
        for (SalesPlan p : generator.plans()) {
            target.put(p.node().key() + "|" + p.period().label(), Amounts.decimal(p.target()));
        }
        OrgStructure org = generator.orgStructure();

        for (ManagerId m : generator.managerIds()) {
            BigDecimal q1 = target.get(m.key() + "|2026-01").add(target.get(m.key() + "|2026-02"))
                    .add(target.get(m.key() + "|2026-03"));
            assertThat(target.get(m.key() + "|FY2026 Q1")).isEqualByComparingTo(q1);
        }
        for (OrgUnit unit : org.units()) {
            BigDecimal sum = BigDecimal.ZERO;
            for (ManagerId m : org.membersOf(unit.id())) {
                sum = sum.add(target.get(m.key() + "|2026-05"));
            }
            assertThat(target.get(unit.id().key() + "|2026-05")).as(unit.id().value()).isEqualByComparingTo(sum);
        }
    }

    @Test
    void exchangeRatesConvertEveryCurrencyToTheReportingCurrencyOnEveryDay() {
        GeneratorConfig config = SMALL.toBuilder().currency("EUR", 6).currency("USD", 2).currency("JPY", 1)
                .currency("CHF", 1).build();
        CurrencyConverter converter = CurrencyConverter.of(DatasetGenerator.of(config).exchangeRates());
        CurrencyUnit eur = Amounts.currency("EUR");

        for (CurrencyUnit currency : config.currencyWeights().keySet()) {
            for (LocalDate day = config.start().minusMonths(3); day.isBefore(config.end().plusMonths(6));
                    day = day.plusDays(1)) {
                BigDecimal rate = converter.rate(currency, eur, day);
                assertThat(rate.signum()).isPositive();
            }
        }
        assertThat(converter.rate(Amounts.currency("JPY"), eur, config.start()).doubleValue())
                .isBetween(0.001, 0.02);
        assertThat(converter.rate(Amounts.currency("USD"), eur, config.start()).doubleValue()).isBetween(0.7, 1.2);
    }

    @Test
    void fullChildrenIncludeCompetitorsParticipantsLeadsLinesAndTimeline() {
        List<Opportunity> all = generate(SMALL.toBuilder().fullChildren(true).build());

        assertThat(all).allSatisfy(o -> {
            assertThat(o.participants()).isNotEmpty();
            assertThat(o.leads()).isNotEmpty();
            assertThat(o.productLines()).isNotEmpty();
            assertThat(o.history()).hasSizeGreaterThanOrEqualTo(2);
        });
        assertThat(all.stream().filter(o -> !o.competitors().isEmpty()).count()).isGreaterThan(all.size() / 2);
        Set<Object> kinds = all.stream().flatMap(o -> o.history().stream()).map(HistoryEntry::kind)
                .collect(Collectors.toSet());
        assertThat(kinds).hasSize(6);
    }

    @Test
    void datasetHoldsEveryPart() {
        DatasetGenerator generator = DatasetGenerator.of(SMALL);

        var dataset = generator.dataset();

        assertThat(dataset.processes()).containsExactly(generator.process());
        assertThat(dataset.orgStructure()).isEqualTo(generator.orgStructure());
        assertThat(dataset.plans()).isEqualTo(generator.plans());
        assertThat(dataset.opportunities()).hasSize(600);
        assertThat(EnumSet.copyOf(dataset.opportunities().stream().map(Opportunity::status).toList()))
                .containsExactlyInAnyOrder(OpportunityStatus.values());
    }

    @Test
    void slicesAreTheSameOpportunitiesAsTheWholeStream() {
        DatasetGenerator generator = DatasetGenerator.of(SMALL);
        List<Opportunity> all = generate(SMALL);

        assertThat(generator.opportunities(100, 250).collect(Collectors.toList())).isEqualTo(all.subList(100, 250));
        assertThat(generator.opportunities(600, 600)).isEmpty();
        assertThatThrownBy(() -> generator.opportunities(10, 601)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> generator.opportunities(20, 10)).isInstanceOf(ValidationException.class);
    }

    @Test
    void loadIntoWritesEveryPartOfTheDatasetInBatches() {
        DatasetGenerator generator = DatasetGenerator.of(SMALL.toBuilder().fullChildren(true).build());

        try (InMemoryStorage store = new InMemoryStorage()) {
            long stored = generator.loadInto(store, 64);

            assertThat(stored).isEqualTo(600);
            assertThat(store.processes().findAll()).containsExactly(generator.process());
            assertThat(store.orgStructure().load()).isEqualTo(generator.orgStructure());
            assertThat(store.plans().findAll()).containsExactlyInAnyOrderElementsOf(generator.plans());
            try (var s = store.opportunities().stream(OpportunityQuery.all())) {
                assertThat(s.map(o -> o.toBuilder().version(0).build()).collect(Collectors.toList()))
                        .isEqualTo(generate(generator.config()));
            }
            assertThatThrownBy(() -> generator.loadInto(store, 0)).isInstanceOf(ValidationException.class);
        }
    }

    @Test
    void otherZonesFiscalYearsAndRangesGiveValidData() {
        for (String zone : List.of("Pacific/Kiritimati", "America/Los_Angeles", "Etc/GMT+12")) {
            GeneratorConfig config = SMALL.toBuilder().zone(java.time.ZoneId.of(zone))
                    .fiscalYearStart(java.time.Month.APRIL).range(LocalDate.of(2026, 4, 1), 6).build();
            DatasetGenerator generator = DatasetGenerator.of(config);

            assertThat(generator.opportunities()).allSatisfy(o -> o.requireConformsTo(generator.process()));
            assertThat(generator.plans()).hasSize((40 + 28) * (6 + 2));
            assertThat(generator.plans()).extracting(p -> p.period().label()).contains("FY2027 Q1", "FY2027 Q2");
            assertThat(generator.asOf()).isEqualTo(LocalDate.of(2026, 8, 1).atStartOfDay(config.zone()).toInstant());
        }
    }

    @Test
    void invalidConfigurationsAreRejectedNamingTheSetting() {
        assertRejected(GeneratorConfig.builder().outcomeShares(0.5, 0.5, 0.5), "outcomeShares");
        assertRejected(GeneratorConfig.builder().outcomeShares(-0.1, 0.6, 0.5), "wonShare");
        assertRejected(GeneratorConfig.builder().opportunities(-1), "opportunities");
        assertRejected(GeneratorConfig.builder().managers(0), "managers");
        assertRejected(GeneratorConfig.builder().hierarchy(0, 1, 1), "departments");
        assertRejected(GeneratorConfig.builder().hierarchy(1, 1, 1).shareOfManagersInTwoGroups(0.1),
                "shareOfManagersInTwoGroups");
        assertRejected(GeneratorConfig.builder().shareOfManagersInTwoGroups(1.5), "shareOfManagersInTwoGroups");
        assertRejected(GeneratorConfig.builder().range(LocalDate.of(2026, 1, 1), 0), "months");
        assertRejected(GeneratorConfig.builder().asOfDate(LocalDate.of(2025, 12, 31)), "asOfDate");
        assertRejected(GeneratorConfig.builder().asOfDate(LocalDate.of(2027, 1, 2)), "asOfDate");
        assertRejected(GeneratorConfig.builder().currency("EUR", 0), "currency.EUR");
        assertRejected(GeneratorConfig.builder().process(null), "process");
        assertThatThrownBy(() -> GeneratorConfig.builder().currency("XYZ1", 1)).isInstanceOf(ValidationException.class);
    }

    private static void assertRejected(GeneratorConfig.Builder builder, String field) {
        assertThatThrownBy(builder::build).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo(field));
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        GeneratorConfig defaults = GeneratorConfig.defaults();

        assertThat(defaults.opportunities()).isEqualTo(100_000);
        assertThat(defaults.managers()).isEqualTo(200);
        assertThat(defaults.months()).isEqualTo(12);
        assertThat(defaults.asOfDate()).isEqualTo(LocalDate.of(2026, 10, 1));
        assertThat(defaults.process().mode()).isEqualTo(org.crmkit.core.ProcessMode.FREE);
        assertThat(defaults.currencyWeights()).containsEntry(Amounts.currency("EUR"), 0.7)
                .containsEntry(Amounts.currency("USD"), 0.2).containsEntry(Amounts.currency("GBP"), 0.1);
        assertThat(defaults.fullChildren()).isFalse();
        assertThat(defaults.toBuilder().build()).isEqualTo(defaults);
    }
}
