package org.crmkit.examples;

import java.io.PrintStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.crmkit.core.Dataset;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.UnitId;
import org.crmkit.core.money.Amounts;
import org.crmkit.forecast.ForecastConfig;
import org.crmkit.forecast.ForecastEngine;
import org.crmkit.forecast.TimingBacktest;
import org.crmkit.report.Fmt;
import org.crmkit.testkit.DatasetGenerator;
import org.crmkit.testkit.GeneratorConfig;

/**
 * Prints the backtest of docs/forecast-accuracy.md: the measured timing forecast and the leading
 * indicator against the close-date forecast, month by month, on the training company and on
 * the testkit's generated company, as Markdown tables.
 *
 * <p>Arguments: the generated company's size (default 100,000 opportunities).
 */
public final class ForecastAccuracy {
    private ForecastAccuracy() {
    }

    /**
     * Entry point.
     *
     * @param args optional: the number of generated opportunities
     */
    public static void main(String[] args) {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
        PrintStream out = System.out;
        Dataset data = TrainingCompany.build(42);
        SalesProcess process = data.processes().get(0);
        ForecastEngine training = ForecastEngine.builder(ForecastConfig.builder(TrainingCompany.CALENDAR,
                Amounts.currency("EUR")).build()).exchangeRates(TrainingCompany.rates())
                .processes(process).build();
        print(out, "Training company (" + data.opportunities().size() + " opportunities, seed 42)",
                TimingBacktest.run(training, List.of(process), data.opportunities(), data.orgStructure(),
                        List.of(TrainingCompany.company(), UnitId.of("corporate"), UnitId.of("public")),
                        LocalDate.of(2026, 3, 1), 8));

        // the same without the two big corporate deals, which dominate a book of this size
        List<Opportunity> small = data.opportunities().stream()
                .filter(o -> Amounts.decimal(o.amount().orElseThrow()).compareTo(new java.math.BigDecimal("200000")) < 0)
                .toList();
        print(out, "Training company without its two big deals (" + small.size() + " opportunities)",
                TimingBacktest.run(training, List.of(process), small, data.orgStructure(),
                        List.of(TrainingCompany.company(), UnitId.of("corporate"), UnitId.of("public")),
                        LocalDate.of(2026, 3, 1), 8));

        DatasetGenerator gen = DatasetGenerator.of(GeneratorConfig.builder().opportunities(rows).build());
        List<Opportunity> opps = gen.opportunities().toList();
        ForecastEngine generated = ForecastEngine.builder(ForecastConfig.builder(gen.config().calendar(),
                gen.config().reportingCurrency()).build()).exchangeRates(gen.exchangeRates())
                .processes(gen.processes()).build();
        OrgStructure org = gen.orgStructure();
        List<OrgNodeId> nodes = new ArrayList<>();
        nodes.add(org.roots().get(0));
        nodes.addAll(org.childUnitsOf(org.roots().get(0)));
        print(out, "Generated company (" + rows + " opportunities, testkit defaults, seed 42)",
                TimingBacktest.run(generated, gen.processes(), opps, org, nodes, gen.config().start().plusMonths(2),
                        gen.config().asOfDate().getMonthValue() - gen.config().start().plusMonths(2).getMonthValue()));
    }

    private static void print(PrintStream out, String title, TimingBacktest b) {
        out.println("### " + title);
        out.println();
        out.println("| node | month | open at start | actual | close-date | measured | worked last month | their actual"
                + " | leading | their close-date |");
        out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (TimingBacktest.Month m : b.months()) {
            out.printf(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %d | %s | %s | %s |%n", m.node().value(), m.month(),
                    m.openAtStart(), Fmt.money(m.actual()), Fmt.money(m.closeDate()), Fmt.money(m.measured()),
                    m.workedLastMonth(), Fmt.money(m.leadingActual()), Fmt.money(m.leading()),
                    Fmt.money(m.leadingCloseDate()));
        }
        out.println();
        out.println("| node | method | months | actual | predicted | bias per month | mean abs. error | WAPE |");
        out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        for (TimingBacktest.Summary s : b.summary()) {
            out.printf(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s |%n", s.node().value(), s.method(),
                    s.months(), Fmt.money(s.actual()), Fmt.money(s.predicted()), Fmt.money(s.bias()),
                    Fmt.money(s.meanAbsoluteError()), Fmt.pct(s.wape()));
        }
        out.println();
    }
}
