package org.crmkit.testkit;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;
import org.crmkit.core.Attitude;
import org.crmkit.core.ClientId;
import org.crmkit.core.ClientKind;
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
import org.crmkit.core.Membership;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.OrgUnit;
import org.crmkit.core.Participant;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.ProductLine;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.Stage;
import org.crmkit.core.StageTransition;
import org.crmkit.core.Step;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.UnitLink;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.money.ExchangeRateTable;
import org.crmkit.core.spi.CrmStorage;

/**
 * Generates realistic, seeded sales datasets for tests and benchmarks: an org hierarchy, the
 * process, plans, exchange rates and any number of opportunities, all from a
 * {@link GeneratorConfig}.
 *
 * <p><b>Determinism and laziness.</b> Opportunity {@code i} is a pure function of
 * {@code (seed, i)} and the other settings ({@link #opportunity(long)}; the count only
 * widens the ids beyond ten million), so {@link #opportunities()} is a lazy
 * stream that holds one opportunity at a time, splits for parallel generation and yields the
 * same opportunities on every run and every JDK. Ids are {@code opp-} and the zero-padded
 * index, so id order is generation order. Org structure, plans and rates are functions of
 * the seed too.
 *
 * <p><b>Time.</b> The dataset is a snapshot at {@link #asOf()}: the start of day of
 * {@link GeneratorConfig#asOfDate()} in the configured zone; nothing in it happens later.
 * Opportunities are created from three months before the range start up to the snapshot, so
 * some close before the range; open ones are expected to close up to a quarter after the
 * range end, and about a quarter of the open ones whose planned date has passed stay past
 * due.
 *
 * <p><b>Histories.</b> Every opportunity starts at the first stage. The furthest stage of
 * open and lost opportunities is spread over every open stage (more at the early ones, as in
 * a funnel); won ones mostly reach the last open stage, some are won from an earlier stage.
 * About 15 % of forward moves skip a stage, about 10 % of opportunities move back once and
 * forward again, and some open or lost ones sit one stage below their furthest. Required
 * steps of the stages passed are done (so the histories also read well under a guided
 * process), optional ones at random.
 *
 * <p><b>Values.</b> Amounts are log-uniform between about 2,000 and 500,000 in the reporting
 * currency, converted to the opportunity currency, mostly with cents; 8 % have no amount but
 * a budget, 40 % of the others a budget too; 15 % of the open ones carry a probability set by
 * hand and 10 % a forecast category set by hand; won ones have actual revenue (80–105 % of
 * the amount or budget), lost ones a reason and sometimes the winning competitor.
 *
 * <p>Generation is cheap by default (no competitors, participants, leads, product lines or
 * history entries); {@link GeneratorConfig#fullChildren()} adds them. Every generated
 * opportunity is valid and conforms to the process. Instances are immutable and
 * thread-safe.
 *
 * <pre>{@code
 * DatasetGenerator generator = DatasetGenerator.of(GeneratorConfig.builder()
 *         .opportunities(10_000_000).managers(2_000).seed(7).build());
 * long won = generator.opportunities().parallel()
 *         .filter(o -> o.status() == OpportunityStatus.WON).count();   // one at a time, both cores
 * generator.loadInto(storage, 10_000);                                   // or fill a store
 * }</pre>
 */
public final class DatasetGenerator {
    /** The most opportunities {@link #dataset()} materialises; stream larger ones. */
    public static final long MAX_DATASET_OPPORTUNITIES = 2_000_000;

    private static final long STREAM_OPPORTUNITY = 0x6F70706F7274756EL;
    private static final long STREAM_ORG = 0x6F7267L;
    private static final long STREAM_PLAN = 0x706C616EL;
    private static final long STREAM_RATES = 0x7261746573L;

    private static final double SKIP_SHARE = 0.15;
    private static final double BACK_AND_FORTH_SHARE = 0.10;
    private static final double SITS_BELOW_FURTHEST_SHARE = 0.07;
    private static final double WON_FROM_LAST_STAGE_SHARE = 0.85;
    private static final double NO_AMOUNT_SHARE = 0.08;
    private static final double BUDGET_SHARE = 0.40;
    private static final double ROUND_AMOUNT_SHARE = 0.30;
    private static final double HAND_PROBABILITY_SHARE = 0.15;
    private static final double HAND_CATEGORY_SHARE = 0.10;
    private static final double STAYS_PAST_DUE_SHARE = 0.25;
    private static final double CONTACT_CLIENT_SHARE = 0.10;
    private static final int LEAD_IN_MONTHS = 3;
    // fixed, not derived from the count, so opportunity i is the same whatever the size
    private static final int CLIENTS = 50_000;
    private static final double LOG_250 = StrictMath.log(250);
    private static final long MAX_STAGE_SECONDS = 25L * 24 * 3600;

