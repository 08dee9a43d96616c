package org.crmkit.examples;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.money.MonetaryAmount;
import org.crmkit.core.Attitude;
import org.crmkit.core.ClientRef;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.Competitor;
import org.crmkit.core.ContactId;
import org.crmkit.core.Dataset;
import org.crmkit.core.DecisionRole;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.HistoryEntry;
import org.crmkit.core.HistoryKind;
import org.crmkit.core.Lead;
import org.crmkit.core.Manager;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Participant;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.ProductLine;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.SalesProcessEngine;
import org.crmkit.core.SalesProcesses;
import org.crmkit.core.Stage;
import org.crmkit.core.Step;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.money.ExchangeRateTable;
import org.crmkit.report.SalesReport;

/**
 * The scenario of a corporate-training company: two sales departments with groups and
 * managers (one manager works in two groups), the reference corporate-sales process, a
 * year of opportunities for training programmes built through the {@link SalesProcessEngine}
 * (so every stage change is a real, guided transition), monthly plans, and a few big
 * corporate deals that exceed a half-year plan on their own. Swiss clients buy in CHF (see
 * {@link #rates()}); units have plans of their own; lost deals name the competitor that won.
 * Deterministic: the same seed gives the same data.
 */
public final class TrainingCompany {
    /** The zone the company works in. */
    public static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    /** "Today" of the scenario: every history ends here. */
    public static final Instant AS_OF = ZonedDateTime.of(2026, 11, 23, 18, 0, 0, 0, ZONE).toInstant();
    /** First day of the year of data. */
    public static final LocalDate START = LocalDate.of(2025, 12, 1);
    /** The company's calendar (fiscal year = calendar year). */
    public static final FiscalCalendar CALENDAR = FiscalCalendar.calendarYear(ZONE);

    private static final String[][] PROGRAMMES = {
        {"Leadership for team leads", "LEAD-01", "1800"},
        {"Agile project management", "AGILE-02", "1200"},
        {"Negotiation skills", "NEGO-03", "950"},
        {"Excel for analysts", "XLS-04", "400"},
        {"Customer service excellence", "CSX-05", "650"},
        {"Key account selling", "KAS-06", "1500"},
        {"Onboarding academy", "ONB-07", "2200"},
    };
    private static final String[] CLIENTS = {
        "Baltic Freight AG", "Nordlicht Energie", "Helios Pharma", "Stadtwerke Lindau", "Kessler Maschinenbau",
        "Aurora Retail", "Vistula Bank", "Rheinland Versicherung", "Orbis Logistics", "Municipality of Essen",
        "Federal Tax Office Nord", "Polaris Telecom", "Greenfield Foods", "Atlas Construction", "Medica Kliniken",
        "Becker & Söhne KG", "Helvetia Rückversicherung", "Basler Medtech AG",
    };
    /** Swiss clients buy and are invoiced in Swiss francs: the scenario's second currency. */
    private static final java.util.Set<String> SWISS_CLIENTS = java.util.Set.of("Helvetia Rückversicherung",
            "Basler Medtech AG");
    /** Monthly plan of each manager, in EUR. */
    public static final BigDecimal MANAGER_MONTHLY_PLAN = new BigDecimal("30000");
    private static final String[] COMPETITORS = {"SkillUp Academy", "ProTrain GmbH", "Business School Hamburg"};
    private static final String[] LOSS_REASONS = {"Price", "Chose competitor", "Budget cut", "No decision"};
    private static final String[] WIN_REASONS = {"Programme fit", "Trainer quality", "Price"};

    private final SalesProcess process = SalesProcesses.corporateSales();
    private final MutableClock clock = new MutableClock(START.atStartOfDay(ZONE).toInstant(), ZONE);
    private final SalesProcessEngine engine = new SalesProcessEngine(clock);
    private final Random random;
    private final OrgStructure org;

