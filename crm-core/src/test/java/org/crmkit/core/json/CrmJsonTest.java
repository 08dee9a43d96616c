package org.crmkit.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.core.Fixtures.ALICE;
import static org.crmkit.core.Fixtures.CORP;
import static org.crmkit.core.Fixtures.T0;
import static org.crmkit.core.Fixtures.draft;
import static org.crmkit.core.Fixtures.eur;
import static org.crmkit.core.Fixtures.rejected;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneOffset;
import java.util.List;
import org.crmkit.core.Attitude;
import org.crmkit.core.ClientRef;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.Competitor;
import org.crmkit.core.ContactId;
import org.crmkit.core.Dataset;
import org.crmkit.core.DecisionRole;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.FieldChange;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.HistoryEntry;
import org.crmkit.core.HistoryKind;
import org.crmkit.core.Lead;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Participant;
import org.crmkit.core.PeriodType;
import org.crmkit.core.ProductLine;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.SalesProcesses;
import org.crmkit.core.StageTransition;
import org.crmkit.core.TrackedField;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;
import org.junit.jupiter.api.Test;

class CrmJsonTest {
    /** A mapper that knows nothing of crmkit, to look at the raw JSON. */
    private static final ObjectMapper RAW = new ObjectMapper();

    static Opportunity rich() {
        return draft()
                .budget(eur("15000"))
                .amount(eur("1250.50"))
                .tactic("Land with a pilot")
                .addCompetitor(new Competitor("Rival", "price", "support"))
                .addParticipant(new Participant(ContactId.of("p1"), "Pat", DecisionRole.ECONOMIC_BUYER, Attitude.SUPPORTER))
                .addLead(new Lead("lead-1", "Training for 40 team leads"))
                .addProductLine(new ProductLine("SKU-1", new BigDecimal("2.50"), eur("100.00"), new BigDecimal("12.5")))
                .addHistory(new HistoryEntry("h1", HistoryKind.PROPOSAL, T0.plusSeconds(3600), ALICE, "Offer", "v1"))
                .stage(SalesProcess.WON)
                .transitions(List.of(new StageTransition(null, SalesProcesses.QUALIFICATION, T0, ALICE),
                        new StageTransition(SalesProcesses.QUALIFICATION, SalesProcess.WON, T0.plusSeconds(7200),
                                ManagerId.of("bob"))))
                .completeStep("qualify-need").completeStep("closing-terms").completeStep("proposal-draft")
                .closeInfo(CloseInfo.won(LocalDate.of(2026, 3, 2), eur("1200.00"), "relationship")
                        .withHoursSpent(new BigDecimal("12.50")))
                .forecastCategory(ForecastCategory.CLOSED)
                .changes(List.of(FieldChange.historyStart(T0, ALICE),
                        FieldChange.of(TrackedField.AMOUNT, eur("1000.00"), eur("1250.50"), T0.plusSeconds(1800),
                                ManagerId.of("bob"))))
                .version(4)
                .build();
    }

    static Dataset dataset() {
        OrgStructure org = OrgStructure.builder().manager(ManagerId.of("alice"), "Alice").manager(ManagerId.of("bob"), "Bob")
                .unit(UnitId.of("company"), "Company", UnitKind.COMPANY).unit(UnitId.of("east"), "East", UnitKind.of("REGION"))
                .unit(UnitId.of("key"), "Key accounts", UnitKind.GROUP)
                .link(UnitId.of("east"), UnitId.of("company")).link(UnitId.of("key"), UnitId.of("east")).link(UnitId.of("key"), UnitId.of("company"))
                .member(ManagerId.of("alice"), UnitId.of("key")).member(ManagerId.of("alice"), UnitId.of("east")).member(ManagerId.of("bob"), UnitId.of("east")).build();
        FiscalCalendar cal = FiscalCalendar.of(Month.APRIL, ZoneOffset.UTC);
        List<SalesPlan> plans = List.of(
                new SalesPlan(UnitId.of("east"), cal.periodOf(PeriodType.QUARTER, LocalDate.of(2026, 4, 1)),
                        eur("50000.00")),
                new SalesPlan(ALICE, cal.periodOf(PeriodType.YEAR, LocalDate.of(2026, 4, 1)),
                        Amounts.of("1200000", "JPY")));
        return new Dataset(List.of(CORP), org, plans, List.of(rich(), draft().id("opp-2").build()));
    }

    private static ObjectNode tree(Object value) throws Exception {
        return (ObjectNode) RAW.readTree(CrmJson.write(value));
    }

