package org.crmkit.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.imports.FirstHourImportTest.AS_OF;
import static org.crmkit.imports.FirstHourImportTest.DIR;
import static org.crmkit.imports.FirstHourImportTest.PIPELINE;

import java.io.StringReader;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.crmkit.core.BatchValidationException;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.PeriodType;
import org.crmkit.core.Rejection;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;
import org.junit.jupiter.api.Test;

class RowImportRulesTest {
    static final String HEADER = "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,"
            + "close_value\n";

    static List<Row> csv(String text) {
        return CsvRows.read(new StringReader(text), "deals.csv", ',');
    }

    static OpportunityMapping mapping(ProductCatalog products) {
        return FirstHourImportTest.deals(products);
    }

    @Test
    void csvRowsKeepTheirLineNumbersAcrossEmptyLinesAndTheByteOrderMarkIsNoColumnName() {
        List<Row> rows = CsvRows.read(DIR.resolve("sales_pipeline.csv"));
        assertThat(rows).hasSize(12);
        assertThat(rows.get(0).line()).isEqualTo(2);
        assertThat(rows.get(0).get("opportunity_id")).contains("D1");
        assertThat(rows.get(9).get("opportunity_id")).contains("D10");
        assertThat(rows.get(9).line()).isEqualTo(12);
        assertThat(rows.get(4).get("account")).contains("Betatech, Inc.");
        assertThat(rows.get(2).get("account")).isEmpty();
    }

    @Test
    void everyInvalidRowIsReportedAtOnceWithItsLineIdColumnsValuesAndExpectations() {
        ProductCatalog noAlias = ProductCatalog.fromRows(CsvRows.read(DIR.resolve("products.csv")), "product",
                "sales_price", Amounts.currency("USD")).build();
        ImportReport<List<Opportunity>> report = mapping(noAlias).read(csv(HEADER
                + "D1,Anna Berg,GTX Pro,Acme,Won,2017-01-05,2017-02-04,4800\n"
                + "D2,Anna Berg,GTXPro,Acme,Lost,2017-01-10,2017-01-30,0\n"
                + "D3,Anna Berg,GTX Basic,,Engaging,2017-02-31,,\n"
                + "D4,Anna Berg,GTX Basic,Acme,Won,2017-01-05,,1000\n"
                + "D5,,GTX Basic,Acme,Negotiation,2017-01-05,,\n"
                + "D1,Ben Ortiz,GTX Basic,Acme,Prospecting,,,\n"
                + "D7,Ben Ortiz,GTX Basic,Acme,Lost,2017-03-05,2017-03-01,0\n"
                + "D8,Ben Ortiz,GTX Basic,Acme,Won,2017-03-05,2017-03-09,\"1,054\"\n"
                + "D9,Ben Ortiz,GTX Basic,Acme,Engaging,2017-03-05,,\n"));

        assertThat(report.rows()).isEqualTo(9);
        assertThat(report.result()).extracting(o -> o.id().value()).containsExactly("D1", "D9");
        List<Rejection> r = report.rejections();
        assertThat(r).extracting(Rejection::source).containsExactly("sales_pipeline.csv line 3",
                "sales_pipeline.csv line 4", "sales_pipeline.csv line 5", "sales_pipeline.csv line 6",
                "sales_pipeline.csv line 7", "sales_pipeline.csv line 8", "sales_pipeline.csv line 9");
        assertThat(r).extracting(x -> x.opportunityId().value()).containsExactly("D2", "D3", "D4", "D5", "D1", "D7",
                "D8");
        assertThat(r.get(0).failures().get(0).field()).isEqualTo("product");
        assertThat(r.get(0).failures().get(0).value()).isEqualTo("GTXPro");
        assertThat(r.get(0).failures().get(0).expected()).contains("[GTX Basic, GTX Pro, MG Special]");
        assertThat(r.get(1).failures().get(0).field()).isEqualTo("engage_date");
        assertThat(r.get(1).failures().get(0).value()).isEqualTo("2017-02-31");
        assertThat(r.get(2).failures().get(0).field()).isEqualTo("close_date");
        assertThat(r.get(2).failures().get(0).expected()).contains("close date of a WON deal");
        // two problems in one row, both reported
        assertThat(r.get(3).failures()).extracting(ValidationException::field).containsExactly("sales_agent",
                "deal_stage");
        assertThat(r.get(3).failures().get(1).expected()).contains("[Prospecting, Engaging, Won, Lost]");
        assertThat(r.get(4).failures().get(0).expected()).isEqualTo("an id used once in sales_pipeline.csv");
        assertThat(r.get(5).failures().get(0).field()).isEqualTo("close_date");
        assertThat(r.get(5).failures().get(0).expected()).contains("not before 2017-03-05 (engage_date)");
        assertThat(r.get(6).failures().get(0).value()).isEqualTo("1,054");
        assertThatThrownBy(report::requireAllValid).isInstanceOfSatisfying(BatchValidationException.class, e -> {
            assertThat(e.rejections()).hasSize(7);
            assertThat(e.getMessage()).startsWith("7 of 9 rows rejected:")
                    .contains("sales_pipeline.csv line 3 (opportunity D2): invalid product: GTXPro");
        });
    }

