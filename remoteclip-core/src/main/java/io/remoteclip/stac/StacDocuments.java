package io.remoteclip.stac;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.remoteclip.Json;
import io.remoteclip.hub.HttpFailures;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads STAC documents where they live: local files ({@code file:} URIs) and {@code http(s)} URLs, GET or
 * POST. Timeouts come from {@link StacClientSettings}; 5xx, 429 and broken connections are retried with
 * back-off; any other non-2xx answer is one {@link StacHttpException} naming the URL and the status (and the
 * server's own one-line reason when its error body gives one).
 */
public final class StacDocuments {
  private static final String USER_AGENT = "remoteclip (java.net.http; STAC client)";
  private static final int DETAIL_CHARS = 200;

  private final StacClientSettings settings;
  private final Consumer<String> log;
  private HttpClient client;

  /** @param log receives one line per request made (method, URL, status, bytes, time); the CLI's {@code -v} */
  public StacDocuments(StacClientSettings settings, Consumer<String> log) {
    this.settings = settings;
    this.log = log;
  }

  public StacClientSettings settings() {
    return settings;
  }

  /** The JSON document at {@code location}: a local file or an HTTP GET. */
  public JsonNode read(URI location) throws IOException, StacFormatException {
    String scheme = location.getScheme() == null ? "" : location.getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "file" -> {
        byte[] bytes = Files.readAllBytes(Path.of(location));
        log.accept("read " + Hrefs.display(location) + ": " + bytes.length + " bytes");
        yield parse(location, bytes);
      }
      case "http", "https" -> send(StacRequest.get(location));
      default -> throw new StacFormatException(Hrefs.display(location) + ": STAC documents are read from http(s) "
          + "URLs and local files, not " + (scheme.isEmpty() ? "this location" : scheme + ": URIs"));
    };
  }

  /** Makes {@code request} and parses the answer as JSON. */
  public JsonNode send(StacRequest request) throws IOException, StacFormatException {
    IOException failure = null;
    for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
      if (attempt > 1) {
        HttpFailures.pause(settings.retryDelay().multipliedBy(1L << Math.min(attempt - 2, 6)), "STAC request");
      }
      try {
        return exchange(request);
      } catch (Retryable e) {
        failure = e;
      }
    }
    throw new StacHttpException(request.uri(), failure.getMessage()
        + (settings.attempts() > 1 ? " (after " + settings.attempts() + " attempts)" : ""), failure);
  }

  private JsonNode exchange(StacRequest request) throws IOException, StacFormatException {
    URI uri = request.uri();
    HttpRequest.Builder b = HttpRequest.newBuilder(uri)
        .timeout(settings.requestTimeout())
        .header("User-Agent", USER_AGENT)
        .header("Accept", "application/geo+json, application/json");
    for (Map.Entry<String, String> h : settings.headers().entrySet()) {
      b.setHeader(h.getKey(), h.getValue());
    }
    for (Map.Entry<String, String> h : request.headers().entrySet()) {
      b.setHeader(h.getKey(), h.getValue());
    }
    if ("POST".equals(request.method())) {
      b.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(Json.mapper().writeValueAsBytes(request.body())));
    } else {
      b.GET();
    }
    long start = System.nanoTime();
    HttpResponse<byte[]> response = send(uri, b.build());
    int status = response.statusCode();
    byte[] body = response.body();
    log.accept(String.format(Locale.ROOT, "%s %s: HTTP %d, %d bytes, %d ms", request.method(), uri, status,
        body.length, (System.nanoTime() - start) / 1_000_000));
    if (status / 100 == 2) {
      return parse(uri, body);
    }
    String what = Hrefs.display(uri) + ": HTTP " + status + HttpFailures.reason(status)
        + ("POST".equals(request.method()) ? " (POST)" : "") + detail(body);
    if (HttpFailures.retryable(status)) {
      throw new Retryable(what);
    }
    throw new StacHttpException(uri, status, what);
  }

  private HttpResponse<byte[]> send(URI uri, HttpRequest request) throws IOException {
    try {
      return client().send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpConnectTimeoutException e) {
      throw new StacHttpException(uri, Hrefs.display(uri) + ": cannot connect within "
          + seconds(settings.connectTimeout()), e);
    } catch (HttpTimeoutException e) {
      throw new Retryable(Hrefs.display(uri) + ": no answer within " + seconds(settings.requestTimeout()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(uri + ": interrupted");
    } catch (IOException e) {
      String unreachable = HttpFailures.unreachable(e);
      if (unreachable != null) {
        throw new StacHttpException(uri, Hrefs.display(uri) + ": cannot connect (" + unreachable + ")", e);
      }
      throw new Retryable(Hrefs.display(uri) + ": connection failed ("
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
    }
  }

  private synchronized HttpClient client() {
    if (client == null) {
      client = HttpClient.newBuilder()
          .connectTimeout(settings.connectTimeout())
          .followRedirects(HttpClient.Redirect.NORMAL)
          .proxy(settings.proxy())
          .build();
    }
    return client;
  }

  static JsonNode parse(URI location, byte[] body) throws StacFormatException {
    try {
      JsonNode node = Json.mapper().readTree(body);
      if (node == null || node.isMissingNode()) {
        throw new StacFormatException(Hrefs.display(location) + ": empty document, expected STAC JSON");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new StacFormatException(Hrefs.display(location) + ": not JSON (" + jsonProblem(e) + ")", e);
    } catch (IOException e) {
      throw new StacFormatException(Hrefs.display(location) + ": not JSON (" + e.getMessage() + ")", e);
    }
  }

  /** Jackson's reason and position on one line, without the source excerpt it appends. */
  static String jsonProblem(JsonProcessingException e) {
    String reason = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    reason = reason.lines().findFirst().orElse(reason);
    var at = e.getLocation();
    return at == null || at.getLineNr() < 1 ? reason : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": "
        + reason;
  }

  /** The server's own reason from a JSON error body ({@code description}, {@code detail} or {@code message}). */
  private static String detail(byte[] body) {
    try {
      JsonNode n = Json.mapper().readTree(body);
      for (String key : new String[] {"description", "detail", "message"}) {
        if (n != null && n.hasNonNull(key) && n.get(key).isValueNode()) {
          String text = n.get(key).asText().strip().replaceAll("\\s+", " ");
          return text.isEmpty() ? "" : ": " + (text.length() > DETAIL_CHARS ? text.substring(0, DETAIL_CHARS) + "…" : text);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: the status says enough
    }
    return "";
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** A failure worth another try: a 5xx or 429 answer, a timeout, a broken connection. */
  private static final class Retryable extends IOException {
    Retryable(String message) {
      super(message);
    }
  }
}