    @Test
    void moneyIsAnAmountStringWithTheCurrencyAtItsMinorUnit() throws Exception {
        JsonNode json = tree(rich());
        assertThat(json.get("amount").toString()).isEqualTo("{\"amount\":\"1250.50\",\"currency\":\"EUR\"}");
        assertThat(json.get("budget").get("amount").textValue()).isEqualTo("15000.00");
        assertThat(json.at("/productLines/0/unitPrice/amount").textValue()).isEqualTo("100.00");
        assertThat(json.at("/closeInfo/actualRevenue/amount").textValue()).isEqualTo("1200.00");
        assertThat(tree(draft().currency("JPY").amount(Amounts.of("1000", "JPY")).build()).at("/amount/amount")
                .textValue()).isEqualTo("1000");
        assertThat(tree(draft().currency("KWD").amount(Amounts.of("1.2", "KWD")).build()).at("/amount/amount")
                .textValue()).isEqualTo("1.200");
    }

    @Test
    void otherDecimalsKeepTheirExactScale() throws Exception {
        JsonNode json = tree(rich());
        assertThat(json.at("/productLines/0/quantity").textValue()).isEqualTo("2.50");
        assertThat(json.at("/productLines/0/discountPercent").textValue()).isEqualTo("12.5");
        assertThat(json.at("/closeInfo/hoursSpent").textValue()).isEqualTo("12.50");
        assertThat(CrmJson.readOpportunity(CrmJson.write(rich())).productLines().get(0).quantity())
                .isEqualTo(new BigDecimal("2.50"));
    }

    @Test
    void idsAreStringsTimesAreIso8601AndEmptyOptionalsAreNull() throws Exception {
        JsonNode json = tree(draft().build());
        assertThat(json.get("id").textValue()).isEqualTo("opp-1");
        assertThat(json.get("owner").textValue()).isEqualTo("alice");
        assertThat(json.get("processId").textValue()).isEqualTo("corporate-sales");
        assertThat(json.get("client").toString()).isEqualTo("{\"id\":\"acme\",\"kind\":\"ACCOUNT\",\"name\":\"ACME Corp\"}");
        assertThat(json.get("createdAt").textValue()).isEqualTo("2026-03-02T10:00:00Z");
        assertThat(json.get("expectedCloseDate").textValue()).isEqualTo("2026-06-30");
        assertThat(json.get("status").textValue()).isEqualTo("OPEN");
        assertThat(json.get("budget").isNull()).isTrue();
        assertThat(json.get("closeInfo").isNull()).isTrue();
        assertThat(json.get("forecastCategory").isNull()).isTrue();
        assertThat(json.at("/transitions/0/from").isNull()).isTrue();
        assertThat(json.get("version").intValue()).isZero();
        assertThat(tree(rich()).get("completedSteps").toString())
                .isEqualTo("[\"closing-terms\",\"proposal-draft\",\"qualify-need\"]");
        assertThat(json.get("changes").toString()).isEqualTo("[]");
    }

    @Test
    void fieldChangesAreWrittenWithTheirValuesAsTextAndAFileWithoutThemReadsWithNone() throws Exception {
        assertThat(tree(rich()).get("changes").toString()).isEqualTo("[{\"field\":\"HISTORY_START\",\"from\":null,"
                + "\"to\":null,\"at\":\"2026-03-02T10:00:00Z\",\"by\":\"alice\"},{\"field\":\"AMOUNT\","
                + "\"from\":\"EUR 1000.00\",\"to\":\"EUR 1250.50\",\"at\":\"2026-03-02T10:30:00Z\",\"by\":\"bob\"}]");
        Opportunity read = CrmJson.readOpportunity(with(rich(), "/changes", null));
        assertThat(read.changes()).isEmpty();
        assertThat(read).isEqualTo(rich().toBuilder().changes(List.of()).build());
        // a change that does not end at the current value is the model's error, named
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/changes/1/to", text("EUR 1300.00"))), "amount", "EUR 1250.50");
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/changes/1/field", text("COLOUR"))), "changes[1].field", "COLOUR");
    }

