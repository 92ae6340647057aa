package io.remoteclip.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.remoteclip.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A STAC API on 127.0.0.1 that replays a recorded conversation ({@code /stac/api-conversation.json} on the test
 * class path): each request is matched on method, path, decoded query parameters (in any order) and JSON body;
 * a request the recording does not hold gets a 404 with a STAC API error body. Every request is logged, so a test
 * can assert that the client made exactly the recorded ones.
 */
public final class RecordedStacApi implements AutoCloseable {
  /** One logged request. */
  public record Request(String method, String path, Map<String, String> query, JsonNode body) {}

  private record Exchange(String method, String path, Map<String, String> query, JsonNode body, int status,
      JsonNode response) {}

  private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> a.isNumber() && b.isNumber()
      ? Double.compare(a.asDouble(), b.asDouble()) : (a.equals(b) ? 0 : 1);

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<Exchange> exchanges = new ArrayList<>();
  private final List<Request> log = new ArrayList<>();
  private final Map<String, AtomicInteger> failuresLeft = new HashMap<>();

  private RecordedStacApi(JsonNode conversation, UnaryOperator<JsonNode> edit) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "recorded-stac-api");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    String text = Json.mapper().writeValueAsString(conversation).replace("{{base}}", url(""));
    JsonNode doc = Json.mapper().readTree(text);
    Map<String, JsonNode> items = new HashMap<>();
    doc.get("items").forEach(i -> items.put(i.get("id").asText(), i));
    for (JsonNode e : doc.get("exchanges")) {
      JsonNode req = e.get("request");
      JsonNode body = expand(e.get("response").get("body"), items);
      exchanges.add(new Exchange(req.get("method").asText(), req.get("path").asText(),
          parseQuery(req.path("query").asText("")), req.get("body"), e.get("response").get("status").asInt(),
          edit.apply(body)));
    }
  }

  /** Serves the recorded conversation as it is. */
  public static RecordedStacApi start() throws IOException {
    return start(UnaryOperator.identity());
  }

  /** Serves the recorded conversation with every response body passed through {@code edit} first. */
  public static RecordedStacApi start(UnaryOperator<JsonNode> edit) throws IOException {
    try (InputStream in = RecordedStacApi.class.getResourceAsStream("/stac/api-conversation.json")) {
      return new RecordedStacApi(Json.mapper().readTree(in), edit);
    }
  }

  /** The items of the recording, with {@code {{base}}} replaced, in recording order. */
  public List<JsonNode> recordedItems() {
    try (InputStream in = RecordedStacApi.class.getResourceAsStream("/stac/api-conversation.json")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("{{base}}", url(""));
      List<JsonNode> out = new ArrayList<>();
      Json.mapper().readTree(text).get("items").forEach(out::add);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:<port>} followed by {@code path}. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** The next {@code times} requests to {@code path} get a 503 before the recorded answer. */
  public void failFirst(String path, int times) {
    failuresLeft.put(path, new AtomicInteger(times));
  }

  public synchronized List<Request> requests() {
    return List.copyOf(log);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getPath();
      Map<String, String> query = parseQuery(ex.getRequestURI().getRawQuery());
      byte[] raw = ex.getRequestBody().readAllBytes();
      JsonNode body = raw.length == 0 ? null : Json.mapper().readTree(raw);
      synchronized (this) {
        log.add(new Request(method, path, query, body));
      }
      AtomicInteger fail = failuresLeft.get(path);
      if (fail != null && fail.getAndDecrement() > 0) {
        send(ex, 503, error("ServiceUnavailable", "try again"));
        return;
      }
      for (Exchange e : exchanges) {
        if (e.method.equals(method) && e.path.equals(path) && e.query.equals(query)
            && (e.body == null ? body == null : body != null && e.body.equals(NUMBERS_BY_VALUE, body))) {
          send(ex, e.status, e.response);
          return;
        }
      }
      send(ex, 404, error("NotFound", "no recorded answer for " + method + " " + path
          + (query.isEmpty() ? "" : "?" + query) + (body == null ? "" : " " + body)));
    }
  }

  private static ObjectNode error(String code, String description) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("code", code);
    n.put("description", description);
    return n;
  }

  private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = Json.mapper().writeValueAsBytes(body);
    ex.getResponseHeaders().add("Content-Type", status == 200 ? "application/geo+json" : "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  /** Response bodies name items as {@code "#ID"} in {@code features}; this puts the items in. */
  private static JsonNode expand(JsonNode body, Map<String, JsonNode> items) {
    if (body.has("features")) {
      ArrayNode features = Json.mapper().createArrayNode();
      for (JsonNode f : body.get("features")) {
        features.add(f.isTextual() && f.asText().startsWith("#") ? items.get(f.asText().substring(1)).deepCopy() : f);
      }
      ((ObjectNode) body).set("features", features);
    }
    return body;
  }

  private static Map<String, String> parseQuery(String raw) {
    Map<String, String> q = new TreeMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      q.put(k, v);
    }
    return q;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