    private TrainingCompany(long seed) {
        this.random = new Random(seed);
        this.org = OrgStructure.builder()
                .unit(UnitId.of("company"), "Northwind Training", UnitKind.COMPANY)
                .unit(UnitId.of("corporate"), "Corporate sales department", UnitKind.DEPARTMENT)
                .unit(UnitId.of("public"), "Public sector department", UnitKind.DEPARTMENT)
                .unit(UnitId.of("key-accounts"), "Key accounts group", UnitKind.GROUP)
                .unit(UnitId.of("regional"), "Regional group", UnitKind.GROUP)
                .unit(UnitId.of("government"), "Government group", UnitKind.GROUP)
                .link(UnitId.of("corporate"), UnitId.of("company")).link(UnitId.of("public"), UnitId.of("company"))
                .link(UnitId.of("key-accounts"), UnitId.of("corporate")).link(UnitId.of("regional"), UnitId.of("corporate")).link(UnitId.of("government"), UnitId.of("public"))
                .manager(ManagerId.of("anna"), "Anna Berg").manager(ManagerId.of("ben"), "Ben Fischer").manager(ManagerId.of("clara"), "Clara Wolf")
                .manager(ManagerId.of("david"), "David Krause").manager(ManagerId.of("eva"), "Eva Lang").manager(ManagerId.of("felix"), "Felix Roth")
                .manager(ManagerId.of("greta"), "Greta Hahn")
                .member(ManagerId.of("anna"), UnitId.of("key-accounts")).member(ManagerId.of("ben"), UnitId.of("key-accounts"))
                .member(ManagerId.of("clara"), UnitId.of("regional")).member(ManagerId.of("david"), UnitId.of("regional"))
                // Eva sells to large corporates and to the public sector: a member of two groups.
                .member(ManagerId.of("eva"), UnitId.of("key-accounts")).member(ManagerId.of("eva"), UnitId.of("government"))
                .member(ManagerId.of("felix"), UnitId.of("government")).member(ManagerId.of("greta"), UnitId.of("government"))
                .build();
    }

    /**
     * Builds the scenario.
     *
     * @param seed the random seed
     * @return the dataset: process, org structure, plans and opportunities
     */
    public static Dataset build(long seed) {
        return new TrainingCompany(seed).dataset();
    }

    private Dataset dataset() {
        List<Opportunity> opportunities = new ArrayList<>();
        int n = 0;
        for (Manager manager : org.managers()) {
            int count = 14 + random.nextInt(8);
            for (int i = 0; i < count; i++) {
                opportunities.add(opportunity(++n, manager.id()));
            }
        }
        // Big corporate deals: each alone exceeds its owner's half-year plan. Anna won hers in October,
        // so her half-year is far above plan with it and below plan without it; Eva's is expected in December.
        opportunities.add(bigDeal(++n, ManagerId.of("anna"), "Vistula Bank", "Group-wide leadership academy", "420000",
                true));
        opportunities.add(bigDeal(++n, ManagerId.of("eva"), "Federal Tax Office Nord", "Digital skills for 3,000 staff",
                "510000", false));
        return new Dataset(List.of(process), org, plans(), opportunities);
    }

    private List<SalesPlan> plans() {
        List<SalesPlan> plans = new ArrayList<>();
        LocalDate last = AS_OF.atZone(ZONE).toLocalDate().plusMonths(3);
        for (PeriodType type : List.of(PeriodType.MONTH, PeriodType.QUARTER, PeriodType.HALF_YEAR)) {
            BigDecimal months = BigDecimal.valueOf(type == PeriodType.MONTH ? 1 : type == PeriodType.QUARTER ? 3 : 6);
            for (Period period : CALENDAR.periods(type, START, last)) {
                for (Manager m : org.managers()) {
                    plans.add(new SalesPlan(m.id(), period, Amounts.of(MANAGER_MONTHLY_PLAN.multiply(months), eur())));
                }
                // Units get plans of their own: summing children would count Eva twice in
                // "company" (she is in two groups), and a head of sales sets a target anyway.
                for (var unit : org.units()) {
                    BigDecimal members = BigDecimal.valueOf(org.membersOf(unit.id()).size());
                    plans.add(new SalesPlan(unit.id(), period,
                            Amounts.of(MANAGER_MONTHLY_PLAN.multiply(months).multiply(members), eur())));
                }
            }
        }
        return plans;
    }

