/**
 * Distributed example: the funnel's per-owner stats aggregated on a Hazelcast cluster, with the
 * stats' owner-by-owner sum as the cluster's combine step, giving the same funnel as one machine.
 */
package org.crmkit.examples.distributed;