    @Test
    void declaredStageLabelsCreationAndExpectedCloseColumnsAPatternAndPlainRowsWork() {
        OpportunityMapping m = OpportunityMapping.builder(PIPELINE).id("id").title("name").owner("rep").stage("phase")
                .stageValue("Closed Won", "WON").stageValue("Open - Talking", "ENGAGING").createdAt("created")
                .stageEnteredAt("ENGAGING", "talking_since").closeDate("closed").expectedCloseDate("due")
                .amount("value").probability("chance").reason("why").currency("EUR").datePattern("d.M.yyyy")
                .asOf(AS_OF).build();
        ImportReport<List<Opportunity>> report = m.read(List.of(
                Row.of(1, "id", "x1", "name", "Pilot", "rep", "ann", "phase", "closed won", "created", "2.1.2017",
                        "talking_since", "9.1.2017", "closed", "20.1.2017", "value", "1200.50", "why", "fit"),
                Row.of(2, "id", "x2", "rep", "ann", "phase", "Open - Talking", "created", "2.1.2017", "due",
                        "30.6.2017", "value", "300", "chance", "65")));
        assertThat(report.allValid()).as("%s", report).isTrue();
        Opportunity won = report.result().get(0);
        assertThat(won.title()).isEqualTo("Pilot");
        assertThat(won.createdAt()).isEqualTo(Instant.parse("2017-01-02T00:00:00Z"));
        assertThat(won.transitions()).extracting(t -> t.to()).containsExactly("PROSPECTING", "ENGAGING", "WON");
        assertThat(won.closeInfo().orElseThrow().reasonIfAny()).contains("fit");
        // no revenue column: a won deal books its amount
        assertThat(won.closeInfo().orElseThrow().actualRevenueIfAny()).contains(Amounts.of("1200.50", "EUR"));
        Opportunity open = report.result().get(1);
        assertThat(open.title()).isEqualTo("x2");
        assertThat(open.probability()).isEqualTo(65);
        assertThat(open.expectedCloseDate()).isEqualTo(LocalDate.of(2017, 6, 30));
        // entered Engaging with no date of its own: when the stage before it was, at creation
        assertThat(open.transitions()).extracting(t -> t.at()).containsOnly(Instant.parse("2017-01-02T00:00:00Z"));
        assertThat(report.notes()).contains("1 won deals have no revenue: their amount");
    }