    /**
     * The company's exchange rates: one CHF to EUR rate per month (and the inverse derived by
     * the table), from a month before the data starts until after the forecast horizon.
     *
     * @return the dated rate table
     */
    public static ExchangeRateTable rates() {
        ExchangeRateTable.Builder b = ExchangeRateTable.builder();
        LocalDate month = START.minusMonths(1);
        for (int i = 0; month.isBefore(LocalDate.of(2028, 1, 1)); i++, month = month.plusMonths(1)) {
            // A gently drifting franc: 1.0400 .. 1.0700 EUR per CHF, fixed, not random.
            BigDecimal factor = new BigDecimal("1.0400").add(BigDecimal.valueOf((i * 7) % 31, 4).multiply(BigDecimal.TEN));
            b.rate("CHF", "EUR", month, factor.toPlainString());
        }
        return b.build();
    }

    private Instant at(LocalDate day, int hour) {
        return day.atTime(hour, random.nextInt(60)).atZone(ZONE).toInstant();
    }

    private Opportunity opportunity(int n, ManagerId owner) {
        String[] programme = PROGRAMMES[random.nextInt(PROGRAMMES.length)];
        String client = CLIENTS[random.nextInt(CLIENTS.length)];
        javax.money.CurrencyUnit currency = SWISS_CLIENTS.contains(client) ? Amounts.currency("CHF") : eur();
        int participants = 8 + random.nextInt(40);
        // Swiss list prices are the euro prices plus 10 %, rounded to whole francs.
        BigDecimal price = currency.equals(eur()) ? new BigDecimal(programme[2])
                : new BigDecimal(programme[2]).multiply(new BigDecimal("1.1")).setScale(0, java.math.RoundingMode.HALF_UP);
        BigDecimal discount = BigDecimal.valueOf(random.nextInt(4) * 5L);
        ProductLine line = new ProductLine(programme[1], BigDecimal.valueOf(participants), Amounts.of(price, currency),
                discount);
        MonetaryAmount amount = line.total();
        MonetaryAmount budget = Amounts.of(Amounts.decimal(amount).multiply(new BigDecimal("1.1"))
                .setScale(0, java.math.RoundingMode.HALF_UP), currency);
        LocalDate created = START.plusDays(random.nextInt(350));
        Instant createdAt = at(created, 9 + random.nextInt(8));
        if (createdAt.isAfter(AS_OF)) {
            createdAt = AS_OF.minus(Duration.ofDays(1));
            created = createdAt.atZone(ZONE).toLocalDate();
        }
        clock.set(createdAt);
        String contact = "c-" + n;
        Opportunity.Builder draft = Opportunity.builder()
                .id(String.format("opp-%04d", n))
                .title(programme[0] + " for " + client)
                .client(ClientRef.account("acc-" + Math.abs(client.hashCode() % 10000), client))
                .owner(owner)
                .currency(currency)
                .amount(amount)
                .budget(budget)
                .createdAt(createdAt)
                .expectedCloseDate(created.plusDays(30 + random.nextInt(90)))
                .tactic("Pilot group first, then roll out to all " + participants + " participants")
                .addProductLine(line)
                .addLead(new Lead("lead-" + n, programme[0] + " for " + participants + " employees"))
                .addParticipant(new Participant(ContactId.of(contact), "HR director of " + client,
                        DecisionRole.DECISION_MAKER, Attitude.values()[random.nextInt(3)]))
                .addParticipant(new Participant(ContactId.of(contact + "-b"), "Training coordinator",
                        DecisionRole.CHAMPION, Attitude.SUPPORTER));
        if (random.nextInt(3) > 0) {
            draft.addCompetitor(new Competitor(COMPETITORS[random.nextInt(COMPETITORS.length)], "Lower day rate",
                    "No tailored content"));
        }
        Opportunity opp = engine.open(process, draft);
        return walk(opp, owner, n);
    }

