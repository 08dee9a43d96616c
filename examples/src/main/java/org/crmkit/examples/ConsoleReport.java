package org.crmkit.examples;


import java.io.PrintStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.crmkit.forecast.Figure;
import org.crmkit.forecast.RevenueDistribution;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.funnel.StageFigures;
import org.crmkit.funnel.WinLossAnalysis;
import org.crmkit.funnel.WinLossRow;
import org.crmkit.report.Fmt;
import org.crmkit.report.SalesReport;

/** Prints a {@link SalesReport} as plain-text tables. */
final class ConsoleReport {
    private ConsoleReport() {
    }

    static void print(SalesReport r, PrintStream out, LocalDate asOfDate) {
        String cur = r.currency();
        for (SalesReport.DepartmentFunnel d : r.departments()) {
            FunnelResult f = d.total();
            heading(out, "Funnel of the " + d.name() + " (opportunities created " + r.window() + ", state as of "
                    + asOfDate + ", " + f.policy() + " counting)");
            TextTable t = new TextTable("Stage", ">Reached", ">Step conv.", ">Cumulative", ">Open now",
                    ">Open " + cur, ">Lost here");
            for (StageFigures s : f.stages()) {
                t.row(s.name(), s.reached(), Fmt.pct(s.stepConversion()), Fmt.pct(s.cumulativeConversion()), s.at(),
                        Fmt.money(s.atAmount()), s.dropOff());
            }
            out.print(t);
            out.printf("  %d deals: %d won (%s %s), %d lost, %d open; win rate %s; mean cycle %s days;"
                    + " velocity %s %s/day%n", f.count(), f.won(), Fmt.money(f.wonAmount()), cur, f.lost(), f.open(),
                    Fmt.pct(f.winRate()), f.cycle().meanDays() == null ? "-"
                            : String.format(java.util.Locale.ROOT, "%.0f", f.cycle().meanDays()),
                    Fmt.money(f.velocityPerDay()), cur);

            heading(out, "Managers beside the " + d.name() + " (reached per stage)");
            List<String> cols = new ArrayList<>();
            cols.add("Manager");
            for (StageFigures s : f.stages()) {
                cols.add(">" + Fmt.shortStage(s.name()));
            }
            cols.addAll(List.of(">Won", ">Lost", ">Win rate", ">Won " + cur, ">Share of won"));
            TextTable m = new TextTable(cols.toArray(String[]::new));
            m.row(comparisonRow("= " + d.name(), f, 1.0));
            for (SalesReport.ManagerFunnel mf : d.managers()) {
                m.row(comparisonRow(mf.name(), mf.funnel(), mf.shareOfWon()));
            }
            out.print(m);
        }

        WinLossAnalysis wl = r.winLoss();
        heading(out, "Win/loss analysis (opportunities created " + r.window() + ", whole company): won " + wl.won()
                + " (" + Fmt.money(wl.wonAmount()) + " " + cur + "), lost " + wl.lost() + " ("
                + Fmt.money(wl.lostAmount()) + " " + cur + ")");
        TextTable reasons = new TextTable("Reason", ">Won", ">Lost", ">Win rate", ">Won " + cur, ">Lost " + cur);
        for (WinLossRow row : wl.byReason()) {
            reasons.row(row.key(), row.won(), row.lost(), Fmt.pct(row.winRate()), Fmt.money(row.wonAmount()),
                    Fmt.money(row.lostAmount()));
        }
        out.print(reasons);
        out.println();
        TextTable competitors = new TextTable("Lost to competitor", ">Lost", ">Lost " + cur);
        for (WinLossRow row : wl.byCompetitor()) {
            competitors.row(row.key(), row.lost(), Fmt.money(row.lostAmount()));
        }
        out.print(competitors);
        out.println();
        TextTable stages = new TextTable("Lost at stage", ">Lost", ">Lost " + cur);
        java.util.Map<String, String> stageNames = new java.util.HashMap<>();
        r.departments().forEach(d -> d.total().stages().forEach(s -> stageNames.put(s.code(), s.name())));
        for (WinLossRow row : wl.byStageLostAt()) {
            stages.row(stageNames.getOrDefault(row.key(), row.key()), row.lost(), Fmt.money(row.lostAmount()));
        }
        out.print(stages);

        for (SalesReport.PlanSection p : r.plans()) {
            heading(out, "Plan vs actual, " + p.title().toLowerCase(java.util.Locale.ROOT) + " (" + p.period() + ", "
                    + cur + ")");
            TextTable t = new TextTable("Node", ">Plan", ">Actual", ">Attainment", ">Gap to plan");
            for (SalesReport.PlanRow row : p.rows()) {
                t.row((row.manager() ? "  " : "") + row.name(), Fmt.money(row.figures().plan()),
                        Fmt.money(row.figures().actual()), Fmt.pct(row.figures().attainment()),
                        Fmt.money(row.figures().remaining()));
            }
            out.print(t);
        }

        SalesReport.ForecastSection fs = r.forecast();
        heading(out, "Forecast for the next quarter (" + fs.period() + ", " + cur + ", probabilities: " + fs.model()
                + ")");
        List<String> cols = new ArrayList<>();
        cols.add("Category");
        for (SalesReport.NodeOutlook n : fs.nodes()) {
            cols.add(">" + n.name());
        }
        TextTable c = new TextTable(cols.toArray(String[]::new));
        for (String category : Fmt.CATEGORIES) {
            List<Object> row = new ArrayList<>();
            row.add(category);
            for (SalesReport.NodeOutlook n : fs.nodes()) {
                Figure fig = Fmt.figure(n.forecast(), category);
                row.add(Fmt.money(fig.amount()) + " (" + fig.count() + ")");
            }
            c.row(row.toArray());
        }
        List<Object> weighted = new ArrayList<>();
        weighted.add("Weighted open (expected)");
        fs.nodes().forEach(n -> weighted.add(Fmt.money(n.forecast().weightedOpen())));
        c.row(weighted.toArray());
        out.print(c);
        out.println("  (amount (deals); Commit = Commit + Closed, Best case = Best case + Commit + Closed,"
                + " Open pipeline = Pipeline + Best case + Commit)");
        TextTable dist = new TextTable("Revenue distribution", ">Mean", ">Std dev", ">P10", ">P50", ">P90",
                ">Open deals", "Method");
        for (SalesReport.NodeOutlook n : fs.nodes()) {
            RevenueDistribution d = n.distribution();
            dist.row(n.name(), Fmt.money(d.mean()), Fmt.money(java.math.BigDecimal.valueOf(d.standardDeviation())),
                    Fmt.money(d.p10()), Fmt.money(d.p50()), Fmt.money(d.p90()), d.opportunities(),
                    d.method() == RevenueDistribution.Method.EXACT ? "exact"
                            : "Monte Carlo, " + d.trials() + " trials, seed " + d.seed());
        }
        out.print(dist);

        heading(out, "Funnel completeness: open pipeline expected to close in the period vs the plan still to close");
        TextTable cov = new TextTable("Node", "Period", ">Plan", ">Won", ">Still to close", ">Open deals",
                ">Pipeline", ">Weighted", ">Coverage", ">Weighted cov.");
        for (SalesReport.CoverageRow row : r.coverage()) {
            org.crmkit.funnel.Coverage cv = row.coverage();
            cov.row(row.name(), cv.period(), Fmt.money(cv.plan()), Fmt.money(cv.actual()), Fmt.money(cv.remaining()),
                    cv.openCount(), Fmt.money(cv.pipeline()), Fmt.money(cv.weightedPipeline()), Fmt.pct(cv.coverage()),
                    Fmt.pct(cv.weightedCoverage()));
        }
        out.print(cov);

        heading(out, "Monthly dynamics of the company (what happened in each month)");
        TextTable dyn = new TextTable("Month", ">New deals", ">Won", ">Lost", ">Plan " + cur, ">Actual " + cur,
                ">Attainment");
        for (SalesReport.MonthRow mr : r.months()) {
            dyn.row(mr.month(), mr.created(), mr.won(), mr.lost(), Fmt.money(mr.plan()), Fmt.money(mr.actual()),
                    mr.plan() == null || mr.plan().signum() == 0 ? "-"
                            : Fmt.pct(mr.actual().doubleValue() / mr.plan().doubleValue()));
        }
        out.print(dyn);

        SalesReport.LeadingSection li = r.leading();
        heading(out, "Leading indicator: the work of " + li.period() + " and what it is expected to bring after it");
        TextTable lt = new TextTable("Node", ">Worked", ">New", ">Won", ">Won " + cur, ">Open at end",
                ">Expected after " + cur);
        for (SalesReport.LeadingRow row : li.rows()) {
            lt.row((row.manager() ? "  " : "") + row.name(), row.indicator().worked(), row.indicator().newDeals(),
                    row.indicator().won(), Fmt.money(row.indicator().wonRevenue()), row.indicator().openAtEnd(),
                    Fmt.money(row.indicator().expectedRevenueAfter()));
        }
        out.print(lt);
        heading(out, "Workload (open deals now, entries and hours of " + (r.workload().isEmpty() ? "-"
                : r.workload().get(0).period()) + ")");
        TextTable wt = new TextTable("Manager", ">Open", ">Idle", ">Entries", ">Activities", ">Hours on closed",
                ">Open vs avg");
        for (org.crmkit.funnel.Workload w : r.workload()) {
            for (org.crmkit.funnel.ManagerWorkload m : w.managers()) {
                wt.row(m.name(), m.openDeals(), m.idleDeals(), m.historyEntries(), m.activities(),
                        m.hoursOnClosed().stripTrailingZeros().toPlainString(), Fmt.pct(m.openDealsToAverage()));
            }
            wt.row(w.total().name() + " (avg / median open " + String.format(java.util.Locale.ROOT, "%.1f / %.1f",
                    w.averageOpenDeals(), w.medianOpenDeals()) + ")", w.total().openDeals(), w.total().idleDeals(),
                    w.total().historyEntries(), w.total().activities(),
                    w.total().hoursOnClosed().stripTrailingZeros().toPlainString(), "");
        }
        out.print(wt);
        heading(out, "Large deals of " + r.largeDeals().period() + " (above " + Fmt.pct(r.largeDeals().share())
                + " of the owner's plan)");
        TextTable ld = new TextTable("Manager", ">Plan", "Large deals", ">Attainment", ">Without them");
        for (org.crmkit.forecast.LargeDealReview.OwnerLargeDeals o : r.largeDeals().owners()) {
            StringBuilder deals = new StringBuilder();
            o.largeDeals().forEach(d -> deals.append(deals.length() == 0 ? "" : ", ").append(d.id().value())
                    .append(' ').append(Fmt.money(d.amount())));
            ld.row(o.owner().value(), Fmt.money(o.plan()), deals.length() == 0 ? "-" : deals.toString(),
                    Fmt.pct(o.attainment()), Fmt.pct(o.attainmentWithoutLarge()));
        }
        out.print(ld);
        heading(out, "What each open deal needs next (" + r.nextSteps().size() + " open deals, by expected close)");
        TextTable n = new TextTable("Deal", "Owner", "Title", "Needs next");
        for (SalesReport.NextStep s : r.nextSteps()) {
            n.row(s.id(), s.owner(), Fmt.cut(s.title(), 48), s.next());
        }
        out.print(n);
    }

    private static Object[] comparisonRow(String name, FunnelResult f, Double share) {
        List<Object> row = new ArrayList<>();
        row.add(name);
        for (StageFigures s : f.stages()) {
            row.add(s.reached());
        }
        row.add(f.won());
        row.add(f.lost());
        row.add(Fmt.pct(f.winRate()));
        row.add(Fmt.money(f.wonAmount()));
        row.add(Fmt.pct(share));
        return row.toArray();
    }

    private static void heading(PrintStream out, String title) {
        out.println();
        out.println(title);
    }
}