    @Test
    void aMisspelledColumnAndMalformedCsvAreNamed() {
        OpportunityMapping m = OpportunityMapping.builder(PIPELINE).id("opportunity_id").owner("agent")
                .stage("deal_stage").currency("USD").asOf(AS_OF).build();
        assertThatThrownBy(() -> m.read(csv(HEADER + "D1,Anna,,,Won,,,\n"))).isInstanceOfSatisfying(
                ValidationException.class, e -> {
                    assertThat(e.value()).isEqualTo("agent");
                    assertThat(e.expected()).contains("sales_agent");
                });
        assertThatThrownBy(() -> csv("a,b\n1,2\n3,4,5\n")).isInstanceOfSatisfying(ValidationException.class, e -> {
            assertThat(e.field()).isEqualTo("deals.csv");
            assertThat(e.value()).isEqualTo("line 3");
        });
        assertThatThrownBy(() -> csv("a,a\n1,2\n")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("a header naming each column once");
        assertThat(csv("a,b\n\"multi\nline\",2\n3,4\n")).extracting(Row::line).containsExactly(2L, 4L);
    }

    @Test
    void theOrgSkipsABlankLevelAndRejectsARowWithoutAManager() {
        OrgMapping m = OrgMapping.builder().manager("rep").unit("team", UnitKind.GROUP, "team:")
                .unit("office", UnitKind.of("OFFICE")).build();
        ImportReport<OrgStructure> report = m.read(List.of(Row.of(2, "rep", "ann", "team", "Red", "office", "North"),
                Row.of(3, "rep", "bob", "team", "", "office", "North"), Row.of(4, "rep", " ", "team", "Red",
                        "office", "North")));
        OrgStructure org = report.result();
        assertThat(org.membersOf(UnitId.of("office:North"))).extracting(ManagerId::value).containsExactly("ann", "bob");
        assertThat(org.directMembersOf(UnitId.of("office:North"))).containsExactly(ManagerId.of("bob"));
        assertThat(org.roots()).containsExactly(UnitId.of("office:North"));
        assertThat(m.unitId("team", "Red")).isEqualTo(UnitId.of("team:Red"));
        assertThat(report.rejections()).extracting(Rejection::source).containsExactly("rows line 4");
        assertThat(report.rejections().get(0).failures().get(0).field()).isEqualTo("rep");
    }

    @Test
    void aPlanGivenTwiceForANodeAndPeriodIsRejectedNamingTheFirstLine() {
        PlanMapping m = PlanMapping.builder(FiscalCalendar.calendarYear(ZoneOffset.UTC), PeriodType.QUARTER)
                .manager("rep").period("day").target("target").currency("EUR").build();
        ImportReport<List<SalesPlan>> report = m.read(List.of(Row.of(2, "rep", "ann", "day", "2017-01-01",
                "target", "100"), Row.of(3, "rep", "ann", "day", "2017-03-31", "target", "200"),
                Row.of(4, "rep", "bob", "day", "2017-04-01", "target", "-5"), Row.of(5, "rep", "cid", "day", "",
                        "target", "x")));
        assertThat(report.result()).extracting(p -> p.node().value()).containsExactly("ann");
        assertThat(report.rejections()).extracting(Rejection::source).containsExactly("rows line 3", "rows line 4",
                "rows line 5");
        assertThat(report.rejections().get(0).failures().get(0).expected()).contains("is on line 2");
        assertThat(report.rejections().get(1).failures().get(0).field()).isEqualTo("plan.target");
        assertThat(report.rejections().get(2).failures()).extracting(ValidationException::field)
                .containsExactly("day", "target");
    }

    @Test
    void aMappingNeedsItsRequiredColumnsAndAnAsOfInstant() {
        assertThatThrownBy(() -> OpportunityMapping.builder(PIPELINE).id("id").stage("s").currency("EUR").asOf(AS_OF)
                .build()).hasMessageContaining("mapping.owner");
        assertThatThrownBy(() -> OpportunityMapping.builder(PIPELINE).id("id").owner("o").stage("s").currency("EUR")
                .build()).hasMessageContaining("mapping.asOf");
        assertThatThrownBy(() -> OpportunityMapping.builder(PIPELINE).stageEnteredAt("PROSPECTING", "d"))
                .hasMessageContaining("an open stage after the first");
        assertThatThrownBy(() -> OpportunityMapping.builder(PIPELINE).stageValue("Signed", "SIGNED"))
                .isInstanceOf(ValidationException.class);
        assertThat(OpportunityId.of("x")).isNotNull();
    }
}
