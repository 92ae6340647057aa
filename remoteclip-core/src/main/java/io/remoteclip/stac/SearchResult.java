package io.remoteclip.stac;

import java.net.URI;
import java.util.List;

/**
 * What an item search returned.
 *
 * @param items the items, in the order the pages gave them
 * @param pages pages (requests to the search endpoint) it took
 * @param more whether the API had more items than the {@code maxItems} asked for
 * @param method GET or POST
 * @param endpoint the search endpoint
 */
public record SearchResult(List<StacItem> items, int pages, boolean more, String method, URI endpoint) {
  public SearchResult {
    items = List.copyOf(items);
  }
}
