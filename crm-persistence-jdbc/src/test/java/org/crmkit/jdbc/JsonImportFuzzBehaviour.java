package org.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.crmkit.core.Dataset;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.ManagerId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.PeriodType;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.StoreLimits;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.ValidationException;
import org.crmkit.core.json.CrmJson;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.spi.CrmStorage;
import org.crmkit.testkit.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * Whatever the JSON reader accepts, every store imports whole; whatever it refuses, it refuses
 * with a {@link ValidationException}. Documents are a valid dataset with one to three values
 * replaced by values at and beyond the store limits (long keys and texts, NUL, lone
 * surrogates, emoji in ids, huge and over-precise numbers, dates outside the stored range),
 * from a fixed seed ({@code -Dfuzz.seed}, {@code -Dfuzz.documents}), so a failure reproduces.
 * Before the limits were enforced at the door, 72 of 72 such failures on H2 and 40 of 40 on
 * PostgreSQL happened midway through an import and left the store changed.
 */
abstract class JsonImportFuzzBehaviour {
    private static final ObjectMapper RAW = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final long SEED = Long.getLong("fuzz.seed", 20261202L);

    /** A fresh, empty store. */
    abstract CrmStorage freshStore();

    /** How many documents to try on this store (each accepted one costs a fresh store). */
    int documents() {
        return Integer.getInteger("fuzz.documents", 200);
    }

    private static final JsonNode[] TEXTS = {
        F.textNode("k".repeat(StoreLimits.MAX_KEY_LENGTH)), F.textNode("k".repeat(StoreLimits.MAX_KEY_LENGTH + 1)),
        F.textNode("x".repeat(StoreLimits.MAX_TEXT_LENGTH)), F.textNode("x".repeat(StoreLimits.MAX_TEXT_LENGTH + 1)),
        F.textNode("nul\u0000inside"), F.textNode("lone\uD800surrogate"), F.textNode("tail\uDC00"),
        F.textNode("emoji \uD83D\uDE80"), F.textNode("\uFFFD\uE000\u6771"), F.textNode(""), F.textNode(" "),
        F.textNode("WON"), F.textNode("LOST"), F.textNode("'; DROP TABLE crm_opportunity; --"),
    };
    private static final JsonNode[] NUMBERS = {
        F.textNode("9223372036854.77"), F.textNode("9223372036854.78"), F.textNode("92233720368547758.07"),
        F.textNode("1E+25"), F.textNode("1E+26"), F.textNode("0.000000000001"), F.textNode("0.0000000000001"),
        F.textNode("-0.01"), F.textNode("0"), F.textNode("99999999999999999999999999.999999999999"),
        F.textNode("1.0000000000000"),
    };
    private static final JsonNode[] DATES = {
        F.textNode("1900-01-01"), F.textNode("1899-12-31"), F.textNode("2199-12-31"), F.textNode("2200-01-01"),
        F.textNode("+10000-01-01"), F.textNode("0000-01-01"), F.textNode("2026-02-30"),
    };
    private static final JsonNode[] INSTANTS = {
        F.textNode("1900-01-01T00:00:00Z"), F.textNode("1899-12-31T23:59:59.999999999Z"),
        F.textNode("2199-12-31T23:59:59.999999999Z"), F.textNode("2200-01-01T00:00:00Z"),
        F.textNode("-1000000000-01-01T00:00:00Z"), F.textNode("+1000000000-12-31T23:59:59.999999999Z"),
    };
    private static final JsonNode[] OTHERS = {
        F.numberNode(Long.MAX_VALUE), F.numberNode(-1), F.numberNode(0), F.numberNode(100), F.numberNode(101),
        F.nullNode(), F.textNode("EUR"), F.textNode("JPY"), F.textNode("EURO"), F.booleanNode(true),
    };

    /** An edge value for a slot: mostly of the kind the slot holds, so some damage is accepted. */
    private static JsonNode edgeFor(JsonNode current, Random random) {
        JsonNode[] kind;
        String text = current.isTextual() ? current.textValue() : "";
        if (random.nextInt(5) == 0 || !current.isTextual()) {
            kind = random.nextBoolean() ? OTHERS : TEXTS;
        } else if (text.matches("-?\\d+(\\.\\d+)?(E[+-]?\\d+)?")) {
            kind = NUMBERS;
        } else if (text.matches("\\d{4}-\\d{2}-\\d{2}")) {
            kind = DATES;
        } else if (text.matches("\\d{4}-\\d{2}-\\d{2}T.*")) {
            kind = INSTANTS;
        } else {
            kind = TEXTS;
        }
        return kind[random.nextInt(kind.length)].deepCopy();
    }

