package org.crmkit.jdbc.internal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.List;

/**
 * The fingerprint of an opportunity's own content (everything but its version and the columns
 * derived from its process), kept in {@code content_hi}/{@code content_lo} so an upsert can tell
 * an unchanged opportunity from a changed one without reading its child rows back.
 *
 * <p>Why SHA-256, of which 128 bits are kept: an upsert that takes a changed opportunity for an
 * unchanged one silently drops the change, so a collision must be out of reach, not just rare
 * (a 64-bit hash would be about 5e-20 per comparison; 128 bits about 3e-39). The input is the
 * same values the store writes, each tagged with its type and length, so two different row sets
 * never encode to the same bytes.
 */
final class ContentHash {
    private static final ThreadLocal<MessageDigest> SHA = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // every Java platform must provide SHA-256 (MessageDigest's javadoc)
            throw new IllegalStateException(e);
        }
    });

    private final MessageDigest digest = SHA.get();
    private byte[] buffer = new byte[512];
    private int size;

    ContentHash() {
        digest.reset();
    }

    /**
     * Adds the values of one row from {@code from} (inclusive) to {@code to} (exclusive).
     *
     * @param row the row
     * @param from the first value
     * @param to after the last value
     * @return this
     */
    ContentHash row(Object[] row, int from, int to) {
        put((byte) 'R');
        putInt(to - from);
        for (int i = from; i < to; i++) {
            value(row[i]);
        }
        return this;
    }

    /**
     * Adds the rows of one child table.
     *
     * @param table the table's index, so rows of different tables never read alike
     * @param rows the rows (their first value, the opportunity id, is skipped: it is in the opportunity's part)
     * @return this
     */
    ContentHash rows(int table, List<Object[]> rows) {
        put((byte) 'T');
        putInt(table);
        putInt(rows.size());
        for (Object[] r : rows) {
            row(r, 1, r.length);
        }
        return this;
    }

    /**
     * The fingerprint.
     *
     * @return the first 128 bits of the SHA-256 digest, as two longs (high, low)
     */
    long[] finish() {
        flush();
        byte[] d = digest.digest();
        return new long[] {longAt(d, 0), longAt(d, 8)};
    }

    private void value(Object v) {
        if (v == null) {
            put((byte) 'N');
        } else if (v instanceof String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            put((byte) 'S');
            putInt(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buffer, size, b.length);
            size += b.length;
        } else if (v instanceof Integer i) {
            put((byte) 'I');
            putInt(i);
        } else if (v instanceof Long l) {
            put((byte) 'L');
            putLong(l);
        } else if (v instanceof BigDecimal d) {
            byte[] b = d.unscaledValue().toByteArray();
            put((byte) 'D');
            putInt(d.scale());
            putInt(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buffer, size, b.length);
            size += b.length;
        } else if (v instanceof LocalDate date) {
            put((byte) 'A');
            putLong(date.toEpochDay());
        } else {
            throw new IllegalArgumentException("no content encoding for " + v.getClass().getName());
        }
    }

    private void put(byte b) {
        ensure(1);
        buffer[size++] = b;
    }

    private void putInt(int v) {
        ensure(4);
        for (int s = 24; s >= 0; s -= 8) {
            buffer[size++] = (byte) (v >>> s);
        }
    }

    private void putLong(long v) {
        ensure(8);
        for (int s = 56; s >= 0; s -= 8) {
            buffer[size++] = (byte) (v >>> s);
        }
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            flush();
            if (more > buffer.length) {
                buffer = new byte[Math.max(more, buffer.length * 2)];
            }
        }
    }

    private void flush() {
        digest.update(buffer, 0, size);
        size = 0;
    }

    private static long longAt(byte[] b, int from) {
        long v = 0;
        for (int i = from; i < from + 8; i++) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }
}
