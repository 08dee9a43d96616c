package org.crmkit.core;

import java.util.regex.Pattern;

/**
 * Identifier of a tenant: one company whose book a store keeps apart from every other one in the
 * same database. A store handle serves exactly one tenant, chosen when the handle is obtained
 * (for example {@code CrmStore.builder().tenant(...)} or
 * {@link org.crmkit.core.memory.InMemoryTenants#storage(TenantId)}); only a separately named
 * administrative API ({@link org.crmkit.core.spi.TenantAdministration}) sees several.
 *
 * <p>A tenant id is 1 to 40 characters of lower-case ASCII letters, digits and {@code _},
 * starting with a letter, because stores name database objects after it (a PostgreSQL schema
 * and role {@code crm_tenant_<id>}, an SQLite file {@code <id>.db}) and those names must be
 * valid, unquoted and unambiguous on every database and file system.
 *
 * @param value the identifier text
 */
public record TenantId(String value) implements Comparable<TenantId> {
    // before DEFAULT: the constructor of DEFAULT uses it
    private static final Pattern SHAPE = Pattern.compile("[a-z][a-z0-9_]{0,39}");

    /**
     * The tenant of a store opened without naming one: the whole book of a single-tenant
     * store, and where a store created before tenants existed keeps its data.
     */
    public static final TenantId DEFAULT = new TenantId("default");

    /**
     * Validates the identifier.
     *
     * @throws ValidationException when {@code value} is null or not 1 to 40 lower-case
     *     letters, digits and underscores starting with a letter
     */
    public TenantId {
        ValidationException.requireNonNull(value, "tenantId");
        ValidationException.require(SHAPE.matcher(value).matches(), "tenantId", value,
                "1 to 40 lower-case letters, digits and '_', starting with a letter");
    }

    /**
     * Creates an identifier.
     *
     * @param value the identifier text
     * @return the identifier
     * @throws ValidationException when the text is not a valid tenant id
     */
    public static TenantId of(String value) {
        return new TenantId(value);
    }

    /**
     * Whether this is {@link #DEFAULT}.
     *
     * @return true for the default tenant
     */
    public boolean isDefault() {
        return equals(DEFAULT);
    }

    @Override
    public int compareTo(TenantId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