    @Test
    void plansWriteTheirOrgNodeByKey() throws Exception {
        JsonNode json = tree(dataset());
        assertThat(json.get("formatVersion").intValue()).isEqualTo(1);
        assertThat(json.at("/plans/0/node").textValue()).isEqualTo("unit:east");
        assertThat(json.at("/plans/1/node").textValue()).isEqualTo("manager:alice");
        assertThat(json.at("/plans/0/period").toString()).isEqualTo(
                "{\"type\":\"QUARTER\",\"start\":\"2026-04-01\",\"end\":\"2026-07-01\",\"label\":\"FY2027 Q1\"}");
        assertThat(json.at("/orgStructure/unitLinks/1").toString()).isEqualTo("{\"child\":\"key\",\"parent\":\"east\"}");
        assertThat(json.at("/orgStructure/memberships/0").toString())
                .isEqualTo("{\"manager\":\"alice\",\"unit\":\"key\"}");
        assertThat(CrmJson.write(UnitId.of("east"))).isEqualTo("\"east\"");
        assertThat(CrmJson.write(Amounts.currency("JPY"))).isEqualTo("\"JPY\"");
        assertThat(CrmJson.read("\"JPY\"", javax.money.CurrencyUnit.class)).isEqualTo(Amounts.currency("JPY"));
        rejected(() -> CrmJson.read("\"XYZ\"", javax.money.CurrencyUnit.class), "currency", "XYZ");
        assertThat(CrmJson.read("\"unit:east\"", org.crmkit.core.OrgNodeId.class)).isEqualTo(UnitId.of("east"));
    }

    @Test
    void everyPartRoundTrips() {
        Dataset d = dataset();
        assertThat(CrmJson.readDataset(CrmJson.write(d))).isEqualTo(d);
        assertThat(CrmJson.readDataset(CrmJson.writePretty(d))).isEqualTo(d);
        assertThat(CrmJson.readOpportunity(CrmJson.write(rich()))).isEqualTo(rich());
        assertThat(CrmJson.readSalesProcess(CrmJson.write(CORP))).isEqualTo(CORP);
        assertThat(CrmJson.readOrgStructure(CrmJson.write(d.orgStructure()))).isEqualTo(d.orgStructure());
        assertThat(CrmJson.readSalesPlan(CrmJson.write(d.plans().get(1)))).isEqualTo(d.plans().get(1));
        assertThat(CrmJson.read(CrmJson.write(eur("3.10")), javax.money.MonetaryAmount.class)).isEqualTo(eur("3.1"));
        Opportunity[] array = CrmJson.read(CrmJson.write(List.of(rich(), draft().build())), Opportunity[].class);
        assertThat(array).containsExactly(rich(), draft().build());
    }