    private static final String[] PRODUCTS = {"Leadership training", "Sales coaching", "CRM rollout",
        "Cloud migration", "Data platform", "Security audit", "Support contract", "Licence renewal",
        "Consulting retainer", "Onboarding programme", "Analytics suite", "Field service app"};
    private static final String[] COMPANY_WORDS = {"Nordwind", "Alpen", "Baltic", "Cobalt", "Delta", "Elbe", "Fjord",
        "Granit", "Helios", "Isar", "Jura", "Kestrel", "Lumen", "Meridian", "Nova", "Orion", "Polar", "Quarz",
        "Rhein", "Solaris", "Tauern", "Union", "Vega", "Weser", "Zenit"};
    private static final String[] SECTORS = {"Logistik", "Energy", "Foods", "Pharma", "Bank", "Insurance", "Retail",
        "Telecom", "Motors", "Chemicals", "Media", "Systems", "Textiles", "Steel", "Airlines", "Health"};
    private static final String[] LEGAL = {"GmbH", "AG", "Ltd", "Inc.", "S.A.", "B.V.", "SE", "plc"};
    private static final String[] FIRST_NAMES = {"Anna", "Boris", "Clara", "Dmitri", "Eva", "Felix", "Greta",
        "Hugo", "Ines", "Jonas", "Katja", "Lars", "Mia", "Nils", "Olga", "Paul", "Rosa", "Sven", "Tara", "Umut",
        "Vera", "Wim", "Yara", "Zoe", "Jörg", "Søren", "Łukasz", "Chloé"};
    private static final String[] LAST_NAMES = {"Müller", "Schmidt", "Novak", "Rossi", "Dubois", "Jansen",
        "Kowalski", "Hansen", "García", "Silva", "Nielsen", "Horvat", "O'Brien", "Petrov", "Lindqvist", "Weber",
        "Fischer", "Costa", "Meyer", "Wagner"};
    private static final String[] DEPARTMENTS = {"Enterprise", "Mid-Market", "Public Sector", "Industry",
        "Financial Services", "Retail & Consumer", "Healthcare", "Channel"};
    private static final String[] WIN_REASONS = {"Best value", "Relationship", "Product fit", "References",
        "Speed of delivery"};
    private static final String[] LOSS_REASONS = {"Price", "No budget", "Lost to competitor", "No decision",
        "Timing", "Product gap"};
    private static final String[] COMPETITORS = {"Acme Consulting", "Globex", "Initech", "Umbrella Systems",
        "Hooli", "Stark Solutions", "Wayne Analytics"};
    private static final String[] TACTICS = {"Land and expand", "Win on references", "Executive sponsorship",
        "Pilot first", "Bundle with support", "Undercut on price"};
    private static final String[] NEEDS = {"Train 40 team leads", "Replace the legacy CRM", "Cut support costs",
        "Comply with new regulation", "Open a new region", "Speed up onboarding"};
    private static final ForecastCategory[] HAND_CATEGORIES = {ForecastCategory.COMMIT, ForecastCategory.BEST_CASE,
        ForecastCategory.PIPELINE, ForecastCategory.OMITTED};
    private static final HistoryKind[] HISTORY_KINDS = HistoryKind.values();
    private static final DecisionRole[] ROLES = DecisionRole.values();
    private static final Attitude[] ATTITUDES = Attitude.values();
    // Months of the year weigh differently in plans: slow summer, strong quarter ends.
    private static final int[] SEASON_PERCENT = {85, 95, 115, 95, 100, 110, 80, 75, 110, 100, 105, 130};

    private final GeneratorConfig config;
    private final SalesProcess process;
    private final int openStages;
    private final String[] stageCodes;
    private final int[] stageProbability;
    private final String[][] requiredSteps;
    private final String[][] optionalSteps;
    private final int[] furthestWeights;
    private final int furthestWeightSum;
    private final ManagerId[] managerIds;
    private final OrgStructure org;
    private final CurrencyUnit[] currencies;
    private final double[] currencyCumulative;
    private final double[] unitsPerReporting;
    private final int[] fractionDigits;
    private final long windowStartSecond;
    private final long asOfSecond;
    private final LocalDate asOfDate;
    private final int daysAfterAsOf;
    private final int idWidth;
    private volatile List<SalesPlan> plans;
    private volatile ExchangeRateTable rates;

