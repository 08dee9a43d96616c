package org.crmkit.funnel.spi;

import java.nio.charset.StandardCharsets;
import org.crmkit.core.ValidationException;

/**
 * The variable-length encoding of the aggregates' binary form: unsigned LEB128 for the
 * non-negative integers every exact aggregate is made of (a small count or sum takes one or two
 * bytes, so one opportunity's contribution, mostly zeros, is a few dozen bytes instead of a
 * kilobyte of fixed-width longs), and length-prefixed UTF-8 for keys.
 */
final class Varints {
    private Varints() {
    }

    /** Appends values to a growing buffer. */
    static final class Out {
        // a plain array, not a ByteArrayOutputStream: its write(int) is synchronized, and a
        // lock per byte was most of encoding the stats of a bulk load's thousands of keys
        private byte[] buf = new byte[64];
        private int len;

        Out unsigned(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("a value >= 0: " + v);
            }
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[len++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
            return this;
        }

        Out string(String s) {
            if (s == null) {
                return unsigned(0);
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            unsigned(b.length + 1L);
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
            return this;
        }

        private void ensure(int more) {
            if (len + more > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }

        byte[] bytes() {
            return java.util.Arrays.copyOf(buf, len);
        }
    }

    /** Reads values back, failing clearly on a truncated or corrupt form. */
    static final class In {
        private final byte[] b;
        private int pos;

        In(byte[] b) {
            this.b = b;
        }

        long unsigned() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= b.length) {
                    throw corrupt("it ends inside a number");
                }
                int x = b[pos++];
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw corrupt("a number is longer than 64 bits");
        }

        int count(int max) {
            long v = unsigned();
            if (v > max) {
                throw corrupt("a length " + v + " is above " + max);
            }
            return (int) v;
        }

        String string() {
            int len = count(b.length - pos + 1);
            if (len == 0) {
                return null;
            }
            String s = new String(b, pos, len - 1, StandardCharsets.UTF_8);
            pos += len - 1;
            return s;
        }

        boolean atEnd() {
            return pos == b.length;
        }

        ValidationException corrupt(String why) {
            return new ValidationException("aggregate.bytes", b.length + " bytes",
                    "the binary form of an aggregate (" + why + " at byte " + pos + ")");
        }
    }
}
