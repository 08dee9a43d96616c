package org.crmkit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesPlan;
import org.crmkit.forecast.CloseDateSlip;
import org.crmkit.forecast.ForecastBacktest;
import org.crmkit.forecast.ForecastConfig;
import org.crmkit.forecast.ForecastEngine;
import org.crmkit.forecast.ForecastSnapshot;
import org.crmkit.forecast.PipelineChanges;
import org.crmkit.forecast.ProbabilityCalibration;
import org.crmkit.forecast.ProbabilityModels;
import org.crmkit.forecast.TimeToCloseModel;
import org.crmkit.forecast.TimingBacktest;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.FunnelMeasure;
import org.crmkit.funnel.FunnelMode;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.funnel.OpportunityColumns;
import org.crmkit.funnel.RankBy;
import org.crmkit.testkit.FieldHistories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvExportTest {
    /** Public records of the two packages that are inputs or settings, not results. */
    private static final Set<String> NOT_RESULTS = Set.of("FunnelQuery", "ForecastConfig", "ForecastAdjustment",
            "CategoryThresholds", "StageJourney", "OpportunityFilter", "MeasuredWinRate");

    /** One of every result the funnel and forecast engines give, over the fixture's data. */
    static Map<String, Object> results() {
        var gen = ReportFixture.GEN;
        var org = gen.orgStructure();
        var root = org.roots().get(0);
        var in = ReportFixture.inputs();
        FunnelEngine funnel = FunnelEngine.builder().org(org).source(OpportunityColumns.of(in.opportunities().stream()))
                .rates(gen.exchangeRates()).calendar(gen.config().calendar())
                .clock(Clock.fixed(gen.asOf(), gen.config().zone())).build();
        FunnelQuery q = FunnelQuery.builder(gen.process()).nodes(root).mode(FunnelMode.SNAPSHOT)
                .reportingCurrency(gen.config().reportingCurrency()).build();
        ForecastEngine forecast = ForecastEngine.builder(ForecastConfig.builder(gen.config().calendar(),
                gen.config().reportingCurrency()).periodType(PeriodType.MONTH).build())
                .exchangeRates(gen.exchangeRates()).processes(gen.processes()).build();
        ForecastSnapshot snap = forecast.snapshot(in.opportunities(), gen.config().asOfDate());
        var quarter = gen.config().calendar().periodOf(PeriodType.QUARTER, gen.config().asOfDate());
        SalesPlan plan = in.plans().stream().filter(p -> p.node().equals(root) && p.period().equals(quarter))
                .findFirst().orElseThrow();
        Map<String, Object> out = new LinkedHashMap<>();
        FunnelResult f = funnel.funnel(q);
        out.put("funnel", f);
        out.put("funnels", funnel.funnels(q, List.copyOf(org.childUnitsOf(root))));
        out.put("comparison", funnel.compare(q));
        out.put("ranks", funnel.rankManagers(q, RankBy.WON_AMOUNT));
        out.put("winLoss", funnel.winLoss(q));
        out.put("coverage", funnel.coverage(q, plan));
        out.put("dynamics", funnel.dynamics(q.toBuilder().mode(FunnelMode.ACTIVITY).build(), PeriodType.MONTH,
                gen.config().start(), gen.config().asOfDate()));
        out.put("stageWinRates", funnel.stageWinRates(q));
        out.put("drillDown", funnel.drillDown(q, FunnelMeasure.values()[0], 0, 0, 5));
        out.put("forecast", snap.forecast(org, root));
        out.put("rollUp", snap.rollUp(org, root, List.of()));
        out.put("planVsActual", snap.planVsActual(org, root, quarter, in.plans()));
        out.put("distribution", snap.distribution(org, root, quarter));
        out.put("lines", snap.lines(org, root));
        out.put("waterfall", PipelineChanges.between(forecast, in.opportunities(),
                gen.asOf().minus(java.time.Duration.ofDays(30)), gen.asOf()).waterfall(org, root, quarter));
        TimeToCloseModel model = TimeToCloseModel.fit(gen.config().zone(), gen.asOf(), gen.processes(),
                in.opportunities());
        out.put("timings", model.timings(gen.process().id()));
        out.put("backtest", TimingBacktest.run(forecast, gen.processes(), in.opportunities(), org,
                List.<OrgNodeId>of(root), gen.config().asOfDate().minusMonths(2), 2));
        var month = gen.config().calendar().periodOf(PeriodType.MONTH, gen.config().asOfDate());
        var pastMonths = List.of(gen.config().calendar().previous(gen.config().calendar().previous(month)),
                gen.config().calendar().previous(month));
        out.put("forecastBacktest", ForecastBacktest.run(forecast, in.opportunities(), org, List.<OrgNodeId>of(root),
                ForecastBacktest.Point.daysIn(gen.config().calendar(), pastMonths, 0, 10), gen.asOf()));
        out.put("calibration", ProbabilityCalibration.measure(forecast, in.opportunities(),
                Period.inclusive(gen.config().asOfDate().minusMonths(6), gen.config().asOfDate()),
                ProbabilityCalibration.Point.daysBeforeClose(30),
                List.of(ProbabilityModels.own(), ProbabilityModels.stageDefault())));
        java.util.Random random = new java.util.Random(17);
        List<Opportunity> withHistory = new ArrayList<>();
        for (Opportunity o : in.opportunities().subList(0, 200)) {
            withHistory.add(FieldHistories.withRandomChanges(o, random, gen.asOf(), 4,
                    gen.managerIds()));
        }
        out.put("closeDateSlip", CloseDateSlip.of(withHistory, null, null));
        SalesReport r = ReportFixture.REPORT;
        out.put("measured", r.timing().nodes().get(0).measured());
        out.put("leading", r.leading().rows().get(0).indicator());
        out.put("gap", r.gaps().get(0).gap());
        out.put("workload", r.workload().get(0));
        out.put("largeDeals", r.largeDeals());
        return out;
    }

    @Test
    void everyResultTypeOfTheFunnelAndForecastIsExportedAsARegularTable() throws Exception {
        Set<Class<?>> covered = new HashSet<>();
        for (Map.Entry<String, Object> e : results().entrySet()) {
            List<List<String>> table = CsvExport.table(e.getValue());
            List<String> header = table.get(0);
            assertThat(header).as("header of %s", e.getKey()).isNotEmpty().doesNotHaveDuplicates();
            assertThat(table).as("rows of %s", e.getKey()).hasSizeGreaterThan(1)
                    .allSatisfy(row -> assertThat(row).hasSameSizeAs(header));
            // the text parses back to the same table
            assertThat(parse(CsvExport.toCsv(e.getValue()))).as("round trip of %s", e.getKey()).isEqualTo(table);
            reach(e.getValue().getClass(), covered);
            if (e.getValue() instanceof Iterable<?> list) {
                list.forEach(x -> reach(x.getClass(), covered));
            }
            if (e.getValue() instanceof Map<?, ?> map) {
                map.values().forEach(x -> reach(x.getClass(), covered));
            }
        }
        List<String> missing = new ArrayList<>();
        for (Class<?> c : publicRecords(FunnelResult.class, "org/crmkit/funnel")) {
            if (!covered.contains(c) && !NOT_RESULTS.contains(c.getSimpleName())) {
                missing.add(c.getName());
            }
        }
        for (Class<?> c : publicRecords(ForecastEngine.class, "org/crmkit/forecast")) {
            if (!covered.contains(c) && !NOT_RESULTS.contains(c.getSimpleName())) {
                missing.add(c.getName());
            }
        }
        assertThat(missing).as("result types no exported result holds").isEmpty();
    }

    @Test
    void aFunnelIsOneRowPerStageWithTheFunnelsFiguresRepeatedAndNestedNamesPrefixed() {
        FunnelResult f = (FunnelResult) results().get("funnel");
        List<List<String>> t = CsvExport.table(f);
        List<String> header = t.get(0);
        assertThat(t).hasSize(1 + f.stages().size());
        assertThat(header).contains("part", "count", "winRate", "cycle.meanDays", "stages.code", "stages.reached",
                "stages.timeInStage.medianDays", "stages.owners");
        int code = header.indexOf("stages.code");
        int reached = header.indexOf("stages.reached");
        int count = header.indexOf("count");
        for (int i = 0; i < f.stages().size(); i++) {
            assertThat(t.get(i + 1).get(code)).isEqualTo(f.stages().get(i).code());
            assertThat(t.get(i + 1).get(reached)).isEqualTo(Long.toString(f.stages().get(i).reached()));
            assertThat(t.get(i + 1).get(count)).isEqualTo(Long.toString(f.count()));
        }
    }

    @Test
    void fieldsAreQuotedAsRfc4180Asks() {
        assertThat(CsvExport.quote("plain")).isEqualTo("plain");
        assertThat(CsvExport.quote("a,b")).isEqualTo("\"a,b\"");
        assertThat(CsvExport.quote("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(CsvExport.quote("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(CsvExport.quote(" padded")).isEqualTo("\" padded\"");
        qt().withFixedSeed(18L).forAll(strings().allPossible().ofLengthBetween(0, 30)).checkAssert(s ->
                assertThat(parse(CsvExport.quote(s) + "," + CsvExport.quote(s) + "\r\n"))
                        .isEqualTo(List.of(List.of(s, s))));
        assertThatThrownBy(() -> CsvExport.table("not a record")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.String");
    }

    @Test
    void theWholeReportIsWrittenAsOneFilePerSection(@TempDir Path dir) throws IOException {
        List<Path> files = CsvExport.writeAll(ReportFixture.REPORT, dir);
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("departments.csv", "plans.csv",
                "forecast.csv", "timing.csv", "leading.csv", "gaps.csv", "workload.csv", "largeDeals.csv");
        for (Path p : files) {
            assertThat(Files.readString(p)).contains("\r\n");
        }
    }

    private static void reach(Type t, Set<Class<?>> seen) {
        if (t instanceof ParameterizedType p) {
            for (Type a : p.getActualTypeArguments()) {
                reach(a, seen);
            }
            return;
        }
        if (!(t instanceof Class<?> c) || !c.isRecord() || !seen.add(c)) {
            return;
        }
        for (RecordComponent rc : c.getRecordComponents()) {
            reach(rc.getGenericType(), seen);
        }
    }

    private static List<Class<?>> publicRecords(Class<?> anchor, String dir) throws IOException, URISyntaxException {
        Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        // the class directory in an IDE, the module's jar in a reactor build
        java.nio.file.FileSystem jar = Files.isDirectory(location) ? null
                : java.nio.file.FileSystems.newFileSystem(location);
        Path root = jar == null ? location : jar.getPath("/");
        List<Class<?>> out = new ArrayList<>();
        try (jar; Stream<Path> files = Files.list(root.resolve(dir))) {
            for (Path f : files.filter(x -> x.toString().endsWith(".class")).toList()) {
                String name = dir.replace('/', '.') + "." + f.getFileName().toString().replace(".class", "");
                try {
                    Class<?> c = Class.forName(name);
                    if (c.isRecord() && Modifier.isPublic(c.getModifiers())) {
                        out.add(c);
                    }
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(name, e);
                }
            }
        }
        return out;
    }

    /** A strict RFC 4180 reader, to check what the writer wrote. */
    static List<List<String>> parse(String csv) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (i < csv.length()) {
            char c = csv.charAt(i);
            if (c == '"' && field.length() == 0) {
                i++;
                while (true) {
                    char d = csv.charAt(i++);
                    if (d == '"') {
                        if (i < csv.length() && csv.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(d);
                    }
                }
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
                i++;
            } else if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i += 2;
            } else {
                field.append(c);
                i++;
            }
        }
        return rows;
    }
}
