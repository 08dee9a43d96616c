package org.crmkit.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import org.crmkit.core.Dataset;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.Period;
import org.crmkit.core.money.Amounts;
import org.crmkit.examples.TrainingCompany;
import org.crmkit.funnel.FunnelEngine;
import org.crmkit.funnel.FunnelQuery;
import org.crmkit.funnel.FunnelResult;
import org.crmkit.funnel.spi.AnswerPath;
import org.crmkit.funnel.OpportunityColumns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddingExampleTest {
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @Test
    void storesOnceInPostgresAndReportsInDollarsWithTheApplicationsRates() {
        CsvExchangeRates rates = CsvExchangeRates.treasury();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        EmbeddingExample.Outcome first = EmbeddingExample.run(postgres.getPostgresDatabase(), rates,
                new PrintStream(text, true, StandardCharsets.UTF_8));
        EmbeddingExample.Outcome second = EmbeddingExample.run(postgres.getPostgresDatabase(), rates,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(first.imported()).isTrue();
        assertThat(second.imported()).isFalse();
        assertThat(second.funnel()).isEqualTo(first.funnel());
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("POSTGRES", "USD", "P10");

        // The funnel read back from PostgreSQL equals the one over the scenario in memory.
        Dataset data = TrainingCompany.build(42);
        FunnelEngine inMemory = FunnelEngine.builder().org(data.orgStructure())
                .source(OpportunityColumns.of(data.opportunities().stream())).rates(rates)
                .calendar(TrainingCompany.CALENDAR)
                .clock(Clock.fixed(TrainingCompany.AS_OF, TrainingCompany.ZONE)).build();
        FunnelResult expected = inMemory.funnel(FunnelQuery.builder(data.processes().get(0))
                .nodes(TrainingCompany.company())
                .period(Period.inclusive(TrainingCompany.START, TrainingCompany.START.plusYears(1).minusDays(1)))
                .reportingCurrency("USD").build());
        // PostgreSQL answers a year of whole creation months from the aggregates it maintained
        // while the scenario was stored; the figures are the in-memory scan's
        assertThat(first.funnel().answeredBy()).isEqualTo(AnswerPath.MAINTAINED);
        assertThat(first.funnel().withAnsweredBy(AnswerPath.SCAN)).isEqualTo(expected);

        // Open amounts convert at the treasury rate of the as-of month, as read from the CSV here.
        BigDecimal eurUsd = rateInCsv("EUR");
        BigDecimal chfUsd = rateInCsv("CHF");
        BigDecimal open = BigDecimal.ZERO;
        for (Opportunity o : data.opportunities()) {
            if (o.status() == OpportunityStatus.OPEN && !o.createdAt().isBefore(
                    TrainingCompany.START.atStartOfDay(TrainingCompany.ZONE).toInstant())) {
                BigDecimal amount = Amounts.decimal(o.amount().orElseThrow());
                open = open.add(amount.multiply(o.currency().getCurrencyCode().equals("EUR") ? eurUsd : chfUsd));
            }
        }
        assertThat(first.funnel().currency()).isEqualTo("USD");
        assertThat(first.funnel().openAmount()).isEqualByComparingTo(open.setScale(2, RoundingMode.HALF_EVEN));
        assertThat(first.distribution().currency()).isEqualTo("USD");
        assertThat(first.distribution().mean()).isEqualByComparingTo(first.forecast().projected());
    }

    /** The CSV rate for the as-of month (2026-11), found by reading the file's lines directly. */
    private static BigDecimal rateInCsv(String base) {
        LocalDate month = TrainingCompany.AS_OF.atZone(TrainingCompany.ZONE).toLocalDate().withDayOfMonth(1);
        try (var in = CsvExchangeRates.class.getResourceAsStream("treasury-rates.csv")) {
            String csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : csv.split("\n")) {
                if (line.startsWith(month + "," + base + ",USD,")) {
                    return new BigDecimal(line.substring(line.lastIndexOf(',') + 1).strip());
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("no " + base + "/USD rate for " + month);
    }
}
