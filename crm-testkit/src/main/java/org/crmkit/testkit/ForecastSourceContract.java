package org.crmkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.money.CurrencyUnit;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.Period;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.SalesProcesses;
import org.crmkit.core.money.Amounts;
import org.crmkit.funnel.spi.ForecastDeal;
import org.crmkit.funnel.spi.ForecastQuery;
import org.crmkit.funnel.spi.ForecastReference;
import org.crmkit.funnel.spi.ForecastSource;
import org.crmkit.funnel.spi.ForecastStats;
import org.crmkit.funnel.spi.OwnerAggregates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * The contract every {@link ForecastSource} must meet, as a JUnit 5 suite (like
 * {@link FunnelSourceContract}). An implementation proves itself with one subclass that returns
 * a fresh source holding exactly the given opportunities.
 *
 * <p>The data: seeded random histories (open, won and lost deals, reopens, three currencies,
 * unknown amounts) with budgets, hand-set categories (CLOSED on open deals too) and very large
 * amounts added. Random queries (QuickTheories: as-of dates across the data, both overdue
 * rules, each reporting currency, three calendar zones (UTC+14 among them), owner subsets or every owner, month windows or none) must
 * give exactly the reference's per-owner stats ({@link ForecastReference}), the same deals for
 * drill-down (all, and above random per-currency thresholds), and obey the merge law
 * {@code forecast(a ++ b) = forecast(a).plus(forecast(b))}.
 *
 * <p>Seeds: the data is fixed; the queries' seed comes from {@code QT_SEED} when set. A source
 * that is {@link AutoCloseable} is closed after the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ForecastSourceContract {
    /** The process of the suite's opportunities. */
    protected static final SalesProcess PROCESS = SalesProcesses.corporateSales();
    private static final long DATA_SEED = 20261203L;
    private static final int EXAMPLES = 60;
    private static final List<String> REPORTING = List.of("EUR", "USD", "GBP");
    private static final LocalDate FIRST = LocalDate.of(2025, 1, 1);
    private static final ZoneId[] ZONES = {ZoneId.of("UTC"), ZoneId.of("Pacific/Kiritimati"),
        ZoneId.of("America/New_York")};

    private final List<Object> opened = new ArrayList<>();
    private List<Opportunity> a;
    private List<Opportunity> b;
    private List<Opportunity> both;
    private ForecastSource sourceA;
    private ForecastSource sourceB;
    private ForecastSource sourceBoth;

    /** For subclasses. */
    protected ForecastSourceContract() {
    }

    /**
     * A fresh source holding exactly the given opportunities (and their process, when the
     * source stores processes).
     *
     * @param process the process of every opportunity
     * @param opportunities the opportunities
     * @return the source
     */
    protected abstract ForecastSource forecastSourceOf(SalesProcess process, List<Opportunity> opportunities);

    private ForecastSource open(List<Opportunity> opportunities) {
        ForecastSource s = forecastSourceOf(PROCESS, opportunities);
        opened.add(s);
        return s;
    }

    /** The random histories with what a forecast reads and the funnel does not: budgets, categories, huge amounts. */
    static List<Opportunity> forecastData(long seed, int count, String prefix) {
        Random r = new Random(seed);
        ForecastCategory[] categories = ForecastCategory.values();
        List<Opportunity> out = new ArrayList<>();
        for (Opportunity o : RandomHistories.of(PROCESS, seed, count, prefix)) {
            Opportunity.Builder b = o.toBuilder();
            CurrencyUnit c = o.currency();
            if (r.nextInt(2) == 0) {
                b.budget(Amounts.fromMinorUnits(r.nextInt(5_000_000), c));
            }
            if (r.nextInt(4) == 0) {
                b.forecastCategory(categories[r.nextInt(categories.length)]);
            }
            if (o.amount().isPresent() && r.nextInt(20) == 0) {
                // near the store's largest amount: squares and cubes leave 64 bits
                b.amount(Amounts.fromMinorUnits(900_000_000_000_000L + r.nextInt(1000), c));
            }
            out.add(b.build());
        }
        return out;
    }

    @BeforeAll
    void load() {
        a = forecastData(DATA_SEED, 160, "a");
        b = forecastData(DATA_SEED + 1, 90, "b");
        both = new ArrayList<>(a);
        both.addAll(b);
        sourceA = open(a);
        sourceB = open(b);
        sourceBoth = open(both);
    }

    @AfterAll
    void close() throws Exception {
        for (Object s : opened) {
            if (s instanceof AutoCloseable c) {
                c.close();
            }
        }
    }

    private Gen<ForecastQuery> queries() {
        List<ManagerId> owners = both.stream().map(Opportunity::owner).distinct().sorted().collect(Collectors.toList());
        Gen<LocalDate> asOf = SourceDSL.integers().between(0, 700).map(FIRST::plusDays);
        Gen<Set<ManagerId>> ownerSets = SourceDSL.integers().between(0, (1 << owners.size()) - 1).map(mask -> {
            if (mask == 0) {
                return null;
            }
            Set<ManagerId> s = new TreeSet<>();
            for (int i = 0; i < owners.size(); i++) {
                if ((mask & (1 << i)) != 0) {
                    s.add(owners.get(i));
                }
            }
            return s;
        });
        Gen<Period> windows = SourceDSL.integers().between(-1, 30).zip(SourceDSL.integers().between(1, 8), (from, len) ->
                from < 0 ? null : Period.inclusive(FIRST.plusMonths(from), FIRST.plusMonths(from + len).minusDays(1)));
        // one number for the overdue rule (x % 2), the reporting currency (x / 2 % 3) and the zone (x / 6)
        return asOf.zip(ownerSets, SourceDSL.integers().between(0, 17), windows,
                (d, o, x, w) -> new ForecastQuery(o, d, x % 2 == 0, Amounts.currency(REPORTING.get(x / 2 % 3)), w,
                        ZONES[x / 6]));
    }

    @Test
    void statsEqualTheReference() {
        qt().withExamples(EXAMPLES).forAll(queries()).checkAssert(q ->
                assertThat(sourceBoth.forecast(q)).as("%s", q).isEqualTo(ForecastReference.aggregate(q, both.stream())));
    }

    @Test
    void statsOfAllOwnersAsOfEveryQuarterEqualTheReference() {
        for (int m = 0; m < 24; m += 3) {
            ForecastQuery q = ForecastQuery.of(FIRST.plusMonths(m).plusDays(9), Amounts.currency("EUR"), ZONES[m % 3]);
            OwnerAggregates<ForecastStats> got = sourceBoth.forecast(q);
            assertThat(got).as("%s", q).isEqualTo(ForecastReference.aggregate(q, both.stream()));
            assertThat(got.isEmpty()).isFalse();
        }
    }

    @Test
    void dealsEqualTheReference() {
        qt().withExamples(EXAMPLES).forAll(queries(), SourceDSL.longs().between(-1, 8_000_000)).checkAssert((q, min) -> {
            assertThat(deals(sourceBoth.forecastDeals(q, null))).as("%s", q)
                    .isEqualTo(deals(ForecastReference.deals(q, null, both.stream())));
            Map<CurrencyUnit, Long> minValue = new HashMap<>();
            minValue.put(Amounts.currency("EUR"), min);
            minValue.put(Amounts.currency("USD"), min / 2);
            assertThat(deals(sourceBoth.forecastDeals(q, minValue))).as("%s above %s", q, minValue)
                    .isEqualTo(deals(ForecastReference.deals(q, minValue, both.stream())));
        });
    }

    private static Set<ForecastDeal> deals(Stream<ForecastDeal> s) {
        try (s) {
            Set<ForecastDeal> out = new HashSet<>();
            s.forEach(d -> assertThat(out.add(d)).as("deal listed once: %s", d).isTrue());
            return out;
        }
    }

    @Test
    void partsAddUpToTheWhole() {
        qt().withExamples(EXAMPLES).forAll(queries()).checkAssert(q ->
                assertThat(sourceA.forecast(q).plus(sourceB.forecast(q))).as("%s", q).isEqualTo(sourceBoth.forecast(q)));
    }
}
