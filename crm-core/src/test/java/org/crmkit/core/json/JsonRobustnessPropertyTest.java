package org.crmkit.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.crmkit.core.RandomOpportunities;
import org.crmkit.core.ValidationException;
import org.junit.jupiter.api.Test;

/**
 * Damaged JSON is either read (when the damage happens to be valid) or refused with a
 * {@link ValidationException}; never with a NullPointerException or any other failure.
 */
class JsonRobustnessPropertyTest {
    private static final ObjectMapper RAW = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final JsonNode[] JUNK = {F.nullNode(), F.textNode(""), F.textNode(" "), F.textNode("x"),
        F.textNode("-1"), F.textNode("1e3"), F.numberNode(-1), F.numberNode(0), F.numberNode(101),
        F.numberNode(Long.MAX_VALUE), F.numberNode(1.5), F.booleanNode(true), F.arrayNode(), F.objectNode(),
        F.textNode("2026-02-30"), F.textNode("1970-01-01T00:00:00Z"), F.textNode("WON"), F.textNode("EUR"),
        F.arrayNode().add(F.nullNode())};

    /** Every container and leaf position of a tree, as (parent, key or index). */
    private record Slot(ContainerNode<?> parent, String field, int index) {
    }

    private static void collect(JsonNode node, List<Slot> out) {
        if (node instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                out.add(new Slot(o, e.getKey(), -1));
                collect(e.getValue(), out);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                out.add(new Slot(a, null, i));
                collect(a.get(i), out);
            }
        }
    }

    @Test
    void damagedOpportunitiesAreReadOrRefusedWithAValidationException() {
        qt().withExamples(400).forAll(RandomOpportunities.opportunities(), integers().between(0, 10_000),
                integers().between(0, JUNK.length)).checkAssert((opp, where, what) -> {
                    String damaged = damage(CrmJson.write(opp), where, what);
                    Throwable thrown = catchThrowable(() -> CrmJson.readOpportunity(damaged));
                    if (thrown != null) {
                        assertThat(thrown).as(damaged).isInstanceOf(ValidationException.class);
                    }
                });
    }

    @Test
    void damagedDatasetsAreReadOrRefusedWithAValidationException() {
        String json = CrmJson.write(CrmJsonTest.dataset());
        qt().withExamples(400).forAll(integers().between(0, 10_000), integers().between(0, JUNK.length))
                .checkAssert((where, what) -> {
                    String damaged = damage(json, where, what);
                    Throwable thrown = catchThrowable(() -> CrmJson.readDataset(damaged));
                    if (thrown != null) {
                        assertThat(thrown).as(damaged).isInstanceOf(ValidationException.class);
                    }
                });
    }

    /** Replaces one value of the JSON with junk, or removes it when {@code what} is past the junk. */
    private static String damage(String json, int where, int what) {
        JsonNode root = readTree(json);
        List<Slot> slots = new ArrayList<>();
        collect(root, slots);
        Slot slot = slots.get(where % slots.size());
        if (what == JUNK.length) {
            if (slot.parent() instanceof ObjectNode o) {
                o.remove(slot.field());
            } else {
                ((ArrayNode) slot.parent()).remove(slot.index());
            }
        } else if (slot.parent() instanceof ObjectNode o) {
            o.set(slot.field(), JUNK[what].deepCopy());
        } else {
            ((ArrayNode) slot.parent()).set(slot.index(), JUNK[what].deepCopy());
        }
        return root.toString();
    }

    private static JsonNode readTree(String json) {
        try {
            return RAW.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
