package io.remoteclip.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.index.LabelScore;
import io.remoteclip.index.GeoArea;
import io.remoteclip.index.SearchFilter;
import io.remoteclip.index.SearchHit;
import io.remoteclip.search.SearchResult;
import io.remoteclip.search.SearchService;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.HttpContinueReadHandler;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnio.IoUtils;
import org.xnio.Options;
import org.xnio.XnioExecutor;

/**
 * The HTTP API and web page over a {@link SearchService}, on Undertow's core HTTP server.
 *
 * <p>Endpoints: {@code GET /api/health}; {@code GET /api/search?q=&k=&label=}; {@code GET /api/similar?id=&k=};
 * the three searches also take {@code zero_shot=a,b,...} (labels every hit is classified against);
 * {@code POST /api/search/vector?k=} with an embedding as a JSON array (or {@code {"vector": [...]}}) as the body;
 * {@code POST /api/search/image?k=} and {@code POST /api/classify?labels=a,b} with the image as the
 * {@code image} field of multipart/form-data or as the raw body (classify also reads a {@code labels} field);
 * label probabilities come with {@code "scores"}: {@code softmax} (CLIP) or {@code sigmoid} (SigLIP);
 * {@code GET /api/thumb/{id}}; {@code GET /api/quicklook/{id}} (PNG of the hit's scene, its window outlined); {@code GET /} the page. Errors are 4xx/5xx with {@code {"error": "..."}}. Result
 * paths are relative to the indexed root; files are only ever reached through ids.
 *
 * <p>Connections live on a few non-blocking I/O threads: request headers and upload bodies are read there, under
 * the deadlines of {@link ServerLimits.Connections}, so a slow client holds a socket, never a request thread.
 * A complete request runs on a fixed pool of {@link ServerLimits#threads()} threads; at most
 * {@link ServerLimits#queue()} more wait for one, and beyond that the request is answered 503 at once instead
 * of queueing without bound. Every 503 carries {@code Retry-After: 1}.
 */
public final class SearchServer implements AutoCloseable {
  private static final String PAGE = "/io/remoteclip/server/index.html";
  private static final HttpString NOSNIFF = new HttpString("X-Content-Type-Options");
  private static final Map<String, byte[]> NO_FORM = Map.of();

  private final SearchApi service;
  private final Undertow server;
  private final ExecutorService pool;
  private final Semaphore admitted;
  private final Semaphore uploading;
  private final ObjectMapper json = new ObjectMapper();
  private final byte[] page;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final InetSocketAddress address;
  private volatile boolean draining;