    /**
     * Creates a generator; the org structure is built at once, plans and rates on first use.
     *
     * @param config the configuration
     */
    public DatasetGenerator(GeneratorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.process = config.process();
        this.openStages = process.openStageCount();
        List<Stage> open = process.openStages();
        this.stageCodes = new String[openStages];
        this.stageProbability = new int[openStages];
        this.requiredSteps = new String[openStages][];
        this.optionalSteps = new String[openStages][];
        this.furthestWeights = new int[openStages];
        int sum = 0;
        for (int s = 0; s < openStages; s++) {
            Stage stage = open.get(s);
            stageCodes[s] = stage.code();
            stageProbability[s] = stage.defaultProbability();
            requiredSteps[s] = stage.steps().stream().filter(Step::required).map(Step::code).toArray(String[]::new);
            optionalSteps[s] = stage.steps().stream().filter(st -> !st.required()).map(Step::code)
                    .toArray(String[]::new);
            furthestWeights[s] = openStages - s;
            sum += openStages - s;
        }
        this.furthestWeightSum = sum;

        int m = config.managers();
        int managerWidth = Math.max(4, Long.toString(m).length());
        this.managerIds = new ManagerId[m];
        for (int j = 0; j < m; j++) {
            managerIds[j] = ManagerId.of("m-" + pad(j + 1, managerWidth));
        }
        this.org = buildOrg();

        Map<CurrencyUnit, Double> weights = config.currencyWeights();
        this.currencies = weights.keySet().toArray(new CurrencyUnit[0]);
        this.currencyCumulative = new double[currencies.length];
        this.unitsPerReporting = new double[currencies.length];
        this.fractionDigits = new int[currencies.length];
        double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        double acc = 0;
        for (int c = 0; c < currencies.length; c++) {
            acc += weights.get(currencies[c]) / total;
            currencyCumulative[c] = acc;
            unitsPerReporting[c] = unitsPerEuro(currencies[c]) / unitsPerEuro(config.reportingCurrency());
            fractionDigits[c] = Amounts.fractionDigits(currencies[c]);
        }
        currencyCumulative[currencies.length - 1] = 1.0;

        LocalDate windowStart = config.start().minusMonths(LEAD_IN_MONTHS);
        this.windowStartSecond = windowStart.atStartOfDay(config.zone()).toEpochSecond();
        this.asOfDate = config.asOfDate();
        this.asOfSecond = asOfDate.atStartOfDay(config.zone()).toEpochSecond();
        this.daysAfterAsOf = (int) ChronoUnit.DAYS.between(asOfDate, config.end()) + 90;
        this.idWidth = Math.max(7, Long.toString(Math.max(1, config.opportunities() - 1)).length());
    }

    /**
     * A generator for a configuration.
     *
     * @param config the configuration
     * @return the generator
     */
    public static DatasetGenerator of(GeneratorConfig config) {
        return new DatasetGenerator(config);
    }

    /**
     * The configuration.
     *
     * @return the configuration this generator was made with
     */
    public GeneratorConfig config() {
        return config;
    }

    /**
     * The instant the dataset is a snapshot of: nothing in it happens at or after it.
     *
     * @return the start of {@link GeneratorConfig#asOfDate()} in the configured zone
     */
    public Instant asOf() {
        return Instant.ofEpochSecond(asOfSecond);
    }

    /**
     * The process every opportunity follows.
     *
     * @return the configured process
     */
    public SalesProcess process() {
        return process;
    }

    /**
     * The processes of the dataset.
     *
     * @return a list holding the configured process
     */
    public List<SalesProcess> processes() {
        return List.of(process);
    }

    /**
     * The managers' ids, in order; opportunity owners are drawn from them.
     *
     * @return the ids {@code m-0001}, {@code m-0002}, ...
     */
    public List<ManagerId> managerIds() {
        return List.of(managerIds);
    }

    /**
     * The org structure: a company unit ({@code company}), departments ({@code dep-01}),
     * divisions ({@code div-01-02}) and groups ({@code grp-01-02-03}), each manager a
     * member of one group (round robin) and the configured share of managers of a second
     * group.
     *
     * @return the structure
     */
    public OrgStructure orgStructure() {
        return org;
    }

