package org.crmkit.examples.distributed;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.ManagerId;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.ProcessId;
import org.crmkit.core.money.Amounts;
import org.crmkit.funnel.spi.ForecastCell;
import org.crmkit.funnel.spi.ForecastDeal;
import org.crmkit.funnel.spi.ForecastStats;
import org.crmkit.funnel.spi.OwnerAggregates;

/**
 * Writes per-owner {@link ForecastStats} and lists of {@link ForecastDeal}s as plain values,
 * through their public accessors, and reads them back through their validating constructors, so
 * the forecast's partial answers can travel between cluster members (the forecast counterpart
 * of {@link StatsCodec}).
 *
 * <p>Compact because a deal list can hold every open deal of a node: counts and values are
 * variable-length integers, the sums of squares and cubes their exact two's-complement bytes,
 * and every repeated string (owners, currencies, processes, stages, enum names) is written once
 * per message and then referred to by number. A message starts with a format byte, so a reader
 * refuses bytes of another format instead of misreading them.
 */
final class ForecastCodec {
    private static final int STATS = 0x46;
    private static final int DEALS = 0x44;

    private ForecastCodec() {
    }

    /**
     * Writes per-owner forecast stats.
     *
     * @param parts the stats
     * @param out the output
     * @throws IOException when the output fails
     */
    static void write(OwnerAggregates<ForecastStats> parts, DataOutput out) throws IOException {
        Writer w = new Writer(out);
        out.writeByte(STATS);
        w.varint(parts.buckets());
        int count = 0;
        for (ManagerId owner : parts.owners()) {
            for (int b = 0; b < parts.buckets(); b++) {
                count += parts.part(owner, b) == null ? 0 : 1;
            }
        }
        w.varint(count);
        for (ManagerId owner : parts.owners()) {
            for (int b = 0; b < parts.buckets(); b++) {
                ForecastStats s = parts.part(owner, b);
                if (s != null) {
                    w.string(owner.value());
                    w.varint(b);
                    w.varint(s.cells().size());
                    for (Map.Entry<ForecastCell, ForecastStats.Sums> e : s.cells().entrySet()) {
                        w.cell(e.getKey());
                        ForecastStats.Sums sums = e.getValue();
                        w.varint(sums.count());
                        w.varint(sums.value());
                        w.big(sums.squares());
                        w.big(sums.cubes());
                    }
                }
            }
        }
    }

    /**
     * Reads per-owner forecast stats written by {@link #write(OwnerAggregates, DataOutput)}.
     *
     * @param in the input
     * @return the stats
     * @throws IOException when the input fails or holds another format
     */
    static OwnerAggregates<ForecastStats> readStats(DataInput in) throws IOException {
        Reader r = new Reader(in);
        r.format(STATS);
        OwnerAggregates.Builder<ForecastStats> out = OwnerAggregates.builder(r.size());
        int parts = r.size();
        for (int i = 0; i < parts; i++) {
            ManagerId owner = ManagerId.of(r.string());
            int bucket = r.size();
            int cells = r.size();
            ForecastStats.Builder stats = ForecastStats.builder();
            for (int c = 0; c < cells; c++) {
                ForecastCell cell = r.cell();
                stats.add(cell, new ForecastStats.Sums(r.varint(), r.varint(), r.big(), r.big()));
            }
            out.add(owner, bucket, stats.build());
        }
        return out.build();
    }

    /**
     * Writes deals.
     *
     * @param deals the deals
     * @param out the output
     * @throws IOException when the output fails
     */
    static void write(List<ForecastDeal> deals, DataOutput out) throws IOException {
        Writer w = new Writer(out);
        out.writeByte(DEALS);
        w.varint(deals.size());
        for (ForecastDeal d : deals) {
            // ids are unique: a table entry each would only add its number
            out.writeUTF(d.id().value());
            w.string(d.owner().value());
            w.cell(d.cell());
            w.varint(d.value());
            w.day(d.closeDate());
        }
    }

