package org.crmkit.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.crmkit.core.CrmException;
import org.crmkit.core.Dataset;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.ValidationException;

/**
 * Reads and writes the crmkit model as JSON with a preconfigured Jackson mapper
 * ({@link CrmJacksonModule}, {@code java.time} as ISO-8601, strict reading: unknown
 * properties, duplicate keys and trailing content are rejected, floating-point numbers are
 * read as exact decimals).
 *
 * <p>Every bad input comes out as a {@link ValidationException} naming the field and the
 * value: a broken rule of the model is the model's own exception, unwrapped from Jackson's;
 * malformed JSON is reported on the field {@code "json"}. A failing stream is an
 * {@link UncheckedIOException}.
 *
 * <p>Thread-safe: the shared mapper is configured once and never changed.
 */
public final class CrmJson {
    private static final ObjectMapper MAPPER = newMapper();

    private CrmJson() {
    }

    /**
     * A new mapper configured as this facade's, for callers who add modules or settings of
     * their own.
     *
     * @return a new mapper with {@link CrmJacksonModule} registered
     */
    public static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .addModule(new CrmJacksonModule())
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /**
     * Writes any value of the model (or a value holding model types) as compact JSON.
     *
     * @param value the value
     * @return the JSON text
     */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw translate(e);
        }
    }

    /**
     * Writes a value as indented JSON, for people to read.
     *
     * @param value the value
     * @return the JSON text
     */
    public static String writePretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw translate(e);
        }
    }

    /**
     * Writes a dataset to a stream as UTF-8 JSON; the stream is left open.
     *
     * @param dataset the dataset
     * @param out the stream
     * @throws UncheckedIOException when the stream fails
     */
    public static void writeDataset(Dataset dataset, OutputStream out) {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(out, "out");
        try {
            MAPPER.writer().without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                    .writeValue(out, dataset);
        } catch (JsonProcessingException e) {
            throw translate(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a value of any type the mapper knows.
     *
     * @param <T> the type
     * @param json the JSON text
     * @param type the type to read
     * @return the value, never null
     * @throws ValidationException when the JSON is malformed, null, or breaks a rule of the model
     */
    public static <T> T read(String json, Class<T> type) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(type, "type");
        try {
            return nonNull(MAPPER.readValue(json, type), type);
        } catch (JsonProcessingException e) {
            throw translate(e);
        }
    }

    /**
     * Reads a value from a UTF-8 stream; the stream is left open.
     *
     * @param <T> the type
     * @param in the stream
     * @param type the type to read
     * @return the value, never null
     * @throws ValidationException when the JSON is malformed, null, or breaks a rule of the model
     * @throws UncheckedIOException when the stream fails
     */
    public static <T> T read(InputStream in, Class<T> type) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(type, "type");
        try {
            return nonNull(MAPPER.readerFor(type)
                    .without(StreamReadFeature.AUTO_CLOSE_SOURCE)
                    .readValue(in), type);
        } catch (JsonProcessingException e) {
            throw translate(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a dataset: every opportunity is checked against its process from the same
     * dataset, and process and opportunity ids must be unique.
     *
     * @param json the JSON text
     * @return the dataset
     * @throws ValidationException when the dataset breaks a rule
     */
    public static Dataset readDataset(String json) {
        return read(json, Dataset.class);
    }

    /**
     * Reads a dataset from a UTF-8 stream; the stream is left open.
     *
     * @param in the stream
     * @return the dataset
     * @throws ValidationException when the dataset breaks a rule
     * @throws UncheckedIOException when the stream fails
     */
    public static Dataset readDataset(InputStream in) {
        return read(in, Dataset.class);
    }

    /**
     * Reads an opportunity. Rules that need its process (stage codes) are checked by
     * {@link Opportunity#requireConformsTo(SalesProcess)}, or by reading a whole dataset.
     *
     * @param json the JSON text
     * @return the opportunity
     * @throws ValidationException when the opportunity breaks a rule
     */
    public static Opportunity readOpportunity(String json) {
        return read(json, Opportunity.class);
    }

    /**
     * Reads a sales process.
     *
     * @param json the JSON text
     * @return the process
     * @throws ValidationException when the process breaks a rule
     */
    public static SalesProcess readSalesProcess(String json) {
        return read(json, SalesProcess.class);
    }

    /**
     * Reads an org structure.
     *
     * @param json the JSON text
     * @return the structure
     * @throws ValidationException when the structure breaks a rule (unknown reference, cycle)
     */
    public static OrgStructure readOrgStructure(String json) {
        return read(json, OrgStructure.class);
    }

    /**
     * Reads a sales plan.
     *
     * @param json the JSON text
     * @return the plan
     * @throws ValidationException when the plan breaks a rule
     */
    public static SalesPlan readSalesPlan(String json) {
        return read(json, SalesPlan.class);
    }

    private static <T> T nonNull(T value, Class<T> type) {
        if (value == null) {
            throw new ValidationException("json", "null", "a " + type.getSimpleName() + " as a JSON object");
        }
        return value;
    }

    /**
     * Jackson wraps what a deserializer throws when the value sits inside a container it
     * reads; the model's own exception is the one callers can act on.
     */
    private static RuntimeException translate(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CrmException crm) {
                return crm;
            }
        }
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr();
        return new ValidationException("json", e.getOriginalMessage() + where, "well-formed JSON of the crmkit format");
    }
}
