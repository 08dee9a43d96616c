package org.crmkit.examples.embedding;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.LocalDate;
import javax.money.CurrencyUnit;
import javax.money.convert.ExchangeRateProvider;
import javax.sql.DataSource;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.SalesProcesses;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.examples.TrainingCompany;
import org.crmkit.forecast.ForecastConfig;
import org.crmkit.forecast.ForecastEngine;
import org.crmkit.forecast.ForecastSnapshot;
import org.crmkit.forecast.PeriodForecast;
import org.crmkit.forecast.ProbabilityModels;
import org.crmkit.forecast.RevenueDistribution;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.jdbc.CrmStore;

/**
 * Embedding crmkit in an application that already has its database and its exchange rates:
 * the application hands its own PostgreSQL {@link DataSource} to {@link CrmStore} (here an
 * embedded PostgreSQL started for the example; in production the application's pool) and
 * its own {@link ExchangeRateProvider} ({@link CsvExchangeRates}, its treasury's dated rates)
 * to the funnel and forecast engines, and reports in its own currency, US dollars.
 *
 * <p>Run: {@code ./mvnw -B -q -pl examples -am package -DskipTests exec:java
 * -Dexec.mainClass=org.crmkit.examples.embedding.EmbeddingExample}.
 */
public final class EmbeddingExample {
    /** The application's reporting currency. */
    public static final CurrencyUnit REPORTING = Amounts.currency("USD");

    private EmbeddingExample() {
    }

    /**
     * Starts an embedded PostgreSQL and runs the example on it.
     *
     * @param args unused
     * @throws IOException when PostgreSQL cannot be started or stopped
     */
    public static void main(String[] args) throws IOException {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            run(postgres.getPostgresDatabase(), CsvExchangeRates.treasury(), System.out);
        }
    }

    private static String money(java.math.BigDecimal value) {
        return String.format(java.util.Locale.ROOT, "%,.2f", value.setScale(2, java.math.RoundingMode.HALF_EVEN));
    }

    /**
     * What the example computed.
     *
     * @param imported whether the scenario was imported (false: it was already stored)
     * @param funnel the company funnel in the reporting currency
     * @param quarter the next quarter
     * @param forecast the company's forecast of the next quarter
     * @param distribution its revenue distribution
     */
    public record Outcome(boolean imported, FunnelResult funnel, Period quarter, PeriodForecast forecast,
            RevenueDistribution distribution) {
    }

    /**
     * Stores the scenario in the application's database (once) and reports on it.
     *
     * @param dataSource the application's PostgreSQL data source
     * @param rates the application's exchange rates
     * @param out where the report goes
     * @return what was computed
     */
    public static Outcome run(DataSource dataSource, ExchangeRateProvider rates, PrintStream out) {
        FiscalCalendar calendar = TrainingCompany.CALENDAR;
        // The application owns the data source (and its pool); CrmStore migrates its tables
        // with Flyway and leaves the connection life cycle to the application.
        try (CrmStore store = CrmStore.builder().dataSource(dataSource).zone(calendar.zone()).build()) {
            boolean imported = store.opportunities().count(OpportunityQuery.all()) == 0;
            if (imported) {
                var data = TrainingCompany.build(42);
                data.processes().forEach(store.processes()::save);
                store.orgStructure().save(data.orgStructure());
                store.plans().saveAll(data.plans());
                store.opportunities().insertAll(data.opportunities());
            }
            SalesProcess process = store.processes().get(SalesProcesses.CORPORATE_SALES);
            OrgStructure org = store.orgStructure().load();
            long stored = store.opportunities().count(OpportunityQuery.all());
            out.println((imported ? "Stored" : "Found") + " " + stored + " opportunities in "
                    + store.dialect() + "; reporting in " + REPORTING.getCurrencyCode()
                    + " with the application's treasury rates.");

            Clock clock = Clock.fixed(TrainingCompany.AS_OF, calendar.zone());
            // The store is the funnel's cell source: PostgreSQL groups the cells, only they come back.
            FunnelEngine funnels = FunnelEngine.builder().org(org).source(store)
                    .rates(rates).calendar(calendar).clock(clock).build();
            FunnelResult funnel = funnels.funnel(FunnelQuery.builder(process).nodes(TrainingCompany.company())
                    .period(Period.inclusive(TrainingCompany.START, TrainingCompany.START.plusYears(1).minusDays(1)))
                    .reportingCurrency(REPORTING).build());
            out.println();
            out.println(funnel);

            ForecastEngine forecasts = ForecastEngine.builder(ForecastConfig.builder(calendar, REPORTING)
                            .periodType(PeriodType.QUARTER).build())
                    .probabilityModel(ProbabilityModels.stageDefault()).exchangeRates(rates).processes(process)
                    .clock(clock).build();
            // The store is the forecast's source too: it groups open and won deals in SQL, and no
            // opportunity is read as an object.
            ForecastSnapshot snapshot = forecasts.snapshot(store);
            LocalDate today = calendar.today(clock);
            Period quarter = calendar.next(calendar.periodOf(PeriodType.QUARTER, today));
            PeriodForecast forecast = snapshot.periodForecast(org, TrainingCompany.company(), quarter);
            RevenueDistribution distribution = snapshot.distribution(org, TrainingCompany.company(), quarter);
            out.println();
            String usd = REPORTING.getCurrencyCode();
            out.println("Forecast of " + quarter + " in " + usd + " (stage probabilities, rounded for display):");
            out.printf("  closed %s, commit %s, best case %s, open pipeline %s, weighted open %s%n",
                    money(forecast.closed().amount()), money(forecast.commitCumulative().amount()),
                    money(forecast.bestCaseCumulative().amount()), money(forecast.openPipeline().amount()),
                    money(forecast.weightedOpen()));
            out.printf("  revenue distribution: mean %s, P10 %s, P50 %s, P90 %s (%s, %d open deals)%n",
                    money(distribution.mean()), money(distribution.p10()), money(distribution.p50()),
                    money(distribution.p90()), distribution.method(), distribution.opportunities());
            return new Outcome(imported, funnel, quarter, forecast, distribution);
        }
    }
}