  private SearchServer(SearchApi service, ExecutorService pool, byte[] page, String host, int port) {
    this.service = service;
    this.pool = pool;
    this.page = page;
    ServerLimits limits = service.limits();
    this.admitted = new Semaphore(limits.threads() + limits.queue());
    // Bodies arriving at once, each buffered up to the upload limit: bounds their memory, and slow uploaders
    // can only ever crowd out other uploads, never the searches.
    this.uploading = new Semaphore(limits.threads());
    ServerLimits.Connections c = limits.connections();
    this.server = Undertow.builder()
        .addHttpListener(port, host)
        .setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
        // Requests run on this class's own pool; Undertow's worker pool only has to exist.
        .setWorkerThreads(2)
        .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, millis(c.headers()))
        .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, millis(c.idle()))
        .setServerOption(UndertowOptions.IDLE_TIMEOUT, millis(c.idle()))
        .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 32 << 10)
        .setServerOption(UndertowOptions.MAX_HEADERS, 100)
        .setServerOption(UndertowOptions.MAX_PARAMETERS, 1000)
        .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, Upload.drainBound(limits.maxUploadBytes()))
        .setServerOption(UndertowOptions.SHUTDOWN_TIMEOUT, 1000)
        .setSocketOption(Options.BACKLOG, 128)
        .setSocketOption(Options.CONNECTION_HIGH_WATER, c.max())
        .setSocketOption(Options.CONNECTION_LOW_WATER, Math.max(1, c.max() - c.max() / 10))
        // 100 Continue when an upload is read (curl waits a second for it); refused ones are never asked to send.
        .setHandler(new HttpContinueReadHandler(this::accept))
        .build();
    server.start();
    this.address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
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
    ExecutorService pool = Executors.newFixedThreadPool(limits.threads(), r -> {
      Thread t = new Thread(r, "remoteclip-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      return new SearchServer(service, pool, page, host, port);
    } catch (RuntimeException e) {
      // Undertow reports a port in use or an unknown host unchecked.
      pool.shutdownNow();
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
  }

  public int port() {
    return address.getPort();
  }

  public String url() {
    return "http://" + address.getHostString() + ":" + port() + "/";
  }

  /** On an I/O thread: reads an upload without blocking, then hands the request to the pool, or refuses it. */
  private void accept(HttpServerExchange ex) {
    inFlight.incrementAndGet();
    ex.addExchangeCompleteListener((done, next) -> {
      inFlight.decrementAndGet();
      next.proceed();
    });
    if (draining) {
      sendError(ex, 503, "server shutting down");
      return;
    }
    if (!ex.getRequestMethod().equalToString("POST")) {
      admit(ex, NO_FORM);
      return;
    }
    long maxUpload = service.limits().maxUploadBytes();
    long length = ex.getRequestContentLength();
    if (length > Upload.drainBound(maxUpload) || length > maxUpload && HttpContinue.requiresContinueResponse(ex)) {
      // Too large to drain, or a client that waits for our go-ahead and so has not sent the body yet.
      sendError(ex, 413, "upload too large: " + length + " bytes (at most " + maxUpload + ")");
      return;
    }
    if (!uploading.tryAcquire()) {
      sendError(ex, 503, "server busy: too many uploads arriving, retry later");
      return;
    }
    AtomicBoolean received = new AtomicBoolean();
    Runnable arrived = () -> {
      if (received.compareAndSet(false, true)) {
        uploading.release();
      }
    };
    ex.addExchangeCompleteListener((done, next) -> {
      arrived.run(); // cut off or refused before its end
      next.proceed();
    });
    XnioExecutor.Key deadline = ex.getIoThread().executeAfter(() -> IoUtils.safeClose(ex.getConnection()),
        service.limits().connections().body().toMillis(), TimeUnit.MILLISECONDS);
    Upload upload = new Upload(maxUpload, length);
    ex.getRequestReceiver().receivePartialBytes((e, chunk, last) -> {
      upload.add(chunk);
      if (!last) {
        return;
      }
      deadline.remove();
      arrived.run();
      if (upload.tooLarge()) {
        sendError(e, 413, "upload too large: " + upload.received() + " bytes (at most " + maxUpload + ")");
        return;
      }
      try {
        admit(e, form(e, upload.bytes()));
      } catch (HttpError error) {
        sendError(e, error.status, error.getMessage());
      }
    }, (e, error) -> {
      deadline.remove();
      IoUtils.safeClose(e.getConnection()); // the client went away or sent past the drain bound: nothing to answer
    });
  }

  /** Runs the request on the pool if a thread or a queue place is free, else answers 503 at once. */
  private void admit(HttpServerExchange ex, Map<String, byte[]> form) {
    if (!admitted.tryAcquire()) {
      sendError(ex, 503, "server busy: too many requests in flight, retry later");
      return;
    }
    ex.dispatch(pool, () -> {
      try {
        handle(ex, form);
      } finally {
        admitted.release(); // the response goes out on the I/O thread: a slow reader holds no place
      }
    });
  }

  private void handle(HttpServerExchange ex, Map<String, byte[]> form) {
    try {
      if (draining) {
        throw new HttpError(503, "server shutting down");
      }
      route(ex, form);
    } catch (HttpError e) {
      sendError(ex, e.status, e.getMessage());
    } catch (IOException e) {
      // Client went away or a file vanished mid-request: nothing more useful to send.
      sendError(ex, 500, "I/O error: " + e.getClass().getSimpleName());
    } catch (RuntimeException e) {
      sendError(ex, 500, "internal error: " + e.getClass().getSimpleName());
    }
  }

  private void route(HttpServerExchange ex, Map<String, byte[]> form) throws HttpError, IOException {
    String method = ex.getRequestMethod().toString();
    String path = rawPath(ex);
    Map<String, List<String>> query = query(ex.getQueryString());
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
        sendJson(ex, 200, results(q, hits, t0, query, service.scores()));
      }
      case "/api/similar" -> {
        requireMethod(method, "GET");
        String id = first(query, "id");
        long t0 = System.nanoTime();
        SearchResult hits = service.searchSimilar(id, intParam(query, "k", 20), filter(query), zeroShot(query));
        sendJson(ex, 200, results("id:" + id, hits, t0, query, service.scores()));
      }
      case "/api/search/image" -> {
        requireMethod(method, "POST");
        int k = intParam(query, "k", 20);
        long t0 = System.nanoTime();
        SearchResult hits = service.searchImage(form.get("image"), k, filter(query), zeroShot(query));
        sendJson(ex, 200, results("image upload", hits, t0, query, service.scores()));
      }
      case "/api/search/vector" -> {
        requireMethod(method, "POST");
        int k = intParam(query, "k", 20);
        long t0 = System.nanoTime();
        // a body that is not multipart arrives under "image" (see form)
        byte[] body = form.containsKey("vector") ? form.get("vector") : form.get("image");
        SearchResult hits = service.searchVector(body, k, filter(query), zeroShot(query));
        sendJson(ex, 200, results("vector", hits, t0, query, service.scores()));
      }
      case "/api/classify" -> {
        requireMethod(method, "POST");
        List<String> labels = new ArrayList<>();
        for (String l : query.getOrDefault("labels", List.of())) {
          labels.addAll(List.of(l.split(",")));
        }
        if (form.containsKey("labels")) {
          labels.addAll(List.of(new String(form.get("labels"), StandardCharsets.UTF_8).split("[,\n]")));
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("scores", service.scores());
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
          ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "max-age=3600");
          send(ex, 200, "image/jpeg", jpeg);
        } else if (path.startsWith("/api/quicklook/")) {
          requireMethod(method, "GET");
          byte[] png = service.quicklook(path.substring("/api/quicklook/".length()));
          ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "max-age=3600");
          send(ex, 200, "image/png", png);
        } else {
          throw new HttpError(404, "no such endpoint: " + (path.length() > 100 ? path.substring(0, 100) + "..." : path));
        }
      }
    }
  }

  /** The path as sent, still percent-encoded (ids and routes are matched on it), also for absolute-form targets. */
  private static String rawPath(HttpServerExchange ex) {
    String uri = ex.getRequestURI();
    if (!ex.isHostIncludedInRequestURI()) {
      return uri;
    }
    int slash = uri.indexOf('/', uri.indexOf("://") + 3);
    return slash < 0 ? "/" : uri.substring(slash);
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

  /** {@code scores}: the model's label scores, reported when the hits carry zero-shot probabilities. */
  private static Map<String, Object> results(String query, SearchResult result, long t0, Map<String, List<String>> params,
      String scores) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("query", query);
    o.put("took_ms", (System.nanoTime() - t0) / 1e6);
    if (params.containsKey("zero_shot")) {
      o.put("scores", scores);
    }
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

  /** The upload: multipart parts by name, or the raw body as {@code image} (its size capped while reading). */
  private static Map<String, byte[]> form(HttpServerExchange ex, byte[] body) throws HttpError {
    String type = ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
    if (type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      return Multipart.parse(body, type);
    }
    return body.length == 0 ? NO_FORM : Map.of("image", body);
  }

  private void sendJson(HttpServerExchange ex, int status, Object body) throws IOException {
    send(ex, status, "application/json; charset=utf-8", json.writeValueAsBytes(body));
  }

  private void sendError(HttpServerExchange ex, int status, String message) {
    try {
      ex.setPersistent(false);
      if (status == 503) {
        ex.getResponseHeaders().put(Headers.RETRY_AFTER, "1"); // busy or draining: a second later usually finds room
      }
      sendJson(ex, status, Map.of("error", message));
    } catch (IOException | RuntimeException ignored) {
      // Response already started or the client is gone.
    }
  }

  private static void send(HttpServerExchange ex, int status, String type, byte[] body) {
    ex.setStatusCode(status);
    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, type);
    ex.getResponseHeaders().put(NOSNIFF, "nosniff");
    // Written by the I/O thread without blocking: a client that reads slowly holds no request thread.
    ex.getResponseSender().send(ByteBuffer.wrap(body));
  }

  /**
   * Answers new requests 503, lets requests in progress finish (up to {@code graceSeconds}), closes the
   * socket, then releases the model and the index.
   */
  public void stop(int graceSeconds) throws IOException {
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
    server.stop();
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
