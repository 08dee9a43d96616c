package org.crmkit.examples.distributed;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.money.CurrencyUnit;
import org.crmkit.core.ManagerId;
import org.crmkit.core.money.Amounts;
import org.crmkit.funnel.spi.DayHistogram;
import org.crmkit.funnel.spi.DurationSummary;
import org.crmkit.funnel.spi.FunnelStats;
import org.crmkit.funnel.spi.FunnelStats.Count;
import org.crmkit.funnel.spi.FunnelStats.Duration;
import org.crmkit.funnel.spi.FunnelStats.Money;
import org.crmkit.funnel.spi.OwnerAggregates;
import org.crmkit.funnel.spi.WinLossStats;

/**
 * Writes per-owner {@link FunnelStats} as plain primitives, through their public accessors,
 * and reads them back through {@link FunnelStats.Builder}, so partial answers can travel
 * between cluster members. An answer is small (one stats per owner, not per opportunity), so
 * it is the only data that crosses the network besides the query.
 */
final class StatsCodec {
    private StatsCodec() {
    }

    static void write(OwnerAggregates<FunnelStats> parts, DataOutput out) throws IOException {
        out.writeInt(parts.buckets());
        out.writeInt(parts.owners().size() * parts.buckets());
        for (ManagerId owner : parts.owners()) {
            for (int b = 0; b < parts.buckets(); b++) {
                FunnelStats s = parts.part(owner, b);
                out.writeBoolean(s != null);
                if (s != null) {
                    out.writeUTF(owner.value());
                    out.writeInt(b);
                    write(s, out);
                }
            }
        }
    }

    static OwnerAggregates<FunnelStats> read(DataInput in) throws IOException {
        int buckets = in.readInt();
        int entries = in.readInt();
        OwnerAggregates.Builder<FunnelStats> b = OwnerAggregates.builder(buckets);
        for (int i = 0; i < entries; i++) {
            if (in.readBoolean()) {
                ManagerId owner = ManagerId.of(in.readUTF());
                int bucket = in.readInt();
                b.add(owner, bucket, readStats(in));
            }
        }
        return b.build();
    }

    private static void write(FunnelStats s, DataOutput out) throws IOException {
        int n = s.openStages();
        out.writeInt(n);
        for (Count f : Count.values()) {
            for (int st = 0; st < (f.perStage() ? n : 1); st++) {
                out.writeLong(f.perStage() ? s.count(f, st) : s.count(f));
            }
        }
        List<CurrencyUnit> currencies = s.currencies();
        out.writeInt(currencies.size());
        for (CurrencyUnit c : currencies) {
            out.writeUTF(c.getCurrencyCode());
            for (Money f : Money.values()) {
                for (int st = 0; st < (f.perStage() ? n : 1); st++) {
                    out.writeLong(f.perStage() ? s.minor(f, st, c) : s.minor(f, c));
                }
            }
        }
        for (Duration f : Duration.values()) {
            for (int st = 0; st < (f.perStage() ? n : 1); st++) {
                DurationSummary d = f.perStage() ? s.duration(f, st) : s.duration(f);
                out.writeLong(d.count());
                out.writeLong(d.secondsSum());
                int[] days = d.days().days();
                long[] counts = d.days().counts();
                out.writeInt(days.length);
                for (int k = 0; k < days.length; k++) {
                    out.writeInt(days[k]);
                    out.writeLong(counts[k]);
                }
            }
        }
        writeTable(s.byReason(), out);
        writeTable(s.byCompetitor(), out);
    }

    private static FunnelStats readStats(DataInput in) throws IOException {
        int n = in.readInt();
        FunnelStats.Builder b = FunnelStats.builder(n);
        for (Count f : Count.values()) {
            for (int st = 0; st < (f.perStage() ? n : 1); st++) {
                long v = in.readLong();
                if (f.perStage()) {
                    b.addCount(f, st, v);
                } else {
                    b.addCount(f, v);
                }
            }
        }
        int currencies = in.readInt();
        for (int c = 0; c < currencies; c++) {
            CurrencyUnit currency = Amounts.currency(in.readUTF());
            for (Money f : Money.values()) {
                for (int st = 0; st < (f.perStage() ? n : 1); st++) {
                    long v = in.readLong();
                    if (f.perStage()) {
                        b.addMinor(f, st, currency, v);
                    } else {
                        b.addMinor(f, currency, v);
                    }
                }
            }
        }
        for (Duration f : Duration.values()) {
            for (int st = 0; st < (f.perStage() ? n : 1); st++) {
                long count = in.readLong();
                long seconds = in.readLong();
                int size = in.readInt();
                int[] days = new int[size];
                long[] counts = new long[size];
                for (int k = 0; k < size; k++) {
                    days[k] = in.readInt();
                    counts[k] = in.readLong();
                }
                if (count > 0) {
                    b.addDurations(f, st, new DurationSummary(count, seconds, DayHistogram.of(days, counts)));
                }
            }
        }
        readTable(in).forEach(b::addReason);
        readTable(in).forEach(b::addCompetitor);
        return b.build();
    }

    private static void writeTable(Map<String, WinLossStats> table, DataOutput out) throws IOException {
        out.writeInt(table.size());
        for (Map.Entry<String, WinLossStats> e : table.entrySet()) {
            out.writeBoolean(e.getKey() != null);
            if (e.getKey() != null) {
                out.writeUTF(e.getKey());
            }
            WinLossStats s = e.getValue();
            out.writeLong(s.won());
            out.writeLong(s.lost());
            writeSums(s.wonRevenueMinor(), out);
            writeSums(s.lostAmountMinor(), out);
        }
    }

    private static void writeSums(Map<CurrencyUnit, Long> sums, DataOutput out) throws IOException {
        out.writeInt(sums.size());
        for (Map.Entry<CurrencyUnit, Long> e : sums.entrySet()) {
            out.writeUTF(e.getKey().getCurrencyCode());
            out.writeLong(e.getValue());
        }
    }

    private static Map<String, WinLossStats> readTable(DataInput in) throws IOException {
        int size = in.readInt();
        Map<String, WinLossStats> out = new HashMap<>();
        for (int i = 0; i < size; i++) {
            String key = in.readBoolean() ? in.readUTF() : null;
            long won = in.readLong();
            long lost = in.readLong();
            out.put(key, new WinLossStats(won, lost, readSums(in), readSums(in)));
        }
        return out;
    }

    private static Map<CurrencyUnit, Long> readSums(DataInput in) throws IOException {
        int size = in.readInt();
        Map<CurrencyUnit, Long> out = new HashMap<>();
        for (int i = 0; i < size; i++) {
            out.put(Amounts.currency(in.readUTF()), in.readLong());
        }
        return out;
    }
}
