package io.remoteclip.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.remoteclip.index.LabelScore;
import io.remoteclip.index.GeoArea;
import io.remoteclip.index.SearchFilter;
import io.remoteclip.index.SearchHit;
import io.remoteclip.search.SearchResult;
import io.remoteclip.search.SearchService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP API and web page over a {@link SearchService}, on the JDK's built-in HTTP server.
 *
 * <p>Endpoints: {@code GET /api/health}; {@code GET /api/search?q=&k=&label=}; {@code GET /api/similar?id=&k=};
 * the three searches also take {@code zero_shot=a,b,...} (labels every hit is classified against);
 * {@code POST /api/search/image?k=} and {@code POST /api/classify?labels=a,b} with the image as the
 * {@code image} field of multipart/form-data or as the raw body (classify also reads a {@code labels} field);
 * {@code GET /api/thumb/{id}}; {@code GET /api/quicklook/{id}} (PNG of the hit's scene, its window outlined); {@code GET /} the page. Errors are 4xx/5xx with {@code {"error": "..."}}. Result
 * paths are relative to the indexed root; files are only ever reached through ids.
 *
 * <p>Requests run on a fixed pool of {@link ServerLimits#threads()} threads with a bounded queue; when both
 * are full the request is answered 503 on the accepting thread instead of queueing without bound. Every 503
 * carries {@code Retry-After: 1}.
 */
public final class SearchServer implements AutoCloseable {
  private static final String PAGE = "/io/remoteclip/server/index.html";

  private final SearchApi service;
  private final HttpServer server;
  private final ThreadPoolExecutor pool;
  private final ObjectMapper json = new ObjectMapper();
  private final byte[] page;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean draining;

  private SearchServer(SearchApi service, HttpServer server, ThreadPoolExecutor pool, byte[] page) {
    this.service = service;
    this.server = server;
    this.pool = pool;
    this.page = page;
  }

  /**
   * Bounds how long the JDK server waits for a slow client to send a request or take a response. These are
   * JVM-wide settings the JDK reads once, when its first server starts, so an application (not this library)
   * calls this before {@link #start}; settings already made by the user (-D) are kept.
   */
  public static void limitSlowClients(Duration request, Duration response) {
    setIfAbsent("sun.net.httpserver.maxReqTime", Long.toString(Math.max(1, request.toSeconds())));
    setIfAbsent("sun.net.httpserver.maxRspTime", Long.toString(Math.max(1, response.toSeconds())));
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /** Worker threads of the pool; a handler running on any other thread is an overflow request. */
  private static final class Worker extends Thread {
    Worker(Runnable r, String name) {
      super(r, name);
      setDaemon(true);
    }
  }

  /**
   * Binds {@code host:port} (port 0 picks a free one) and serves {@code search} within {@code limits}. Takes
   * ownership of the service: {@link #stop} closes it.
   */
  public static SearchServer start(SearchService search, ServerLimits limits, String host, int port) throws IOException {
    SearchApi service = new SearchApi(search, limits);
    byte[] page;
    try (InputStream in = SearchServer.class.getResourceAsStream(PAGE)) {
      if (in == null) {
        throw new IOException("web page resource " + PAGE + " missing from the classpath");
      }
      page = in.readAllBytes();
    }
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(limits.threads(), limits.threads(), 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(limits.queue()), r -> new Worker(r, "remoteclip-http-" + n.incrementAndGet()),
        (r, executor) -> r.run());
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 128);
    SearchServer s = new SearchServer(service, server, pool, page);
    server.createContext("/", s::handle);
    server.setExecutor(pool);
    server.start();
    return s;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url() {
    return "http://" + server.getAddress().getHostString() + ":" + port() + "/";
  }

  private void handle(HttpExchange ex) throws IOException {
    inFlight.incrementAndGet();
    try {
      if (draining) {
        throw new HttpError(503, "server shutting down");
      }
      if (!(Thread.currentThread() instanceof Worker)) {
        throw new HttpError(503, "server busy: too many requests in flight, retry later");
      }
      route(ex);
    } catch (HttpError e) {
      sendError(ex, e.status, e.getMessage());
    } catch (IOException e) {
      // Client went away or a file vanished mid-request: nothing more useful to send.
      sendError(ex, 500, "I/O error: " + e.getClass().getSimpleName());
    } catch (RuntimeException e) {
      sendError(ex, 500, "internal error: " + e.getClass().getSimpleName());
    } finally {
      ex.close();
      inFlight.decrementAndGet();
    }
  }

  private void route(HttpExchange ex) throws HttpError, IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getRawPath();
    Map<String, List<String>> query = query(ex.getRequestURI().getRawQuery());
    switch (path) {
      case "/", "/index.html" -> {
        requireMethod(method, "GET");
        send(ex, 200, "text/html; charset=utf-8", page);
      }
      case "/api/health" -> {
        requireMethod(method, "GET");
        sendJson(ex, 200, service.health());
      }
      case "/api/search" -> {
        requireMethod(method, "GET");
        String q = first(query, "q");
        int k = intParam(query, "k", 20);
        long t0 = System.nanoTime();
        SearchResult hits = service.searchText(q, k, filter(query), zeroShot(query));
        sendJson(ex, 200, results(q, hits, t0, query));
      }
      case "/api/similar" -> {
        requireMethod(method, "GET");
        String id = first(query, "id");
        long t0 = System.nanoTime();
        SearchResult hits = service.searchSimilar(id, intParam(query, "k", 20), filter(query), zeroShot(query));
        sendJson(ex, 200, results("id:" + id, hits, t0, query));
      }
      case "/api/search/image" -> {
        requireMethod(method, "POST");
        int k = intParam(query, "k", 20);
        Map<String, byte[]> form = form(ex, service.limits());
        long t0 = System.nanoTime();
        SearchResult hits = service.searchImage(form.get("image"), k, filter(query), zeroShot(query));
        sendJson(ex, 200, results("image upload", hits, t0, query));
      }
      case "/api/classify" -> {
        requireMethod(method, "POST");
        Map<String, byte[]> form = form(ex, service.limits());
        List<String> labels = new ArrayList<>();
        for (String l : query.getOrDefault("labels", List.of())) {
          labels.addAll(List.of(l.split(",")));
        }
        if (form.containsKey("labels")) {
          labels.addAll(List.of(new String(form.get("labels"), StandardCharsets.UTF_8).split("[,\n]")));
        }
        Map<String, Object> o = new LinkedHashMap<>();
        List<Map<String, Object>> predictions = new ArrayList<>();
        for (LabelScore p : service.classify(form.get("image"), labels)) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("label", p.label());
          m.put("probability", p.probability());
          predictions.add(m);
        }
        o.put("predictions", predictions);
        sendJson(ex, 200, o);
      }
      default -> {
        if (path.startsWith("/api/thumb/")) {
          requireMethod(method, "GET");
          byte[] jpeg = service.thumbnail(path.substring("/api/thumb/".length()));
          ex.getResponseHeaders().set("Cache-Control", "max-age=3600");
          send(ex, 200, "image/jpeg", jpeg);
        } else if (path.startsWith("/api/quicklook/")) {
          requireMethod(method, "GET");
          byte[] png = service.quicklook(path.substring("/api/quicklook/".length()));
          ex.getResponseHeaders().set("Cache-Control", "max-age=3600");
          send(ex, 200, "image/png", png);
        } else {
          throw new HttpError(404, "no such endpoint: " + (path.length() > 100 ? path.substring(0, 100) + "..." : path));
        }
      }
    }
  }

  /** {@code label=} (repeatable) and one of {@code bbox=minLon,minLat,maxLon,maxLat} / {@code intersects=WKT}. */
  private static SearchFilter filter(Map<String, List<String>> query) throws HttpError {
    SearchFilter f = SearchFilter.labels(query.getOrDefault("label", List.of()));
    String bbox = first(query, "bbox");
    String wkt = first(query, "intersects");
    if (bbox != null && wkt != null) {
      throw new HttpError(400, "give bbox= or intersects=, not both");
    }
    try {
      return bbox != null ? f.withGeo(GeoArea.parseBox(bbox)) : wkt != null ? f.withGeo(new GeoArea(wkt)) : f;
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, (bbox != null ? "bbox: " : "intersects: ") + e.getMessage());
    }
  }

  private static Map<String, Object> results(String query, SearchResult result, long t0, Map<String, List<String>> params) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("query", query);
    o.put("took_ms", (System.nanoTime() - t0) / 1e6);
    if (params.containsKey("bbox") || params.containsKey("intersects")) {
      o.put("without_footprint", result.withoutFootprint());
    }
    List<Map<String, Object>> list = new ArrayList<>();
    for (SearchHit h : result.hits()) {
      list.add(h.toMap());
    }
    o.put("results", list);
    return o;
  }

  private static void requireMethod(String actual, String expected) throws HttpError {
    if (!actual.equals(expected)) {
      throw new HttpError(405, "method " + actual + " not allowed here (use " + expected + ")");
    }
  }

  /** The upload: multipart parts by name, or the raw body as {@code image}. Size-capped before reading. */
  private static Map<String, byte[]> form(HttpExchange ex, ServerLimits limits) throws HttpError, IOException {
    Headers h = ex.getRequestHeaders();
    String length = h.getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > limits.maxUploadBytes()) {
          discardBody(ex, limits);
          throw new HttpError(413, "upload too large: " + length.trim() + " bytes (at most " + limits.maxUploadBytes() + ")");
        }
      } catch (NumberFormatException e) {
        throw new HttpError(400, "bad Content-Length");
      }
    }
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxUploadBytes() + 1));
    }
    if (body.length > limits.maxUploadBytes()) {
      discardBody(ex, limits);
      throw new HttpError(413, "upload too large (at most " + limits.maxUploadBytes() + " bytes)");
    }
    String type = h.getFirst("Content-Type");
    if (type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      return Multipart.parse(body, type);
    }
    return body.length == 0 ? Map.of() : Map.of("image", body);
  }

  /**
   * Reads and drops what the client is still sending, up to a bound (8 upload limits), so that it gets the
   * error response: closing with unread bytes makes TCP reset the connection and lose the response in flight.
   */
  private static void discardBody(HttpExchange ex, ServerLimits limits) {
    long left = Math.min(8 * limits.maxUploadBytes(), 256L << 20);
    byte[] buf = new byte[64 << 10];
    try {
      InputStream in = ex.getRequestBody();
      int n;
      while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
        left -= n;
      }
    } catch (IOException e) {
      // the client went away: nothing to answer
    }
  }

  private static Map<String, List<String>> query(String raw) throws HttpError {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    if (raw.length() > 8192) {
      throw new HttpError(414, "query string too long");
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      try {
        String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        out.computeIfAbsent(key, x -> new ArrayList<>()).add(value);
      } catch (IllegalArgumentException e) {
        throw new HttpError(400, "malformed query string");
      }
    }
    return out;
  }

  /** {@code zero_shot=a,b,c} (repeatable): labels to score every hit against. */
  private static List<String> zeroShot(Map<String, List<String>> q) {
    List<String> labels = new ArrayList<>();
    for (String v : q.getOrDefault("zero_shot", List.of())) {
      labels.addAll(List.of(v.split(",")));
    }
    return labels;
  }

  private static String first(Map<String, List<String>> q, String key) {
    List<String> v = q.get(key);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private static int intParam(Map<String, List<String>> q, String key, int dflt) throws HttpError {
    String v = first(q, key);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new HttpError(400, key + "=" + (v.length() > 20 ? v.substring(0, 20) + "..." : v) + " is not an integer");
    }
  }

  private void sendJson(HttpExchange ex, int status, Object body) throws IOException {
    send(ex, status, "application/json; charset=utf-8", json.writeValueAsBytes(body));
  }

  private void sendError(HttpExchange ex, int status, String message) {
    try {
      ex.getResponseHeaders().set("Connection", "close");
      if (status == 503) {
        ex.getResponseHeaders().set("Retry-After", "1"); // busy or draining: a second later usually finds room
      }
      sendJson(ex, status, Map.of("error", message));
    } catch (IOException | RuntimeException ignored) {
      // Headers already sent or the client is gone.
    }
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  /**
   * Answers new requests 503, lets requests in progress finish (up to {@code graceSeconds}), closes the
   * socket, then releases the model and the index.
   */
  public void stop(int graceSeconds) throws IOException {
    // HttpServer.stop(delay) on JDK 17 always sleeps the whole delay; wait for our own requests instead.
    draining = true;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    server.stop(0);
    pool.shutdown();
    try {
      if (!pool.awaitTermination(graceSeconds + 1L, TimeUnit.SECONDS)) {
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pool.shutdownNow();
    }
    service.close();
  }

  @Override
  public void close() throws IOException {
    stop(2);
  }
}
