package org.crmkit.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;

/**
 * A JSON object being read: typed accessors that name the JSON path of a bad value in the
 * {@link ValidationException}. A missing property and an explicit {@code null} mean the same.
 */
final class JsonIn {
    private final JsonNode node;
    private final String path;

    private JsonIn(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** Functions that read one value at a path. */
    @FunctionalInterface
    interface Reader<T> {
        T read(JsonNode node, String path);
    }

    /**
     * Opens an object and rejects properties other than the allowed ones.
     */
    static JsonIn object(JsonNode node, String path, String... allowed) {
        if (node == null || !node.isObject()) {
            throw new ValidationException(path.isEmpty() ? "json" : path, describe(node), "a JSON object");
        }
        Set<String> known = Set.of(allowed);
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new ValidationException(join(path, name), describe(node.get(name)),
                        "a known property, one of " + new TreeSet<>(known));
            }
        }
        return new JsonIn(node, path);
    }

    static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    static String describe(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "missing";
        }
        String text = value.isTextual() ? value.textValue() : value.toString();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    String path() {
        return path;
    }

    String field(String name) {
        return join(path, name);
    }

    boolean has(String name) {
        return get(name) != null;
    }

    JsonNode get(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    private ValidationException bad(String name, JsonNode value, String expected) {
        return new ValidationException(field(name), describe(value), expected);
    }

    String text(String name) {
        JsonNode v = get(name);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw bad(name, v, "text");
        }
        return v.textValue();
    }

    Integer integer(String name) {
        JsonNode v = get(name);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw bad(name, v, "a whole number");
        }
        return v.intValue();
    }

    int requiredInt(String name) {
        Integer v = integer(name);
        if (v == null) {
            throw bad(name, null, "a whole number");
        }
        return v;
    }

    Long longValue(String name) {
        JsonNode v = get(name);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw bad(name, v, "a whole number");
        }
        return v.longValue();
    }

    boolean bool(String name, boolean ifMissing) {
        JsonNode v = get(name);
        if (v == null) {
            return ifMissing;
        }
        if (!v.isBoolean()) {
            throw bad(name, v, "true or false");
        }
        return v.booleanValue();
    }

    /** Longer decimal texts are refused: parsing one costs time that grows with its length. */
    private static final int MAX_DECIMAL_TEXT = 100;
    /** Scales beyond this are refused: expanding such a number to plain digits would not end. */
    private static final int MAX_SCALE = 1000;

    BigDecimal decimal(String name) {
        JsonNode v = get(name);
        if (v == null) {
            return null;
        }
        BigDecimal d;
        // A binary floating-point number cannot be trusted to be the decimal the writer meant.
        if (v.isIntegralNumber() || v.isBigDecimal()) {
            d = v.decimalValue();
        } else if (v.isTextual() && v.textValue().length() <= MAX_DECIMAL_TEXT) {
            try {
                d = new BigDecimal(v.textValue());
            } catch (NumberFormatException e) {
                throw bad(name, v, "a decimal number as text, e.g. \"1250.50\"");
            }
        } else {
            throw bad(name, v, "a decimal number as text, e.g. \"1250.50\"");
        }
        if (Math.abs(d.scale()) > MAX_SCALE) {
            throw bad(name, v, "a decimal number with at most " + MAX_SCALE + " digits around the point");
        }
        return d;
    }

    Instant instant(String name) {
        String t = text(name);
        if (t == null) {
            return null;
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeException e) {
            throw bad(name, get(name), "an ISO-8601 instant, e.g. \"2026-03-01T09:30:00Z\"");
        }
    }

    LocalDate date(String name) {
        String t = text(name);
        if (t == null) {
            return null;
        }
        try {
            return LocalDate.parse(t);
        } catch (DateTimeException e) {
            throw bad(name, get(name), "an ISO-8601 date, e.g. \"2026-03-31\"");
        }
    }

    <E extends Enum<E>> E enumValue(String name, Class<E> type) {
        String t = text(name);
        if (t == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, t);
        } catch (IllegalArgumentException e) {
            throw bad(name, get(name), "one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    CurrencyUnit currency(String name) {
        String t = text(name);
        if (t == null) {
            return null;
        }
        try {
            return Amounts.currency(t);
        } catch (ValidationException e) {
            throw bad(name, get(name), "an ISO-4217 currency code");
        }
    }

    MonetaryAmount money(String name) {
        JsonNode v = get(name);
        return v == null ? null : readMoney(v, field(name));
    }

    static MonetaryAmount readMoney(JsonNode v, String path) {
        JsonIn m = object(v, path, "amount", "currency");
        BigDecimal amount = m.decimal("amount");
        if (amount == null) {
            throw m.bad("amount", null, "a decimal number as text, e.g. \"1250.50\"");
        }
        CurrencyUnit currency = m.currency("currency");
        if (currency == null) {
            throw m.bad("currency", null, "an ISO-4217 currency code");
        }
        return Amounts.of(amount, currency);
    }

    JsonIn object(String name, String... allowed) {
        JsonNode v = get(name);
        return v == null ? null : object(v, field(name), allowed);
    }

    <T> T value(String name, Reader<T> reader) {
        JsonNode v = get(name);
        return v == null ? null : reader.read(v, field(name));
    }

    <T> List<T> list(String name, Reader<T> reader) {
        JsonNode v = get(name);
        if (v == null) {
            return Collections.emptyList();
        }
        if (!v.isArray()) {
            throw bad(name, v, "a JSON array");
        }
        List<T> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            String at = field(name) + "[" + i + "]";
            JsonNode element = v.get(i);
            if (element == null || element.isNull()) {
                throw new ValidationException(at, "null", "a value");
            }
            out.add(reader.read(element, at));
        }
        return out;
    }

    List<String> texts(String name) {
        return list(name, (n, at) -> {
            if (!n.isTextual()) {
                throw new ValidationException(at, describe(n), "text");
            }
            return n.textValue();
        });
    }
}
