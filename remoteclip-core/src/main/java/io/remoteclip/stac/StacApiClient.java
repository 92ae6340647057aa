package io.remoteclip.stac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remoteclip.ProgressListener;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Item search against a STAC API (STAC API - Item Search 1.0): checks the landing page's {@code conformsTo},
 * finds the {@code search} endpoint, and follows {@code next} links page by page, GET or POST (a POST
 * {@code next} link's {@code body} replaces the request body, or with {@code merge} is merged into it).
 */
public final class StacApiClient {
  /** The item-search conformance classes of STAC API 1.0 and its release candidates. */
  public static final Pattern ITEM_SEARCH = Pattern.compile("https?://api\\.stacspec\\.org/v1\\.0\\.0[^/]*/item-search");

  private final URI landing;
  private final StacDocuments documents;
  private StacCatalog landingPage;

  /** @param landing the API's root URL (its landing page) */
  public StacApiClient(URI landing, StacDocuments documents) {
    this.landing = landing;
    this.documents = documents;
  }

  /** The landing page (read once). */
  public synchronized StacCatalog landingPage() throws IOException, StacFormatException {
    if (landingPage == null) {
      JsonNode node = documents.read(landing);
      if (!node.isObject()) {
        throw new StacFormatException(Hrefs.display(landing) + ": not a STAC API landing page (not a JSON object)");
      }
      landingPage = StacJson.bind(node, StacCatalog.class, landing, "API landing page");
    }
    return landingPage;
  }

  /** Fails unless the landing page declares item search. */
  public void requireItemSearch() throws IOException, StacFormatException {
    List<String> classes = landingPage().conformsTo();
    if (classes.stream().noneMatch(c -> ITEM_SEARCH.matcher(c).matches())) {
      throw new StacConformanceException(Hrefs.display(landing) + ": not a STAC API with item search (its landing "
          + "page's conformsTo " + (classes.isEmpty() ? "is missing" : "lists " + classes.size()
              + " classes but not https://api.stacspec.org/v1.0.0/item-search") + ")");
    }
  }

  /**
   * The method a search uses when none is asked for: POST when the landing page's {@code search} link offers it
   * (bodies carry long geometries and filters that URLs may not), otherwise GET, which item search requires.
   */
  public String preferredMethod() throws IOException, StacFormatException {
    return searchLink("POST").filter(l -> "POST".equals(l.method().toUpperCase(Locale.ROOT))).isPresent()
        ? "POST" : "GET";
  }

  /** The search endpoint for {@code method}: the landing page's {@code search} link, else {@code <root>/search}. */
  public URI searchEndpoint(String method) throws IOException, StacFormatException {
    Optional<StacLink> link = searchLink(method);
    if (link.isPresent()) {
      return link.get().resolve(landing);
    }
    String root = landing.toString();
    return URI.create(root.endsWith("/") ? root : root + "/").resolve("search");
  }

  private Optional<StacLink> searchLink(String method) throws IOException, StacFormatException {
    List<StacLink> links = landingPage().links("search");
    return links.stream().filter(l -> l.method().equalsIgnoreCase(method)).findFirst()
        .or(() -> links.stream().findFirst());
  }

  /**
   * Searches: checks conformance, then requests page after page until the API gives no {@code next} link, a
   * page comes back empty, or {@code maxItems} items are in hand.
   *
   * @param method GET, POST, or {@code null} for {@link #preferredMethod()}
   * @param maxItems stop after this many items ({@link Long#MAX_VALUE}: all)
   * @param progress told the number of items so far after each page
   */
  public SearchResult search(ItemSearch query, String method, long maxItems, ProgressListener progress)
      throws IOException, StacFormatException {
    requireItemSearch();
    String m = method == null ? preferredMethod() : method.toUpperCase(Locale.ROOT);
    URI endpoint = searchEndpoint(m);
    StacRequest request = m.equals("POST") ? StacRequest.post(endpoint, query.body())
        : StacRequest.get(withQuery(endpoint, query.query()));
    List<StacItem> items = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int pages = 0;
    boolean more = false;
    progress.start("searching " + Hrefs.display(endpoint), maxItems == Long.MAX_VALUE ? -1 : maxItems);
    try {
      while (true) {
        if (!seen.add(request.method() + " " + request.uri() + " " + request.body())) {
          throw new StacFormatException(Hrefs.display(request.uri()) + ": the API's next link repeats an earlier "
              + "request (after page " + pages + ")");
        }
        JsonNode node = documents.send(request);
        pages++;
        ItemCollection page = StacJson.itemCollection(node, request.uri());
        for (StacItem item : page.features()) {
          if (items.size() == maxItems) {
            more = true;
            break;
          }
          item.makeHrefsAbsolute(item.location(request.uri()), false);
          items.add(item);
        }
        progress.update(items.size());
        Optional<StacLink> next = page.link("next");
        if (next.isEmpty() || page.features().isEmpty()) {
          break;
        }
        if (items.size() >= maxItems) {
          more = true;
          break;
        }
        request = follow(request, next.get());
      }
    } finally {
      progress.finish();
    }
    return new SearchResult(items, pages, more, m, endpoint);
  }

  /** The request a {@code next} link asks for after {@code previous}. */
  static StacRequest follow(StacRequest previous, StacLink next) throws StacFormatException {
    URI uri = next.resolve(previous.uri());
    String method = next.method().toUpperCase(Locale.ROOT);
    Map<String, String> headers = new LinkedHashMap<>(next.merge() ? previous.headers() : Map.of());
    if (next.headers() != null && next.headers().isObject()) {
      next.headers().fields().forEachRemaining(e -> headers.put(e.getKey(), headerValue(e.getValue())));
    }
    if (method.equals("GET")) {
      return new StacRequest("GET", uri, null, headers);
    }
    if (!method.equals("POST")) {
      throw new StacFormatException(Hrefs.display(previous.uri()) + ": next link asks for HTTP " + method
          + " (a STAC API pages with GET or POST)");
    }
    JsonNode body;
    if (next.body() == null) {
      body = previous.body();
    } else if (next.merge() && previous.body() != null && previous.body().isObject() && next.body().isObject()) {
      ObjectNode merged = previous.body().deepCopy();
      merged.setAll((ObjectNode) next.body());
      body = merged;
    } else {
      body = next.body();
    }
    return new StacRequest("POST", uri, body, headers);
  }

  private static String headerValue(JsonNode v) {
    if (v.isArray()) {
      List<String> parts = new ArrayList<>();
      v.forEach(p -> parts.add(p.asText()));
      return String.join(", ", parts);
    }
    return v.asText();
  }

  private static URI withQuery(URI endpoint, String query) {
    if (query.isEmpty()) {
      return endpoint;
    }
    String s = endpoint.toString();
    return URI.create(s + (endpoint.getRawQuery() == null ? "?" : "&") + query);
  }
}
