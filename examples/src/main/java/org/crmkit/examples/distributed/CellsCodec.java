package org.crmkit.examples.distributed;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.crmkit.core.ManagerId;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.money.Amounts;
import org.crmkit.funnel.spi.CellKey;
import org.crmkit.funnel.spi.CellMeasures;
import org.crmkit.funnel.spi.DayHistogram;
import org.crmkit.funnel.spi.DurationSummary;
import org.crmkit.funnel.spi.FunnelCells;
import org.crmkit.funnel.spi.StageTimeKey;

/**
 * Writes {@link FunnelCells} as plain primitives and reads them back, so partial cells can
 * travel between cluster members. Cells are small (one per distinct key, not per
 * opportunity), so this is the only data that crosses the network besides the query.
 */
final class CellsCodec {
    private CellsCodec() {
    }

    static void write(FunnelCells cells, DataOutput out) throws IOException {
        out.writeInt(cells.cells().size());
        for (Map.Entry<CellKey, CellMeasures> e : cells.cells().entrySet()) {
            CellKey k = e.getKey();
            out.writeUTF(k.owner().value());
            out.writeUTF(k.status().name());
            out.writeInt(k.stage());
            out.writeLong(k.enteredMask());
            out.writeInt(k.priorStage());
            out.writeLong(k.priorEnteredMask());
            out.writeUTF(k.currency().getCurrencyCode());
            writeNullable(k.reason(), out);
            writeNullable(k.competitor(), out);
            out.writeInt(k.bucket());
            CellMeasures m = e.getValue();
            out.writeLong(m.count());
            out.writeLong(m.amountMinor());
            out.writeLong(m.weightedPercentMinor());
            out.writeLong(m.revenueMinor());
            write(m.cycle(), out);
        }
        out.writeInt(cells.stageTimes().size());
        for (Map.Entry<StageTimeKey, DurationSummary> e : cells.stageTimes().entrySet()) {
            out.writeUTF(e.getKey().owner().value());
            out.writeInt(e.getKey().stage());
            out.writeInt(e.getKey().bucket());
            write(e.getValue(), out);
        }
    }

    static FunnelCells read(DataInput in) throws IOException {
        int n = in.readInt();
        Map<CellKey, CellMeasures> cells = new HashMap<>();
        for (int i = 0; i < n; i++) {
            CellKey key = new CellKey(ManagerId.of(in.readUTF()), OpportunityStatus.valueOf(in.readUTF()), in.readInt(),
                    in.readLong(), in.readInt(), in.readLong(), Amounts.currency(in.readUTF()), readNullable(in),
                    readNullable(in), in.readInt());
            cells.put(key, new CellMeasures(in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                    readSummary(in)));
        }
        int t = in.readInt();
        Map<StageTimeKey, DurationSummary> times = new HashMap<>();
        for (int i = 0; i < t; i++) {
            times.put(new StageTimeKey(ManagerId.of(in.readUTF()), in.readInt(), in.readInt()), readSummary(in));
        }
        return FunnelCells.of(cells, times);
    }

    private static void write(DurationSummary d, DataOutput out) throws IOException {
        out.writeLong(d.count());
        out.writeLong(d.secondsSum());
        int[] days = d.days().days();
        long[] counts = d.days().counts();
        out.writeInt(days.length);
        for (int i = 0; i < days.length; i++) {
            out.writeInt(days[i]);
            out.writeLong(counts[i]);
        }
    }

    private static DurationSummary readSummary(DataInput in) throws IOException {
        long count = in.readLong();
        long seconds = in.readLong();
        int n = in.readInt();
        int[] days = new int[n];
        long[] counts = new long[n];
        for (int i = 0; i < n; i++) {
            days[i] = in.readInt();
            counts[i] = in.readLong();
        }
        return new DurationSummary(count, seconds, DayHistogram.of(days, counts));
    }

    private static void writeNullable(String s, DataOutput out) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
