package org.crmkit.funnel;

import java.util.List;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.ValidationException;

/**
 * One page of the opportunity ids behind a funnel figure, sorted by id.
 *
 * @param ids the ids of this page
 * @param total how many ids the figure has in all
 * @param offset the position of the first id of this page
 * @param limit the page size asked for
 */
public record IdPage(List<OpportunityId> ids, long total, long offset, int limit) {
    /**
     * Validates the page and copies the ids.
     *
     * @throws ValidationException when a value is out of range
     */
    public IdPage {
        ids = List.copyOf(ValidationException.requireNonNull(ids, "ids"));
        ValidationException.require(offset >= 0, "offset", offset, "an offset >= 0");
        ValidationException.require(limit > 0, "limit", limit, "a page size > 0");
        ValidationException.require(ids.size() <= limit && total >= offset + ids.size(), "total", total,
                "at least offset + page size");
    }

    /**
     * Whether another page follows.
     *
     * @return true when ids follow this page
     */
    public boolean hasNext() {
        return offset + ids.size() < total;
    }
}
