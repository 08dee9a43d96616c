/**
 * The sales domain model: {@link org.crmkit.core.Opportunity} with its children, sales
 * processes and the {@link org.crmkit.core.SalesProcessEngine} that guides stage changes,
 * the org structure DAG, fiscal periods and sales plans, and the exception hierarchy rooted
 * at {@link org.crmkit.core.CrmException}.
 */
package org.crmkit.core;
