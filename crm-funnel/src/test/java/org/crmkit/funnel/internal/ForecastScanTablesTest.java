package org.crmkit.funnel.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The forecast scan's lookup tables give what the exact conversions give: the month of an
 * epoch day, the month of an instant in a zone (at every month start, a nanosecond either side,
 * across daylight-saving changes and the zone's far offsets, and outside the table), and the
 * unsigned number of a few 64-bit words.
 */
class ForecastScanTablesTest {
    private static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("Pacific/Kiritimati"),
            ZoneId.of("America/New_York"), ZoneId.of("Europe/Berlin"), ZoneId.of("Pacific/Pago_Pago"),
            ZoneId.of("Asia/Kathmandu"));

    private static int index(LocalDate d) {
        return d.getYear() * 12 + d.getMonthValue() - 1;
    }

    private static long nanos(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
    }

    private static int exactMonth(long nanos, ZoneId zone) {
        Instant i = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
        return index(LocalDate.ofInstant(i, zone));
    }

    @Test
    void monthOfEpochDayEqualsTheDateInAndOutsideTheTable() {
        qt().withExamples(5_000).forAll(longs().between(LocalDate.of(1850, 1, 1).toEpochDay(),
                LocalDate.of(2250, 12, 31).toEpochDay())).checkAssert(day ->
                assertThat(ForecastScan.monthOfEpochDay(day)).as("day %s", LocalDate.ofEpochDay(day))
                        .isEqualTo(index(LocalDate.ofEpochDay(day))));
        for (LocalDate d : List.of(LocalDate.of(1899, 11, 30), LocalDate.of(1899, 12, 1), LocalDate.of(1900, 1, 1),
                LocalDate.of(2199, 12, 31), LocalDate.of(2200, 1, 31), LocalDate.of(2200, 2, 1))) {
            assertThat(ForecastScan.monthOfEpochDay(d.toEpochDay())).as("%s", d).isEqualTo(index(d));
        }
    }

    @Test
    void monthOfInstantEqualsTheExactConversionAtEveryMonthStart() {
        for (ZoneId zone : ZONES) {
            for (YearMonth m = YearMonth.of(1899, 12); !m.isAfter(YearMonth.of(2200, 2)); m = m.plusMonths(1)) {
                long start = nanos(m.atDay(1).atStartOfDay(zone).toInstant());
                for (long at : new long[] {start - 1, start, start + 1}) {
                    assertThat(ForecastScan.monthOfInstant(at, zone)).as("%s %s %d", zone, m, at - start)
                            .isEqualTo(exactMonth(at, zone));
                }
            }
        }
    }

    @Test
    void monthOfInstantEqualsTheExactConversionAnywhere() {
        long from = nanos(Instant.parse("1850-01-01T00:00:00Z"));
        long until = nanos(Instant.parse("2250-01-01T00:00:00Z"));
        qt().withExamples(5_000).forAll(longs().between(from, until), integers().between(0, ZONES.size() - 1))
                .checkAssert((at, z) -> assertThat(ForecastScan.monthOfInstant(at, ZONES.get(z)))
                        .as("%s %d", ZONES.get(z), at).isEqualTo(exactMonth(at, ZONES.get(z))));
    }

    @Test
    void unsignedWordsEqualTheirTextualValue() {
        qt().withExamples(2_000).forAll(longs().all(), longs().all(), longs().all()).checkAssert((a, b, c) -> {
            BigInteger expected = new BigInteger(Long.toUnsignedString(a)).shiftLeft(128)
                    .add(new BigInteger(Long.toUnsignedString(b)).shiftLeft(64))
                    .add(new BigInteger(Long.toUnsignedString(c)));
            assertThat(ForecastScan.unsigned(a, b, c)).isEqualTo(expected);
            assertThat(ForecastScan.unsigned(0, c)).isEqualTo(new BigInteger(Long.toUnsignedString(c)));
        });
        assertThat(ForecastScan.unsigned(0, 0, -1L)).isEqualTo(BigInteger.TWO.pow(64).subtract(BigInteger.ONE));
        assertThat(ForecastScan.unsigned(1, 0)).isEqualTo(BigInteger.TWO.pow(64));
        assertThat(ForecastScan.unsigned(0, 0)).isEqualTo(BigInteger.ZERO);
    }
}
