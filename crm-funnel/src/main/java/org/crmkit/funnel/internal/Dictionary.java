package org.crmkit.funnel.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Interns values to dense int codes, so columns hold ints instead of references.
 *
 * @param <T> the value type
 */
public final class Dictionary<T> {
    private final Map<T, Integer> codes = new HashMap<>();
    private final List<T> values = new ArrayList<>();

    /**
     * The code of a value, assigning the next one when new.
     *
     * @param value the value, not null
     * @return its code
     */
    public int code(T value) {
        Integer c = codes.get(value);
        if (c == null) {
            c = values.size();
            codes.put(value, c);
            values.add(value);
        }
        return c;
    }

    /**
     * The code of a value without assigning one.
     *
     * @param value the value
     * @return its code, {@code -1} when unknown
     */
    public int find(T value) {
        Integer c = codes.get(value);
        return c == null ? -1 : c;
    }

    /**
     * The value of a code.
     *
     * @param code the code
     * @return the value
     */
    public T value(int code) {
        return values.get(code);
    }

    /**
     * The number of values.
     *
     * @return the size
     */
    public int size() {
        return values.size();
    }
}
