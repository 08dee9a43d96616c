/**
 * Distributed example: the funnel's per-owner stats aggregated on a Hazelcast cluster, with the
 * stats' owner-by-owner sum as the cluster's combine step, giving the same funnel as one machine.
 * The same source answers the forecast engine: the per-owner forecast stats (exact sums per
 * forecast cell) are grouped on the members too, and its drill-down deals collected there, so a
 * forecast of the cluster equals the one of the opportunities as objects and pulls none back.
 */
package org.crmkit.examples.distributed;