    private OrgStructure buildOrg() {
        List<OrgUnit> units = new ArrayList<>();
        List<UnitLink> links = new ArrayList<>();
        List<UnitId> groups = new ArrayList<>();
        UnitId company = UnitId.of("company");
        units.add(new OrgUnit(company, "crmkit Demo Corp", UnitKind.COMPANY));
        for (int d = 1; d <= config.departments(); d++) {
            UnitId dep = UnitId.of("dep-" + pad(d, 2));
            String depName = d <= DEPARTMENTS.length ? DEPARTMENTS[d - 1] : "Department " + d;
            units.add(new OrgUnit(dep, depName, UnitKind.DEPARTMENT));
            links.add(new UnitLink(dep, company));
            for (int v = 1; v <= config.divisionsPerDepartment(); v++) {
                UnitId div = UnitId.of("div-" + pad(d, 2) + "-" + pad(v, 2));
                units.add(new OrgUnit(div, depName + " " + v, UnitKind.DIVISION));
                links.add(new UnitLink(div, dep));
                for (int g = 1; g <= config.groupsPerDivision(); g++) {
                    UnitId grp = UnitId.of("grp-" + pad(d, 2) + "-" + pad(v, 2) + "-" + pad(g, 2));
                    units.add(new OrgUnit(grp, depName + " " + v + " team " + g, UnitKind.GROUP));
                    links.add(new UnitLink(grp, div));
                    groups.add(grp);
                }
            }
        }
        int m = managerIds.length;
        int g = groups.size();
        List<Manager> managers = new ArrayList<>(m);
        List<Membership> memberships = new ArrayList<>(m + m / 10);
        for (int j = 0; j < m; j++) {
            managers.add(new Manager(managerIds[j], personName(j)));
            memberships.add(new Membership(managerIds[j], groups.get(j % g)));
        }
        int twoGroups = config.shareOfManagersInTwoGroups() == 0 ? 0
                : (int) Math.max(1, Math.round(config.shareOfManagersInTwoGroups() * m));
        if (twoGroups > 0) {
            Rng r = new Rng(mix(config.seed(), STREAM_ORG));
            int[] order = new int[m];
            for (int j = 0; j < m; j++) {
                order[j] = j;
            }
            for (int k = 0; k < twoGroups; k++) {
                int pick = k + r.nextInt(m - k);
                int chosen = order[pick];
                order[pick] = order[k];
                order[k] = chosen;
                int second = (chosen % g + 1 + r.nextInt(g - 1)) % g;
                memberships.add(new Membership(managerIds[chosen], groups.get(second)));
            }
        }
        return OrgStructure.of(managers, units, links, memberships);
    }

    /**
     * Monthly and quarterly plans, in the reporting currency, for every manager and every
     * unit: one per month of the range and one per fiscal quarter that overlaps it. A
     * manager's quarter is the sum of its months; a unit's plan is the sum of the plans of
     * the distinct managers it covers (a manager in two groups counts once per unit).
     *
     * @return the plans, managers first, then units, each by period
     */
    public List<SalesPlan> plans() {
        List<SalesPlan> result = plans;
        if (result == null) {
            result = buildPlans();
            plans = result;
        }
        return result;
    }

