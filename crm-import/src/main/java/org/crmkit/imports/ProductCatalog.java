package org.crmkit.imports;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;

/**
 * Products by name with their list prices, and the other spellings a data set uses for them
 * ({@code "GTXPro"} for {@code "GTX Pro"}). A row naming a product that is neither a product
 * nor a declared alias is rejected with the known names, never priced at nothing: a product
 * spelled two ways would otherwise leave its deals without an amount and the pipeline short.
 * Names are matched exactly; an alias maps one more spelling.
 */
public final class ProductCatalog {
    private final Map<String, MonetaryAmount> prices;
    private final Map<String, String> aliases;

    private ProductCatalog(Map<String, MonetaryAmount> prices, Map<String, String> aliases) {
        this.prices = Map.copyOf(prices);
        this.aliases = Map.copyOf(aliases);
    }

    /**
     * Starts a catalog.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A catalog from rows such as a {@code products.csv}: one product per row.
     *
     * @param rows the rows
     * @param nameColumn the column of the product name
     * @param priceColumn the column of the list price
     * @param currency the currency of the prices
     * @return a builder holding the products, to add aliases to
     * @throws ValidationException when a row has no name, a bad price, or repeats a name
     */
    public static Builder fromRows(List<Row> rows, String nameColumn, String priceColumn, CurrencyUnit currency) {
        Builder b = builder();
        for (Row row : rows) {
            String name = row.get(nameColumn).orElseThrow(() -> new ValidationException(nameColumn, null,
                    "a product name on line " + row.line()));
            String price = row.get(priceColumn).orElseThrow(() -> new ValidationException(priceColumn, null,
                    "the list price of " + name + " on line " + row.line()));
            try {
                b.product(name, Amounts.of(new BigDecimal(price), currency));
            } catch (NumberFormatException e) {
                throw new ValidationException(priceColumn, price, "a decimal price on line " + row.line());
            }
        }
        return b;
    }

    /**
     * The catalog's name of a product as a row spells it.
     *
     * @param spelled the name in the row
     * @return the product name, empty when the catalog knows neither the name nor an alias of it
     */
    public Optional<String> nameOf(String spelled) {
        if (prices.containsKey(spelled)) {
            return Optional.of(spelled);
        }
        return Optional.ofNullable(aliases.get(spelled));
    }

    /**
     * The list price of a product.
     *
     * @param name the catalog name
     * @return the price
     * @throws ValidationException when the product is unknown
     */
    public MonetaryAmount priceOf(String name) {
        MonetaryAmount p = prices.get(name);
        if (p == null) {
            throw new ValidationException("product", name, "one of " + names());
        }
        return p;
    }

    /**
     * Whether a spelling is an alias rather than the catalog name.
     *
     * @param spelled the name in the row
     * @return true when it is a declared alias
     */
    public boolean isAlias(String spelled) {
        return aliases.containsKey(spelled);
    }

    /**
     * The product names, sorted.
     *
     * @return the names
     */
    public List<String> names() {
        return prices.keySet().stream().sorted().toList();
    }

    /** Collects products and aliases; {@link #build()} validates them. */
    public static final class Builder {
        private final Map<String, MonetaryAmount> prices = new LinkedHashMap<>();
        private final Map<String, String> aliases = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds a product.
         *
         * @param name the product name
         * @param listPrice its list price, not negative
         * @return this builder
         * @throws ValidationException when the name is blank or given twice, or the price negative
         */
        public Builder product(String name, MonetaryAmount listPrice) {
            ValidationException.requireText(name, "product");
            Objects.requireNonNull(listPrice, "listPrice");
            ValidationException.require(!listPrice.isNegative(), "product.listPrice", listPrice, "an amount >= 0");
            ValidationException.require(prices.put(name, listPrice) == null, "product", name, "a name given once");
            return this;
        }

        /**
         * Declares another spelling of a product.
         *
         * @param spelled the spelling the data uses, e.g. {@code "GTXPro"}
         * @param name the product's name in the catalog, e.g. {@code "GTX Pro"}
         * @return this builder
         */
        public Builder alias(String spelled, String name) {
            ValidationException.requireText(spelled, "product.alias");
            ValidationException.requireText(name, "product");
            aliases.put(spelled, name);
            return this;
        }

        /**
         * Validates and builds the catalog.
         *
         * @return the catalog
         * @throws ValidationException when an alias names an unknown product
         */
        public ProductCatalog build() {
            for (Map.Entry<String, String> a : aliases.entrySet()) {
                ValidationException.require(prices.containsKey(a.getValue()), "product.alias",
                        a.getKey() + " -> " + a.getValue(), "an alias of one of " + prices.keySet().stream()
                                .sorted().toList());
                ValidationException.require(!prices.containsKey(a.getKey()), "product.alias", a.getKey(),
                        "a spelling that is not itself a product");
            }
            return new ProductCatalog(prices, aliases);
        }
    }
}
