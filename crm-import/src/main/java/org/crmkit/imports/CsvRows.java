package org.crmkit.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.crmkit.core.ValidationException;

/**
 * Reads a CSV file into {@link Row}s with Jackson's CSV dataformat: RFC 4180 quoting (a quoted
 * value may hold the separator, quotes doubled, and line breaks), the first line names the
 * columns, empty lines are skipped, a UTF-8 byte order mark is ignored. Each row keeps its line
 * number for messages. Values are kept as written; {@link Row#get} trims them.
 *
 * <p>A malformed file (an unclosed quote, a row with more values than the header has columns,
 * a header naming a column twice or no column) is a {@link ValidationException} naming the
 * file and the line; a row with fewer values than columns simply lacks the last ones.
 */
public final class CsvRows {
    private static final CsvMapper MAPPER = CsvMapper.builder()
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    private CsvRows() {
    }

    /**
     * Reads a UTF-8 CSV file with a comma separator.
     *
     * @param file the file
     * @return the rows, in file order
     * @throws ValidationException when the file is not well-formed CSV
     * @throws UncheckedIOException when the file cannot be read
     */
    public static List<Row> read(Path file) {
        return read(file, ',');
    }

    /**
     * Reads a UTF-8 CSV file.
     *
     * @param file the file
     * @param separator the column separator, e.g. {@code ','} or {@code ';'}
     * @return the rows, in file order
     * @throws ValidationException when the file is not well-formed CSV
     * @throws UncheckedIOException when the file cannot be read
     */
    public static List<Row> read(Path file, char separator) {
        Objects.requireNonNull(file, "file");
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, file.getFileName().toString(), separator);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + " failed", e);
        }
    }

    /**
     * Reads CSV text.
     *
     * @param reader the text; not closed
     * @param source the name used in messages, e.g. the file name
     * @param separator the column separator
     * @return the rows, in order
     * @throws ValidationException when the text is not well-formed CSV
     * @throws UncheckedIOException when reading fails
     */
    public static List<Row> read(Reader reader, String source, char separator) {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(source, "source");
        CsvSchema schema = CsvSchema.emptySchema().withHeader().withColumnSeparator(separator);
        List<Row> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = MAPPER.readerForMapOf(String.class).with(schema)
                .readValues(new BomSkippingReader(reader))) {
            checkHeader(it, source);
            while (it.hasNextValue()) {
                // after hasNextValue the parser stands at the start of the next record
                long line = it.getParser().currentLocation().getLineNr();
                rows.add(new Row(line, it.nextValue()));
            }
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new ValidationException(source, "line " + line, "well-formed CSV: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + source + " failed", e);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof JsonProcessingException j) {
                long line = j.getLocation() == null ? -1 : j.getLocation().getLineNr();
                throw new ValidationException(source, "line " + line, "well-formed CSV: " + j.getOriginalMessage());
            }
            throw e;
        }
        return rows;
    }

    private static void checkHeader(MappingIterator<Map<String, String>> it, String source) throws IOException {
        if (!it.hasNextValue()) {
            return;
        }
        CsvSchema header = (CsvSchema) it.getParser().getSchema();
        Set<String> names = new LinkedHashSet<>();
        for (CsvSchema.Column c : header) {
            if (c.getName().isBlank() || !names.add(c.getName())) {
                throw new ValidationException(source, "line 1: column '" + c.getName() + "'",
                        "a header naming each column once");
            }
        }
    }

    /** Drops a UTF-8 byte order mark (U+FEFF) at the start, which would otherwise be part of the first column's name. */
    private static final class BomSkippingReader extends Reader {
        private final Reader in;
        private boolean first = true;

        BomSkippingReader(Reader in) {
            this.in = in;
        }

        @Override
        public int read(char[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (first && n > 0) {
                first = false;
                if (buf[off] == '\uFEFF') {
                    System.arraycopy(buf, off + 1, buf, off, n - 1);
                    return n - 1 == 0 ? read(buf, off, len) : n - 1;
                }
            }
            return n;
        }

        @Override
        public void close() {
            // the caller owns the reader
        }
    }
}
