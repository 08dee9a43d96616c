package org.crmkit.funnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.funnel.FunnelSemanticsTest.ORG;
import static org.crmkit.funnel.FunnelSemanticsTest.Q1;
import static org.crmkit.funnel.FunnelSemanticsTest.query;
import static org.crmkit.funnel.Opps.at;
import static org.crmkit.funnel.Opps.opp;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.crmkit.core.ClientId;
import org.crmkit.core.NotFoundException;
import org.crmkit.core.Opportunity;
import org.crmkit.core.UnitId;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.money.ExchangeRateTable;
import org.junit.jupiter.api.Test;

class FilterAndValidationTest {
    static final List<Opportunity> OPPS = List.of(
            opp("a", "m1", "2026-01-05").client("c1").amount("100.00", "EUR").build(),
            opp("b", "m1", "2026-01-06").client("c2").amount("200.00", "EUR").build(),
            opp("c", "m2", "2026-01-07").client("c2").amount("300.00", "USD").build());

    static FunnelEngine engine(OpportunityColumns columns) {
        return FunnelEngine.builder().org(ORG).source(columns)
                .rates(ExchangeRateTable.builder().rate("USD", "EUR", java.time.LocalDate.parse("2026-01-01"), "0.5")
                        .build())
                .clock(Clock.fixed(at("2026-06-01"), ZoneOffset.UTC))
                .build();
    }

    @Test
    void structuredFiltersKeepOnlyMatchingClientsAndCurrencies() {
        FunnelEngine e = engine(OpportunityColumns.of(OPPS.stream()));
        FunnelResult c2 = e.funnel(query().period(Q1).filter(OpportunityFilter.clients(Set.of(ClientId.of("c2"))))
                .build());
        assertThat(c2.count()).isEqualTo(2);
        assertThat(c2.openAmount()).isEqualByComparingTo("350.00"); // 200 EUR + 300 USD at 0.5
        FunnelResult eur = e.funnel(query().period(Q1)
                .filter(OpportunityFilter.currencies(Set.of(Amounts.currency("EUR")))).build());
        assertThat(eur.count()).isEqualTo(2);
        assertThat(eur.openAmount()).isEqualByComparingTo("300.00");
    }

    @Test
    void customPredicateNeedsRetainedOpportunities() {
        OpportunityFilter bigDeals = OpportunityFilter.matching(o -> o.amount().orElseThrow().getNumber()
                .doubleValue() >= 200);
        FunnelQuery q = query().period(Q1).filter(bigDeals).reportingCurrency("EUR").build();
        assertThatThrownBy(() -> engine(OpportunityColumns.of(OPPS.stream())).funnel(q))
                .isInstanceOf(ValidationException.class).hasMessageContaining("filter.predicate");
        FunnelQuery eurOnly = q.toBuilder().filter(new OpportunityFilter(Set.of(), Set.of(Amounts.currency("EUR")),
                bigDeals.predicate())).build();
        assertThat(engine(OpportunityColumns.retaining(OPPS.stream())).funnel(eurOnly).count()).isEqualTo(1);
    }

    @Test
    void badQueriesAreRejectedWithTheFieldNamed() {
        FunnelEngine e = engine(OpportunityColumns.of(OPPS.stream()));
        assertThatThrownBy(() -> e.funnel(query().mode(FunnelMode.COHORT).build()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("query.period");
        assertThatThrownBy(() -> e.funnel(query().mode(FunnelMode.ACTIVITY).period(Q1).asOf(at("2025-12-01")).build()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("query.asOf");
        assertThatThrownBy(() -> e.drillDown(query().period(Q1).build(), FunnelMeasure.REACHED, 5, 0, 10))
                .isInstanceOf(ValidationException.class).hasMessageContaining("stage");
        assertThatThrownBy(() -> e.drillDown(query().period(Q1).build(), FunnelMeasure.WON, 0, 0, 0))
                .isInstanceOf(ValidationException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> e.funnel(query().period(Q1).build().withNodes(List.of(UnitId.of("nope")))))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> FunnelEngine.builder().org(ORG).build()).isInstanceOf(ValidationException.class)
                .hasMessageContaining("source");
    }

    @Test
    void funnelSumsBeyondTheExactRangeAreReportedByNameOnEverySource() {
        // every amount is the largest the model admits; the weighted sum (amount x percent) of 101
        // of them at 100 % leaves the range of a long, where one deal's figures never do
        String max = java.math.BigDecimal.valueOf(org.crmkit.core.StoreLimits.MAX_AMOUNT_MINOR, 2).toPlainString();
        List<Opportunity> huge = new java.util.ArrayList<>();
        for (int i = 0; i < 101; i++) {
            huge.add(opp("h" + i, "m1", "2026-01-05").amount(max, "EUR").probability(100).build());
        }
        FunnelQuery q = query().period(Q1).reportingCurrency("EUR").build();
        assertThat(engine(OpportunityColumns.of(huge.subList(0, 1).stream())).funnel(q).openAmount())
                .isEqualByComparingTo(max);
        for (org.crmkit.funnel.spi.FunnelSource source : List.of(OpportunityColumns.of(huge.stream()),
                Sources.reference(huge))) {
            FunnelEngine e = FunnelEngine.builder().org(ORG).source(source).clock(Clock.fixed(at("2026-06-01"),
                    ZoneOffset.UTC)).build();
            assertThatThrownBy(() -> e.funnel(q)).isInstanceOfSatisfying(org.crmkit.core.AmountOverflowException.class,
                    ex -> assertThat(ex.figure()).containsIgnoringCase("weighted"));
        }
    }
}
