package org.crmkit.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

class CsvBufferTest {
    /** The CSV PostgreSQL reads, built the obvious way through strings. */
    private static String reference(List<Object[]> rows) {
        StringBuilder out = new StringBuilder();
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                Object v = row[i];
                if (v instanceof String s) {
                    out.append('"').append(s.replace("\"", "\"\"")).append('"');
                } else if (v instanceof BigDecimal d) {
                    out.append(d.toPlainString());
                } else if (v != null) {
                    out.append(v);
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static byte[] encoded(List<Object[]> rows, int capacity) {
        CsvBuffer buf = new CsvBuffer(capacity);
        rows.forEach(buf::row);
        return Arrays.copyOf(buf.bytes(), buf.length());
    }

    private static Gen<Object> values() {
        Gen<Object> text = SourceDSL.strings().betweenCodePoints(0, 0x1F600).ofLengthBetween(0, 40).map(s -> s);
        Gen<Object> tricky = Generate.pick(List.<Object>of("", "\"", "a,b", "line\nbreak\r\n", "\\.", "Zoë \"Ω\" 😀",
                "null", "\\N"));
        Gen<Object> longs = Generate.pick(List.<Object>of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 10L))
                .mix(SourceDSL.longs().all().map(l -> l), 80);
        Gen<Object> ints = SourceDSL.integers().all().map(i -> i);
        Gen<Object> dates = SourceDSL.integers().between(-1_000_000, 3_000_000).map(d -> LocalDate.ofEpochDay(d));
        Gen<Object> decimals = SourceDSL.longs().all().zip(SourceDSL.integers().between(-3, 14),
                (u, s) -> BigDecimal.valueOf(u, s));
        Gen<Object> nulls = Generate.constant((Object) null);
        Gen<Object> flags = SourceDSL.booleans().all().map(b -> b);
        return text.mix(tricky, 30).mix(longs, 50).mix(ints, 30).mix(dates, 30).mix(decimals, 20).mix(nulls, 15)
                .mix(flags, 5);
    }

    @Test
    void encodesEveryValueExactlyAsTheStringBuiltCsv() {
        Gen<Object[]> rows = SourceDSL.lists().of(values()).ofSizeBetween(1, 12).map((List<Object> l) -> l.toArray());
        qt().withExamples(500).forAll(SourceDSL.lists().of(rows).ofSizeBetween(1, 20), SourceDSL.integers()
                .between(1, 300)).checkAssert((batch, capacity) -> assertThat(encoded(batch, capacity))
                        .isEqualTo(reference(batch).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void keepsOnlyTheRowsWrittenAfterClear() {
        CsvBuffer buf = new CsvBuffer(8);
        buf.row(new Object[] {"first", 1L});
        buf.clear();
        buf.row(new Object[] {null, "x\"y", LocalDate.of(2026, 2, 3)});

        assertThat(new String(buf.bytes(), 0, buf.length(), StandardCharsets.UTF_8))
                .isEqualTo(",\"x\"\"y\",2026-02-03\n");
    }
}
