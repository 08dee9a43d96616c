/**
 * Distributed example: the funnel's cells aggregated on a Hazelcast cluster, with the cells'
 * monoid merge as the cluster's combine step, giving the same funnel as one machine.
 */
package org.crmkit.examples.distributed;