    private List<SalesPlan> buildPlans() {
        FiscalCalendar calendar = config.calendar();
        LocalDate last = config.end().minusDays(1);
        List<Period> periods = new ArrayList<>(calendar.periods(PeriodType.MONTH, config.start(), last));
        periods.addAll(calendar.periods(PeriodType.QUARTER, config.start(), last));
        CurrencyUnit currency = config.reportingCurrency();
        int digits = Amounts.fractionDigits(currency);
        long[][] managerTargets = new long[managerIds.length][periods.size()];
        for (int j = 0; j < managerIds.length; j++) {
            Rng r = new Rng(mix(mix(config.seed(), STREAM_PLAN), j));
            long monthlyBase = (20 + r.nextInt(131)) * 1_000L;
            for (int p = 0; p < periods.size(); p++) {
                long sum = 0;
                for (LocalDate month = periods.get(p).start(); month.isBefore(periods.get(p).end());
                        month = month.plusMonths(1)) {
                    long major = monthlyBase * SEASON_PERCENT[month.getMonthValue() - 1] / 100 / 100 * 100;
                    sum = Math.addExact(sum, major);
                }
                managerTargets[j][p] = Math.multiplyExact(sum, pow10(digits));
            }
        }
        List<SalesPlan> out = new ArrayList<>((managerIds.length + org.units().size()) * periods.size());
        for (int j = 0; j < managerIds.length; j++) {
            for (int p = 0; p < periods.size(); p++) {
                out.add(new SalesPlan(managerIds[j], periods.get(p),
                        Amounts.fromMinorUnits(managerTargets[j][p], currency)));
            }
        }
        Map<ManagerId, Integer> index = new HashMap<>();
        for (int j = 0; j < managerIds.length; j++) {
            index.put(managerIds[j], j);
        }
        for (OrgUnit unit : org.units()) {
            Set<ManagerId> members = org.membersOf(unit.id());
            for (int p = 0; p < periods.size(); p++) {
                long sum = 0;
                for (ManagerId member : members) {
                    sum = Math.addExact(sum, managerTargets[index.get(member)][p]);
                }
                out.add(new SalesPlan(unit.id(), periods.get(p), Amounts.fromMinorUnits(sum, currency)));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Daily exchange rates from every opportunity currency to the reporting currency, from
     * the first possible creation day to a year after the range, as a seeded random walk
     * around realistic levels (unknown currencies around 1).
     *
     * @return the rate table
     */
    public ExchangeRateTable exchangeRates() {
        ExchangeRateTable result = rates;
        if (result == null) {
            result = buildRates();
            rates = result;
        }
        return result;
    }

    private ExchangeRateTable buildRates() {
        ExchangeRateTable.Builder b = ExchangeRateTable.builder();
        CurrencyUnit reporting = config.reportingCurrency();
        LocalDate from = config.start().minusMonths(LEAD_IN_MONTHS).minusDays(1);
        LocalDate to = config.end().plusYears(1);
        MathContext precision = new MathContext(8);
        for (int c = 0; c < currencies.length; c++) {
            if (currencies[c].equals(reporting)) {
                continue;
            }
            Rng r = new Rng(mix(mix(config.seed(), STREAM_RATES), c));
            double level = 1.0 / unitsPerReporting[c];
            double rate = level;
            for (LocalDate day = from; day.isBefore(to); day = day.plusDays(1)) {
                b.rate(currencies[c], reporting, day, new BigDecimal(rate, precision));
                // a small daily step, pulled back towards the level so the walk stays plausible
                rate = rate * (1 + (r.nextDouble() - 0.5) * 0.01) + (level - rate) * 0.02;
            }
        }
        return b.build();
    }

    /**
     * The opportunities, lazily: element {@code i} is {@link #opportunity(long) opportunity(i)}.
     * The stream holds one opportunity at a time, is ordered by id, and may be made parallel.
     *
     * @return a stream of {@link GeneratorConfig#opportunities()} opportunities
     */
    public Stream<Opportunity> opportunities() {
        return LongStream.range(0, config.opportunities()).mapToObj(this::opportunity);
    }

    /**
     * A slice of the opportunities, lazily: the elements {@code from} (inclusive) to
     * {@code to} (exclusive), e.g. for loading a store in batches or splitting work by hand.
     *
     * @param from the first index, inclusive
     * @param to the index after the last, exclusive
     * @return the opportunities with indexes {@code from .. to-1}
     * @throws ValidationException when the slice is not within {@code 0 .. opportunities()}
     */
    public Stream<Opportunity> opportunities(long from, long to) {
        ValidationException.require(from >= 0 && from <= to && to <= config.opportunities(), "slice",
                from + ".." + to, "0 <= from <= to <= " + config.opportunities());
        return LongStream.range(from, to).mapToObj(this::opportunity);
    }

    /**
     * Writes the whole dataset into a store: the processes, the org structure, the plans
     * and then the opportunities in {@code insertAll} batches, never holding more than one
     * batch in memory.
     *
     * @param storage the store, typically empty
     * @param batchSize opportunities per {@code insertAll}, at least 1
     * @return the number of opportunities stored
     * @throws ValidationException when the batch size is not positive, or the store rejects
     *     an opportunity (e.g. one with the same id is already stored)
     */
    public long loadInto(CrmStorage storage, int batchSize) {
        Objects.requireNonNull(storage, "storage");
        ValidationException.require(batchSize >= 1, "batchSize", batchSize, "at least 1");
        processes().forEach(storage.processes()::save);
        storage.orgStructure().save(org);
        storage.plans().saveAll(plans());
        long stored = 0;
        for (long from = 0; from < config.opportunities(); from += batchSize) {
            long to = Math.min(config.opportunities(), from + batchSize);
            List<Opportunity> batch = new ArrayList<>((int) (to - from));
            opportunities(from, to).forEachOrdered(batch::add);
            stored += storage.opportunities().insertAll(batch);
        }
        return stored;
    }

    /**
     * Everything at once, for small sizes.
     *
     * @return processes, org structure, plans and all opportunities
     * @throws ValidationException when there are more than {@link #MAX_DATASET_OPPORTUNITIES}
     *     opportunities (stream them instead)
     */
    public Dataset dataset() {
        ValidationException.require(config.opportunities() <= MAX_DATASET_OPPORTUNITIES, "opportunities",
                config.opportunities(), "at most " + MAX_DATASET_OPPORTUNITIES + " for dataset(); stream larger ones");
        List<Opportunity> all = new ArrayList<>((int) config.opportunities());
        opportunities().forEachOrdered(all::add);
        return new Dataset(processes(), org, plans(), all);
    }

    /**
     * The opportunity with an index: a pure function of the seed and the index.
     *
     * @param index 0 to {@link GeneratorConfig#opportunities()} − 1
     * @return the opportunity, version 0
     * @throws ValidationException when the index is out of range
     */
    public Opportunity opportunity(long index) {
        ValidationException.require(index >= 0 && index < config.opportunities(), "index", index,
                "between 0 and " + (config.opportunities() - 1));
        Rng r = new Rng(mix(mix(config.seed(), STREAM_OPPORTUNITY), index));
        String id = "opp-" + pad(index, idWidth);

        double outcome = r.nextDouble();
        OpportunityStatus status = outcome < config.wonShare() ? OpportunityStatus.WON
                : outcome < config.wonShare() + config.lostShare() ? OpportunityStatus.LOST : OpportunityStatus.OPEN;
        int furthest;
        if (status == OpportunityStatus.WON) {
            furthest = openStages == 1 || r.nextDouble() < WON_FROM_LAST_STAGE_SHARE ? openStages - 1
                    : r.nextInt(openStages - 1);
        } else {
            furthest = weightedStage(r);
        }

        // The path of open stages: forward moves (some skipping one stage), at most one move
        // back and forth, and possibly a final step back below the furthest stage.
        int[] path = new int[openStages * 3 + 2];
        int len = 0;
        path[len++] = 0;
        int cur = 0;
        boolean movedBack = false;
        while (cur < furthest) {
            cur += cur + 2 <= furthest && r.nextDouble() < SKIP_SHARE ? 2 : 1;
            path[len++] = cur;
            if (!movedBack && cur > 0 && cur < furthest && r.nextDouble() < BACK_AND_FORTH_SHARE) {
                path[len++] = cur - 1;
                path[len++] = cur;
                movedBack = true;
            }
        }
        if (status != OpportunityStatus.WON && furthest > 0 && r.nextDouble() < SITS_BELOW_FURTHEST_SHARE) {
            path[len++] = furthest - 1;
        }
        int transitions = len + (status == OpportunityStatus.OPEN ? 0 : 1);

        // Times: creation in the window, then stage durations, squeezed to end before asOf.
        long created = windowStartSecond + r.nextLong(asOfSecond - windowStartSecond - 1);
        long[] at = new long[transitions];
        long total = 0;
        for (int t = 1; t < transitions; t++) {
            long gap = 3600 + r.nextLong(MAX_STAGE_SECONDS);
            at[t] = gap;
            total += gap;
        }
        long room = asOfSecond - 1 - created;
        long clock = created;
        at[0] = created;
        for (int t = 1; t < transitions; t++) {
            long gap = total > room ? at[t] * room / total : at[t];
            clock += gap;
            at[t] = clock;
        }

        double u = r.nextDouble();
        // a mild skew: the first managers own more deals, as top sellers do
        int ownerIndex = (int) (managerIds.length * u * (0.6 + 0.4 * u));
        ManagerId owner = managerIds[Math.min(ownerIndex, managerIds.length - 1)];
        List<StageTransition> history = new ArrayList<>(transitions);
        history.add(new StageTransition(null, stageCodes[0], Instant.ofEpochSecond(at[0]), owner));
        for (int t = 1; t < len; t++) {
            history.add(new StageTransition(stageCodes[path[t - 1]], stageCodes[path[t]],
                    Instant.ofEpochSecond(at[t]), owner));
        }
        String current = stageCodes[path[len - 1]];
        if (status != OpportunityStatus.OPEN) {
            String terminal = status == OpportunityStatus.WON ? SalesProcess.WON : SalesProcess.LOST;
            history.add(new StageTransition(current, terminal, Instant.ofEpochSecond(at[len]), owner));
            current = terminal;
        }
        Instant createdAt = Instant.ofEpochSecond(at[0]);
        Instant lastEvent = Instant.ofEpochSecond(at[transitions - 1]);

        int c = currencyIndex(r.nextDouble());
        CurrencyUnit currency = currencies[c];
        long amountMinor = amountMinor(r, c);
        boolean noAmount = r.nextDouble() < NO_AMOUNT_SHARE;
        long budgetMinor = noAmount || r.nextDouble() < BUDGET_SHARE
                ? roundToMajor(amountMinor + (long) (amountMinor * r.nextDouble() * 0.5), c) : -1;

        int client = r.nextInt(CLIENTS);
        ClientRef clientRef = r.nextDouble() < CONTACT_CLIENT_SHARE
                ? new ClientRef(ClientId.of("ct-" + client), ClientKind.CONTACT, personName(client))
                : new ClientRef(ClientId.of("acc-" + client), ClientKind.ACCOUNT, companyName(client));
        String product = PRODUCTS[r.nextInt(PRODUCTS.length)];

        LocalDate createdDate = LocalDate.ofInstant(createdAt, config.zone());
        LocalDate expected = createdDate.plusDays(14 + r.nextInt(166));
        if (status == OpportunityStatus.OPEN && expected.isBefore(asOfDate)
                && r.nextDouble() >= STAYS_PAST_DUE_SHARE) {
            expected = asOfDate.plusDays(r.nextInt(daysAfterAsOf));
        }

        Opportunity.Builder b = Opportunity.builder()
                .id(id)
                .title(product + " for " + clientRef.name())
                .client(clientRef)
                .owner(owner)
                .processId(process.id())
                .stage(current)
                .currency(currency)
                .amount(noAmount ? null : Amounts.fromMinorUnits(amountMinor, currency))
                .budget(budgetMinor < 0 ? null : Amounts.fromMinorUnits(budgetMinor, currency))
                .createdAt(createdAt)
                .expectedCloseDate(expected)
                .transitions(history)
                .completedSteps(completedSteps(r, furthest, path[len - 1], status));
        if (r.nextDouble() < 0.2) {
            b.tactic(TACTICS[r.nextInt(TACTICS.length)]);
        }
        switch (status) {
            case WON -> {
                long base = noAmount ? budgetMinor : amountMinor;
                long revenue = base * (80 + r.nextInt(26)) / 100;
                CloseInfo info = CloseInfo.won(LocalDate.ofInstant(lastEvent, config.zone()),
                        Amounts.fromMinorUnits(revenue, currency), WIN_REASONS[r.nextInt(WIN_REASONS.length)]);
                b.probability(100).closeInfo(r.nextBoolean() ? info.withHoursSpent(hours(r)) : info);
            }
            case LOST -> {
                String winner = r.nextDouble() < 0.4 ? COMPETITORS[r.nextInt(COMPETITORS.length)] : null;
                CloseInfo info = CloseInfo.lost(LocalDate.ofInstant(lastEvent, config.zone()),
                        LOSS_REASONS[r.nextInt(LOSS_REASONS.length)], winner);
                b.probability(0).closeInfo(r.nextBoolean() ? info.withHoursSpent(hours(r)) : info);
            }
            case OPEN -> {
                b.probability(r.nextDouble() < HAND_PROBABILITY_SHARE ? 5 * (1 + r.nextInt(19))
                        : stageProbability[path[len - 1]]);
                if (r.nextDouble() < HAND_CATEGORY_SHARE) {
                    b.forecastCategory(HAND_CATEGORIES[r.nextInt(HAND_CATEGORIES.length)]);
                }
            }
            default -> throw new IllegalStateException("unknown status " + status);
        }
        if (config.fullChildren()) {
            addChildren(b, r, index, owner, c, createdAt, lastEvent, status);
        }
        return b.build();
    }

    private int weightedStage(Rng r) {
        int x = r.nextInt(furthestWeightSum);
        for (int s = 0; s < openStages; s++) {
            x -= furthestWeights[s];
            if (x < 0) {
                return s;
            }
        }
        return openStages - 1;
    }

    private int currencyIndex(double u) {
        for (int c = 0; c < currencyCumulative.length; c++) {
            if (u < currencyCumulative[c]) {
                return c;
            }
        }
        return currencyCumulative.length - 1;
    }

    private long amountMinor(Rng r, int c) {
        // log-uniform between 2,000 and 500,000 reporting units
        double reporting = 2_000 * StrictMath.exp(r.nextDouble() * LOG_250);
        double major = reporting * unitsPerReporting[c];
        if (r.nextDouble() < ROUND_AMOUNT_SHARE) {
            return Math.max(1, Math.round(major / 100)) * 100 * pow10(fractionDigits[c]);
        }
        return Math.max(1, Math.round(major * pow10(fractionDigits[c])));
    }

    private long roundToMajor(long minor, int c) {
        long unit = pow10(fractionDigits[c]);
        return Math.max(1, (minor + unit - 1) / unit) * unit;
    }

    private static BigDecimal hours(Rng r) {
        return BigDecimal.valueOf(5 + r.nextInt(800), 1);
    }

    private List<String> completedSteps(Rng r, int furthest, int currentOpen, OpportunityStatus status) {
        List<String> done = new ArrayList<>();
        int fullyDone = status == OpportunityStatus.WON ? furthest + 1 : furthest;
        for (int s = 0; s < fullyDone; s++) {
            Collections.addAll(done, requiredSteps[s]);
            for (String optional : optionalSteps[s]) {
                if (r.nextBoolean()) {
                    done.add(optional);
                }
            }
        }
        if (status == OpportunityStatus.OPEN && currentOpen == furthest) {
            for (String required : requiredSteps[furthest]) {
                if (r.nextDouble() < 0.4) {
                    done.add(required);
                }
            }
        }
        return done;
    }

    private void addChildren(Opportunity.Builder b, Rng r, long index, ManagerId owner, int c, Instant createdAt,
            Instant lastEvent, OpportunityStatus status) {
        CurrencyUnit currency = currencies[c];
        int competitorCount = r.nextInt(4);
        int first = r.nextInt(COMPETITORS.length);
        for (int k = 0; k < competitorCount; k++) {
            b.addCompetitor(new Competitor(COMPETITORS[(first + k) % COMPETITORS.length],
                    k % 2 == 0 ? "Price" : "Brand", k % 2 == 0 ? "Support" : ""));
        }
        int participants = 1 + r.nextInt(4);
        for (int k = 0; k < participants; k++) {
            int person = r.nextInt(100_000);
            b.addParticipant(new Participant(ContactId.of("ct-" + person), personName(person),
                    k == 0 ? DecisionRole.DECISION_MAKER : ROLES[r.nextInt(ROLES.length)],
                    ATTITUDES[r.nextInt(ATTITUDES.length)]));
        }
        int leads = 1 + r.nextInt(2);
        for (int k = 0; k < leads; k++) {
            b.addLead(new Lead("lead-" + index + "-" + k, NEEDS[r.nextInt(NEEDS.length)]));
        }
        int lines = 1 + r.nextInt(3);
        for (int k = 0; k < lines; k++) {
            b.addProductLine(new ProductLine(PRODUCTS[r.nextInt(PRODUCTS.length)], BigDecimal.valueOf(1 + r.nextInt(50)),
                    Amounts.fromMinorUnits(amountMinor(r, c) / 20 + 1, currency),
                    BigDecimal.valueOf(5L * r.nextInt(4))));
        }
        int entries = 2 + r.nextInt(7);
        long from = createdAt.getEpochSecond();
        long span = Math.max(1, lastEvent.getEpochSecond() - from);
        long[] times = new long[entries];
        for (int k = 0; k < entries; k++) {
            times[k] = from + r.nextLong(span);
        }
        Arrays.sort(times);
        for (int k = 0; k < entries; k++) {
            HistoryKind kind = HISTORY_KINDS[r.nextInt(HISTORY_KINDS.length)];
            b.addHistory(new HistoryEntry("h-" + k, kind, Instant.ofEpochSecond(times[k]), owner,
                    kind.name().charAt(0) + kind.name().substring(1).toLowerCase(Locale.ROOT) + " " + (k + 1),
                    status == OpportunityStatus.OPEN ? "" : "Logged before the deal closed"));
        }
    }

    private static String personName(long k) {
        String name = FIRST_NAMES[(int) (k % FIRST_NAMES.length)] + " "
                + LAST_NAMES[(int) (k / FIRST_NAMES.length % LAST_NAMES.length)];
        long round = k / ((long) FIRST_NAMES.length * LAST_NAMES.length);
        return round == 0 ? name : name + " " + (round + 1);
    }

    private static String companyName(long k) {
        return COMPANY_WORDS[(int) (k % COMPANY_WORDS.length)] + " "
                + SECTORS[(int) (k / COMPANY_WORDS.length % SECTORS.length)] + " "
                + LEGAL[(int) (k % LEGAL.length)];
    }

    private static String pad(long value, int width) {
        String digits = Long.toString(value);
        if (digits.length() >= width) {
            return digits;
        }
        StringBuilder sb = new StringBuilder(width);
        for (int i = digits.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }

    private static long pow10(int digits) {
        long p = 1;
        for (int i = 0; i < digits; i++) {
            p *= 10;
        }
        return p;
    }

    // Approximate market levels (units per euro) so amounts and rates look plausible.
    private static double unitsPerEuro(CurrencyUnit currency) {
        return switch (currency.getCurrencyCode()) {
            case "EUR" -> 1.0;
            case "USD" -> 1.08;
            case "GBP" -> 0.85;
            case "CHF" -> 0.95;
            case "JPY" -> 160.0;
            case "SEK" -> 11.5;
            case "NOK" -> 11.6;
            case "DKK" -> 7.46;
            case "PLN" -> 4.3;
            case "CZK" -> 25.0;
            case "CAD" -> 1.47;
            case "AUD" -> 1.65;
            case "CNY" -> 7.8;
            case "INR" -> 90.0;
            case "BRL" -> 5.4;
            case "BHD" -> 0.41;
            case "KWD" -> 0.33;
            default -> 1.0;
        };
    }

    // SplitMix64's finaliser (Steele, Lea, Flood 2014): decorrelates (seed, index) pairs.
    private static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * SplitMix64: tiny, fast and fully specified here, so a seed gives the same data on every
     * JDK (java.util's generators promise no stable algorithm across versions).
     */
    private static final class Rng {
        private long state;

        Rng(long seed) {
            this.state = seed;
        }

        long nextLong() {
            long z = state += 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        double nextDouble() {
            return (nextLong() >>> 11) * 0x1.0p-53;
        }

        boolean nextBoolean() {
            return nextLong() < 0;
        }

        int nextInt(int bound) {
            return (int) nextLong(bound);
        }

        long nextLong(long bound) {
            return (nextLong() >>> 1) % bound;
        }
    }
}
