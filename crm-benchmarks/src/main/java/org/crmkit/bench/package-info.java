/** JMH benchmarks of crmkit; run with {@code java -jar crm-benchmarks/target/benchmarks.jar}. */
package org.crmkit.bench;
