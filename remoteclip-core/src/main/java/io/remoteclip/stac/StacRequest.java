package io.remoteclip.stac;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Map;

/**
 * One request for a STAC document: GET, or POST with a JSON body, with extra headers (a {@code next} link may
 * name some).
 *
 * @param body the JSON body of a POST, {@code null} for GET
 */
public record StacRequest(String method, URI uri, JsonNode body, Map<String, String> headers) {
  public StacRequest {
    if (!"GET".equals(method) && !"POST".equals(method)) {
      throw new IllegalArgumentException("unsupported HTTP method " + method + " (GET or POST)");
    }
    headers = Map.copyOf(headers);
  }

  public static StacRequest get(URI uri) {
    return new StacRequest("GET", uri, null, Map.of());
  }

  public static StacRequest post(URI uri, JsonNode body) {
    return new StacRequest("POST", uri, body, Map.of());
  }

  @Override
  public String toString() {
    return method + " " + uri;
  }
}