    private enum Fate { WON, LOST, OPEN }

    private Opportunity walk(Opportunity start, ManagerId owner, int n) {
        Opportunity opp = start;
        Instant now = opp.createdAt();
        long ageDays = Duration.between(now, AS_OF).toDays();
        double r = random.nextDouble();
        Fate fate = ageDays < 60 ? (r < 0.7 ? Fate.OPEN : r < 0.85 ? Fate.WON : Fate.LOST)
                : (r < 0.4 ? Fate.WON : r < 0.85 ? Fate.LOST : Fate.OPEN);
        int last = process.openStageCount() - 1;
        int target = fate == Fate.WON ? last : random.nextInt(process.openStageCount());
        int historyId = 0;
        boolean wentBack = false;
        while (true) {
            now = now.plus(Duration.ofHours(24L * (3 + random.nextInt(12))));
            if (now.isAfter(AS_OF)) {
                return committed(opp); // time ran out: still open today
            }
            clock.set(now);
            Stage stage = process.stage(opp.stage());
            int index = process.indexOf(stage.code());
            if (index >= target) {
                return switch (fate) {
                    case WON -> win(opp, owner, now);
                    case LOST -> lose(opp, owner, now);
                    case OPEN -> committed(opp);
                };
            }
            // Do the stage's work: every required step, most optional ones, leaving a trace.
            for (Step step : stage.steps()) {
                if (step.required() || random.nextBoolean()) {
                    opp = engine.completeStep(opp, process, step.code());
                }
            }
            HistoryKind kind = stage.code().equals(SalesProcesses.PROPOSAL_PREPARATION) ? HistoryKind.PROPOSAL
                    : random.nextBoolean() ? HistoryKind.ACTIVITY : HistoryKind.EMAIL;
            String subject = kind == HistoryKind.PROPOSAL ? "Proposal sent" : "Follow-up: " + stage.name();
            opp = opp.toBuilder().addHistory(new HistoryEntry("h-" + n + "-" + (++historyId), kind, now, owner,
                    subject, "Programme, trainers and dates for " + opp.client().orElseThrow().name())).build();
            if (index > 0 && !wentBack && random.nextInt(10) == 0) {
                // The client asks to revisit the previous stage: a backward move the engine records.
                wentBack = true;
                opp = engine.move(opp, process, process.stages().get(index - 1).code(), owner);
                continue;
            }
            opp = engine.move(opp, process, process.stages().get(index + 1).code(), owner);
        }
    }

    /**
     * A manager commits the open deals that reached Closing: a category set by hand, recorded
     * in the field history at the scenario's clock.
     */
    private Opportunity committed(Opportunity opp) {
        return opp.stage().equals(SalesProcesses.CLOSING)
                ? engine.edit(opp, opp.owner()).forecastCategory(ForecastCategory.COMMIT).apply() : opp;
    }

    private Opportunity win(Opportunity opp, ManagerId owner, Instant now) {
        LocalDate day = now.atZone(ZONE).toLocalDate();
        for (Step step : process.stage(opp.stage()).requiredSteps()) {
            opp = engine.completeStep(opp, process, step.code());
        }
        // Booked revenue differs a little from the expected amount, as in real life.
        BigDecimal expected = Amounts.decimal(opp.amount().orElseThrow());
        BigDecimal booked = expected.multiply(BigDecimal.valueOf(90 + random.nextInt(16))).movePointLeft(2)
                .setScale(2, java.math.RoundingMode.HALF_EVEN);
        return engine.win(opp, process, CloseInfo.won(day, Amounts.of(booked, opp.currency()),
                WIN_REASONS[random.nextInt(WIN_REASONS.length)]).withHoursSpent(BigDecimal.valueOf(10 + random.nextInt(60))),
                owner);
    }