    @Test
    void datasetsStreamThroughByteStreams() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CrmJson.writeDataset(dataset(), out);
        assertThat(CrmJson.readDataset(new ByteArrayInputStream(out.toByteArray()))).isEqualTo(dataset());
    }

    @Test
    void aHandWrittenMinimalOpportunityIsRead() {
        String json = """
                {"id":"o9","title":"Pilot","client":{"id":"c1","kind":"CONTACT","name":"Dana"},"owner":"alice",
                 "processId":"corporate-sales","stage":"QUALIFICATION","probability":10,
                 "amount":{"amount":"99.9","currency":"CHF"},"createdAt":"2026-03-02T10:00:00Z",
                 "expectedCloseDate":"2026-04-30"}
                """;
        Opportunity opp = CrmJson.readOpportunity(json);
        assertThat(opp.currency().getCurrencyCode()).isEqualTo("CHF");
        assertThat(opp.amount()).contains(Amounts.of("99.90", "CHF"));
        assertThat(opp.client()).contains(ClientRef.contact("c1", "Dana"));
        assertThat(opp.version()).isZero();
        assertThat(opp.transitions()).hasSize(1);
        assertThat(opp.completedSteps()).isEmpty();
    }

    // ---- bad input -----------------------------------------------------------------------

    private static String with(Object value, String pointer, JsonNode replacement) throws Exception {
        ObjectNode root = tree(value);
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = root.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1);
        if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(last), replacement);
        } else if (replacement == null) {
            ((ObjectNode) parent).remove(last);
        } else {
            ((ObjectNode) parent).set(last, replacement);
        }
        return RAW.writeValueAsString(root);
    }

    private static JsonNode text(String s) {
        return RAW.getNodeFactory().textNode(s);
    }

    @Test
    void aMalformedAmountIsAValidationError() throws Exception {
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/amount/amount", text("12,50"))), "amount.amount", "12,50");
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/productLines/0/unitPrice/amount", text("ten"))),
                "productLines[0].unitPrice.amount", "ten");
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/amount/amount", RAW.getNodeFactory().booleanNode(true))),
                "amount.amount", "true");
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/amount/amount", null)), "amount.amount", "missing");
    }

    @Test
    void anUnknownCurrencyIsAValidationError() throws Exception {
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/currency", text("XYZ"))), "currency", "XYZ");
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/budget/currency", text("EURO"))), "budget.currency",
                "EURO");
    }

    @Test
    void modelRulesComeOutAsTheModelsValidationException() throws Exception {
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/probability", RAW.getNodeFactory().numberNode(150))),
                "probability", "150");
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/closeInfo/closeDate", text("2026-02-01"))),
                "close.closeDate", "2026-02-01");
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/expectedCloseDate", text("2026-02-01"))),
                "expectedCloseDate", "2026-02-01");
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/amount/currency", text("USD"))), "amount.currency", "USD");
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/closeInfo", null)), "closeInfo", "null");
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/transitions/1/from", text("CLOSING"))),
                "transitions[1].from", "CLOSING");
    }

    @Test
    void anUnknownStageIsRejectedWhenReadingADataset() throws Exception {
        ObjectNode root = (ObjectNode) RAW.readTree(with(dataset(), "/opportunities/1/stage", text("NEGOTIATION")));
        ((ObjectNode) root.at("/opportunities/1")).set("transitions", RAW.readTree(
                "[{\"from\":null,\"to\":\"NEGOTIATION\",\"at\":\"2026-03-02T10:00:00Z\",\"by\":\"alice\"}]"));
        // The opportunity alone is valid; only its process knows the stage does not exist.
        assertThat(CrmJson.readOpportunity(RAW.writeValueAsString(root.at("/opportunities/1"))).stage())
                .isEqualTo("NEGOTIATION");
        rejected(() -> CrmJson.readDataset(RAW.writeValueAsString(root)), "opportunities[1].stage", "NEGOTIATION");
        rejected(() -> CrmJson.readDataset(with(dataset(), "/opportunities/0/completedSteps/0", text("ghost"))),
                "opportunities[0].step", "ghost");
    }

    @Test
    void datasetLevelRulesNameThePath() throws Exception {
        rejected(() -> CrmJson.readDataset(with(dataset(), "/opportunities/1/processId", text("other"))),
                "opportunities[1].processId", "other");
        rejected(() -> CrmJson.readDataset(with(dataset(), "/opportunities/1/id", text("opp-1"))),
                "opportunities[1].id", "opp-1");
        rejected(() -> CrmJson.readDataset(with(dataset(), "/formatVersion", RAW.getNodeFactory().numberNode(2))),
                "formatVersion", "2");
        ObjectNode root = tree(dataset());
        ((ArrayNode) root.get("processes")).add(root.get("processes").get(0).deepCopy());
        rejected(() -> CrmJson.readDataset(RAW.writeValueAsString(root)), "processes[1].id", "corporate-sales");
        rejected(() -> CrmJson.readDataset(with(dataset(), "/plans/0/node", text("team:east"))), "plans[0].node",
                "team:east");
    }

    @Test
    void modelErrorsInADatasetNameWhichValueFailed() throws Exception {
        assertThatThrownBy(() -> CrmJson.readDataset(with(dataset(), "/opportunities/1/probability",
                RAW.getNodeFactory().numberNode(150)))).isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("opportunities[1].probability");
                    assertThat(e.value()).isEqualTo("150");
                    assertThat(e.expected()).isEqualTo("between 0 and 100");
                    assertThat(e.getCause()).isInstanceOfSatisfying(ValidationException.class,
                            cause -> assertThat(cause.field()).isEqualTo("probability"));
                });
        rejected(() -> CrmJson.readDataset(with(dataset(), "/plans/0/target/amount", text("-5.00"))),
                "plans[0].plan.target", "EUR -5");
        rejected(() -> CrmJson.readDataset(with(dataset(), "/processes/0/stages/1/code", text("QUALIFICATION"))),
                "processes[0].stage.code", "QUALIFICATION");
        rejected(() -> CrmJson.readDataset(with(dataset(), "/opportunities/0/amount/amount", text("x"))),
                "opportunities[0].amount.amount", "x");
    }

    @Test
    void aCycleInTheOrgStructureIsRejected() throws Exception {
        ObjectNode root = tree(dataset());
        ((ArrayNode) root.at("/orgStructure/unitLinks")).add(RAW.readTree("{\"child\":\"company\",\"parent\":\"key\"}"));
        assertThatThrownBy(() -> CrmJson.readDataset(RAW.writeValueAsString(root)))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("orgStructure.unitLinks"));
    }

    @Test
    void unknownPropertiesAreRejectedNotDropped() throws Exception {
        ObjectNode root = tree(rich());
        root.set("titel", text("Typo"));
        rejected(() -> CrmJson.readOpportunity(RAW.writeValueAsString(root)), "titel", "Typo");
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/client/nmae", text("x"))), "client.nmae", "x");
        rejected(() -> CrmJson.readDataset(with(dataset(), "/orgStructure/managers/0/email", text("a@b"))),
                "orgStructure.managers[0].email", "a@b");
        rejected(() -> CrmJson.readSalesProcess(with(CORP, "/stages/0/steps/0/optional", text("yes"))),
                "stages[0].steps[0].optional", "yes");
    }

    @Test
    void valuesOfTheWrongTypeAreNamed() throws Exception {
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/probability", text("high"))), "probability", "high");
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/probability", RAW.getNodeFactory().numberNode(10.5))),
                "probability", "10.5");
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/createdAt", text("yesterday"))), "createdAt",
                "yesterday");
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/expectedCloseDate", text("30/06/2026"))),
                "expectedCloseDate", "30/06/2026");
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/participants/0/role", text("BOSS"))),
                "participants[0].role", "BOSS");
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/competitors", text("Rival"))), "competitors", "Rival");
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/leads/0", RAW.getNodeFactory().nullNode())), "leads[0]",
                "null");
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/status", text("LOST"))), "status", "LOST");
    }

    @Test
    void absurdDecimalsAreRefusedBeforeTheyCostTime() throws Exception {
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/amount/amount", text("1e999999999"))), "amount.amount",
                "1e999999999");
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/productLines/0/quantity", text("1".repeat(101)))),
                "productLines[0].quantity", "1".repeat(77) + "...");
        rejected(() -> CrmJson.readOpportunity(with(rich(), "/amount/amount", text("1e+25"))), "amount",
                "EUR 10000000000000000000000000");
    }

    @Test
    void theLargestUnitPriceIsWrittenExactlyAndALargerOneIsRefused() throws Exception {
        Opportunity opp = draft().addProductLine(new ProductLine("SKU", BigDecimal.ONE,
                Amounts.of(new BigDecimal("1E+25"), Amounts.currency("EUR")), null)).build();
        String written = tree(opp).at("/productLines/0/unitPrice/amount").textValue();
        assertThat(new BigDecimal(written)).isEqualByComparingTo("1E+25");
        assertThat(CrmJson.readOpportunity(CrmJson.write(opp))).isEqualTo(opp);
        // 27 integer digits do not fit NUMERIC(38, 12): refused by the model, not by a store
        String tooLarge = CrmJson.write(opp).replace("\"" + written + "\"", "\"1E+26\"");
        rejected(() -> CrmJson.readOpportunity(tooLarge), "productLine.unitPrice",
                "100000000000000000000000000");
    }

    @Test
    void exactNumbersAreAcceptedForDecimals() throws Exception {
        Opportunity opp = CrmJson.readOpportunity(with(rich(), "/amount/amount", RAW.readTree("1250.50")));
        assertThat(opp.amount()).contains(eur("1250.50"));
    }

    @Test
    void malformedJsonIsAValidationErrorOnTheFieldJson() {
        assertThatThrownBy(() -> CrmJson.readOpportunity("{\"id\":")).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.field()).isEqualTo("json"));
        assertThatThrownBy(() -> CrmJson.readOpportunity("")).isInstanceOf(ValidationException.class);
        rejected(() -> CrmJson.readOpportunity("null"), "json", "null");
        rejected(() -> CrmJson.readOpportunity("[]"), "json", "[]");
        assertThatThrownBy(() -> CrmJson.readOpportunity(CrmJson.write(rich()) + " {}"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("json"));
        assertThatThrownBy(() -> CrmJson.readSalesPlan("{\"node\":\"unit:a\",\"node\":\"unit:b\"}"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("json"));
    }

    @Test
    void errorsInsideJacksonsOwnContainersAreUnwrapped() throws Exception {
        String list = "[" + CrmJson.write(draft().build()) + "," + with(rich(), "/probability",
                RAW.getNodeFactory().numberNode(101)) + "]";
        rejected(() -> CrmJson.read(list, Opportunity[].class), "probability", "101");
    }

    @Test
    void theModuleWorksOnAnyMapper() throws Exception {
        ObjectMapper mapper = new ObjectMapper().registerModule(new CrmJacksonModule());
        assertThat(mapper.readValue(mapper.writeValueAsString(rich()), Opportunity.class)).isEqualTo(rich());
        assertThat(CrmJson.newMapper()).isNotSameAs(CrmJson.newMapper());
    }
}