    /**
     * Reads deals written by {@link #write(List, DataOutput)}.
     *
     * @param in the input
     * @return the deals, in the order written
     * @throws IOException when the input fails or holds another format
     */
    static List<ForecastDeal> readDeals(DataInput in) throws IOException {
        Reader r = new Reader(in);
        r.format(DEALS);
        int n = r.size();
        List<ForecastDeal> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            OpportunityId id = OpportunityId.of(in.readUTF());
            ManagerId owner = ManagerId.of(r.string());
            ForecastCell cell = r.cell();
            out.add(new ForecastDeal(id, owner, cell, r.varint(), r.day()));
        }
        return out;
    }

    /** The writing side of one message: its string table and the variable-length integers. */
    private static final class Writer {
        private final DataOutput out;
        private final Map<String, Integer> strings = new HashMap<>();

        Writer(DataOutput out) {
            this.out = out;
        }

        /** Unsigned LEB128: 7 bits a byte, low bits first. */
        void varint(long v) throws IOException {
            while ((v & ~0x7FL) != 0) {
                out.writeByte((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.writeByte((int) v);
        }

        /** 0 for null, 1 and the string the first time, then its number (2 for the first string written, ...). */
        void string(String s) throws IOException {
            if (s == null) {
                varint(0);
                return;
            }
            Integer known = strings.get(s);
            if (known != null) {
                varint(known);
            } else {
                varint(1);
                out.writeUTF(s);
                strings.put(s, strings.size() + 2);
            }
        }

        void big(BigInteger v) throws IOException {
            byte[] bytes = v.toByteArray();
            varint(bytes.length);
            out.write(bytes);
        }

        /** 0 for null, else the zigzag of the epoch day plus 1 (days before 1970 stay small too). */
        void day(LocalDate d) throws IOException {
            if (d == null) {
                varint(0);
            } else {
                long e = d.toEpochDay();
                varint(((e << 1) ^ (e >> 63)) + 1);
            }
        }

        void cell(ForecastCell c) throws IOException {
            string(c.status().name());
            long m = c.month().getYear() * 12L + c.month().getMonthValue() - 1;
            varint((m << 1) ^ (m >> 63));
            out.writeBoolean(c.overdue());
            string(c.currency().getCurrencyCode());
            day(c.rateDay());
            string(c.process() == null ? null : c.process().value());
            string(c.stage());
            varint(c.probability());
            varint(c.modelBasisPoints() + 1L);
            string(c.handCategory() == null ? null : c.handCategory().name());
            string(c.basis().name());
        }
    }

    /** The reading side of one message. */
    private static final class Reader {
        private final DataInput in;
        private final List<String> strings = new ArrayList<>();

        Reader(DataInput in) {
            this.in = in;
        }

        void format(int expected) throws IOException {
            int got = in.readUnsignedByte();
            if (got != expected) {
                throw new StreamCorruptedException("forecast codec: format byte " + got + ", expected " + expected);
            }
        }

        long varint() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = in.readUnsignedByte();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new StreamCorruptedException("forecast codec: a variable-length integer longer than 64 bits");
        }

        int size() throws IOException {
            long v = varint();
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new StreamCorruptedException("forecast codec: size " + v);
            }
            return (int) v;
        }

        String string() throws IOException {
            int code = size();
            if (code == 0) {
                return null;
            }
            if (code == 1) {
                String s = in.readUTF();
                strings.add(s);
                return s;
            }
            if (code - 2 >= strings.size()) {
                throw new StreamCorruptedException("forecast codec: string " + code + " not written before");
            }
            return strings.get(code - 2);
        }

        BigInteger big() throws IOException {
            byte[] bytes = new byte[size()];
            in.readFully(bytes);
            return bytes.length == 0 ? BigInteger.ZERO : new BigInteger(bytes);
        }

        LocalDate day() throws IOException {
            long v = varint();
            if (v == 0) {
                return null;
            }
            long z = v - 1;
            return LocalDate.ofEpochDay((z >>> 1) ^ -(z & 1));
        }

        ForecastCell cell() throws IOException {
            OpportunityStatus status = OpportunityStatus.valueOf(string());
            long z = varint();
            long m = (z >>> 1) ^ -(z & 1);
            YearMonth month = YearMonth.of((int) Math.floorDiv(m, 12), (int) Math.floorMod(m, 12) + 1);
            boolean overdue = in.readBoolean();
            javax.money.CurrencyUnit currency = Amounts.currency(string());
            LocalDate rateDay = day();
            String process = string();
            String stage = string();
            int probability = (int) varint();
            int modelBasisPoints = (int) (varint() - 1);
            String category = string();
            ForecastCell.Basis basis = ForecastCell.Basis.valueOf(string());
            // the record's constructor validates, so bytes that decode to an impossible cell are refused
            return new ForecastCell(status, month, overdue, currency, rateDay,
                    process == null ? null : ProcessId.of(process), stage, probability, modelBasisPoints,
                    category == null ? null : ForecastCategory.valueOf(category), basis);
        }
    }
}