    private Opportunity lose(Opportunity opp, ManagerId owner, Instant now) {
        LocalDate day = now.atZone(ZONE).toLocalDate();
        String reason = LOSS_REASONS[random.nextInt(LOSS_REASONS.length)];
        String winner = reason.equals("Chose competitor") || (reason.equals("Price") && random.nextBoolean())
                ? opp.competitors().isEmpty() ? COMPETITORS[0] : opp.competitors().get(0).name() : null;
        return engine.lose(opp, process, CloseInfo.lost(day, reason, winner)
                .withHoursSpent(BigDecimal.valueOf(2 + random.nextInt(30))), owner);
    }

    private Opportunity bigDeal(int n, ManagerId owner, String client, String title, String value, boolean won) {
        LocalDate created = LocalDate.of(2026, 6, 2);
        clock.set(at(created, 10));
        Opportunity opp = engine.open(process, Opportunity.builder()
                .id(String.format("opp-%04d", n)).title(title)
                .client(ClientRef.account("acc-big-" + n, client)).owner(owner)
                .amount(Amounts.of(value, "EUR")).budget(Amounts.of(value, "EUR"))
                .expectedCloseDate(won ? LocalDate.of(2026, 10, 20) : LocalDate.of(2026, 12, 18))
                .tactic("Executive sponsor programme; phased roll-out")
                .addCompetitor(new Competitor("Business School Hamburg", "Brand", "Generic content"))
                .addParticipant(new Participant(ContactId.of("big-" + n), "Chief people officer",
                        DecisionRole.DECISION_MAKER, Attitude.SUPPORTER)));
        Instant now = opp.createdAt();
        for (int i = 0; i < 3; i++) {
            now = now.plus(Duration.ofDays(35));
            clock.set(now);
            for (Step step : process.stage(opp.stage()).requiredSteps()) {
                opp = engine.completeStep(opp, process, step.code());
            }
            opp = engine.move(opp, process, process.stages().get(i + 1).code(), owner);
            opp = opp.toBuilder().addHistory(new HistoryEntry("h-" + n + "-" + i, HistoryKind.ACTIVITY, now, owner,
                    "Steering meeting", "Sponsor, scope and roll-out plan with " + client)).build();
        }
        if (won) {
            now = now.plus(Duration.ofDays(21));
            clock.set(now);
            for (Step step : process.stage(opp.stage()).requiredSteps()) {
                opp = engine.completeStep(opp, process, step.code());
            }
            opp = engine.move(opp, process, SalesProcesses.CLOSING, owner);
            now = now.plus(Duration.ofDays(14));
            clock.set(now);
            for (Step step : process.stage(opp.stage()).requiredSteps()) {
                opp = engine.completeStep(opp, process, step.code());
            }
            opp = engine.win(opp, process, CloseInfo.won(now.atZone(ZONE).toLocalDate(), Amounts.of(value, "EUR"),
                    "Programme fit").withHoursSpent(BigDecimal.valueOf(160)), owner);
        }
        return opp;
    }

    /**
     * The report inputs of the scenario for a set of (stored) opportunities: the company and its
     * two departments, a year's cohort, EUR; a deal is large when it exceeds its owner's whole
     * half-year plan; idle after three weeks.
     *
     * @param org the org structure
     * @param process the process
     * @param plans the plans
     * @param opportunities the opportunities
     * @return the inputs
     */
    public static SalesReport.Inputs reportInputs(OrgStructure org, SalesProcess process, java.util.Collection<SalesPlan> plans,
            List<Opportunity> opportunities) {
        return SalesReport.Inputs.of(org.nameOf(company()), org, process, plans, opportunities, rates(), CALENDAR,
                eur(), Period.inclusive(START, START.plusYears(1).minusDays(1)), AS_OF, company(),
                List.of(UnitId.of("corporate"), UnitId.of("public"))).withThresholds(21, BigDecimal.ONE);
    }

    private static javax.money.CurrencyUnit eur() {
        return Amounts.currency("EUR");
    }

    /**
     * The node of the whole company.
     *
     * @return the company unit id
     */
    public static OrgNodeId company() {
        return UnitId.of("company");
    }
}
