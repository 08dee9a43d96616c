/**
 * crmkit core: the sales domain model, sales processes, org structure, periods, plans,
 * money helpers, the repository SPI, the in-memory store and JSON mapping.
 */
module org.crmkit.core {
    requires transitive java.money;
    requires org.slf4j;
    requires java.logging;
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;

    exports org.crmkit.core;
    exports org.crmkit.core.money;
    exports org.crmkit.core.spi;
    exports org.crmkit.core.memory;
    exports org.crmkit.core.json;

    opens org.crmkit.core to com.fasterxml.jackson.databind;
}