    private static Dataset base() {
        OrgStructure org = OrgStructure.builder().manager(ManagerId.of(Fixtures.OWNER.value()), "Anna")
                .manager(ManagerId.of(Fixtures.COLLEAGUE.value()), "Boris").unit(UnitId.of("sales"), "Sales", UnitKind.DEPARTMENT)
                .member(ManagerId.of(Fixtures.OWNER.value()), UnitId.of("sales")).member(ManagerId.of(Fixtures.COLLEAGUE.value()), UnitId.of("sales")).build();
        FiscalCalendar cal = FiscalCalendar.calendarYear(ZoneOffset.UTC);
        List<SalesPlan> plans = List.of(
                new SalesPlan(UnitId.of("sales"), cal.periodOf(PeriodType.QUARTER, LocalDate.of(2026, 1, 1)),
                        Amounts.of("150000.00", "EUR")),
                new SalesPlan(ManagerId.of(Fixtures.OWNER.value()),
                        cal.periodOf(PeriodType.MONTH, LocalDate.of(2026, 2, 1)), Amounts.of("50000.00", "EUR")));
        return new Dataset(List.of(Fixtures.process()), org, plans, List.of(Fixtures.fullyPopulatedWon("won"),
                Fixtures.fullyPopulatedLost("lost"), Fixtures.fullyPopulatedOpen("open"), Fixtures.minimal("min")));
    }

    @Test
    void everyDatasetTheReaderAcceptsImportsWholeAndEveryOtherIsAValidationException() {
        String json = CrmJson.write(base());
        Random random = new Random(SEED);
        int accepted = 0;
        int refused = 0;
        for (int d = 0; d < documents(); d++) {
            JsonNode root = readTree(json);
            List<Slot> slots = new ArrayList<>();
            collect(root, slots);
            int mutations = random.nextInt(10) < 6 ? 1 : 2 + random.nextInt(2);
            for (int m = 0; m < mutations; m++) {
                Slot slot = slots.get(random.nextInt(slots.size()));
                slot.set(edgeFor(slot.get(), random));
            }
            String damaged = root.toString();
            Dataset read;
            try {
                read = CrmJson.readDataset(damaged);
            } catch (RuntimeException e) {
                assertThat(e).as("document %d (seed %d)", d, SEED).isInstanceOf(ValidationException.class);
                refused++;
                continue;
            }
            accepted++;
            try (CrmStorage store = freshStore()) {
                Throwable failure = catchThrowable(() -> store.importDataset(read));
                assertThat(failure).as("import of accepted document %d (seed %d)", d, SEED).isNull();
                assertThat(store.exportDataset()).as("document %d", d).isEqualTo(withStoredVersions(read));
            }
        }
        System.out.println("json import fuzz on " + getClass().getSimpleName() + ": " + documents()
                + " documents (seed " + SEED + "), " + accepted + " accepted and imported whole, " + refused
                + " refused with a ValidationException");
        assertThat(accepted).as("documents accepted").isPositive();
        assertThat(refused).as("documents refused").isPositive();
    }

    private static Dataset withStoredVersions(Dataset d) {
        return new Dataset(d.processes().stream().sorted(java.util.Comparator.comparing(p -> p.id())).toList(),
                d.orgStructure(),
                d.plans().stream().sorted(java.util.Comparator.comparing((SalesPlan p) -> p.node().key())
                        .thenComparing(p -> p.period().start())).toList(),
                d.opportunities().stream().map(o -> o.version() == 0 ? o.toBuilder().version(1).build() : o)
                        .sorted(java.util.Comparator.comparing(o -> o.id())).toList());
    }

    /** A position in a JSON tree: a field of an object or an element of an array. */
    private record Slot(ContainerNode<?> parent, String field, int index) {
        JsonNode get() {
            return parent instanceof ObjectNode o ? o.get(field) : ((ArrayNode) parent).get(index);
        }

        void set(JsonNode value) {
            if (parent instanceof ObjectNode o) {
                o.set(field, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }
    }

    private static void collect(JsonNode node, List<Slot> out) {
        if (node instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                if (e.getValue().isValueNode()) {
                    out.add(new Slot(o, e.getKey(), -1));
                }
                collect(e.getValue(), out);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isValueNode()) {
                    out.add(new Slot(a, null, i));
                }
                collect(a.get(i), out);
            }
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return RAW.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
