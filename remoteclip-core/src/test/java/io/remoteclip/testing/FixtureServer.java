package io.remoteclip.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local HTTP file server on 127.0.0.1 for download tests: serves byte arrays by path, honours
 * {@code Range: bytes=N-} and {@code bytes=N-M}, and can misbehave on purpose (drop the connection half-way, stall, ignore
 * ranges, answer slowly, redirect). Every request is logged.
 */
public final class FixtureServer implements AutoCloseable {
  /** How a route answers. */
  public enum Behaviour {
    NORMAL,
    /** First GET: announces the full length, sends half of the bytes, then cuts the connection. */
    DROP_FIRST,
    /** Sends the headers and the first 1000 bytes, then waits (until the server closes). */
    STALL_BODY,
    /** Waits before sending any header. */
    STALL_HEADERS,
    /** Always answers 200 with the whole file, whatever the Range header says. */
    IGNORE_RANGE,
    /** Sends 16 KiB chunks with a 10 ms pause between them. */
    SLOW,
    /** Every GET: announces the full length, sends half of the bytes, then cuts the connection (a truncated object). */
    CUT_SHORT,
    /** Answers 403 Forbidden. */
    FORBIDDEN,
    /** First request: 503 Service Unavailable; then normal. */
    UNAVAILABLE_FIRST
  }

  /** One logged request: path, Range header (or null), and the Host the client addressed. */
  public record Request(String path, String range, String host) {}

  private record Route(byte[] body, Behaviour behaviour, AtomicInteger hits, String redirectTo) {}

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, Route> routes = new ConcurrentHashMap<>();
  private final List<Request> log = new ArrayList<>();
  private final AtomicLong bytesSent = new AtomicLong();
  private final CountDownLatch closing = new CountDownLatch(1);

  private FixtureServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fixture-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public static FixtureServer start() throws IOException {
    return new FixtureServer();
  }

  /** {@code http://127.0.0.1:<port>} followed by {@code path}. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public void serve(String path, byte[] body) {
    serve(path, body, Behaviour.NORMAL);
  }

  public void serve(String path, byte[] body, Behaviour behaviour) {
    routes.put(path, new Route(body, behaviour, new AtomicInteger(), null));
  }

  public void redirect(String path, String target) {
    routes.put(path, new Route(null, Behaviour.NORMAL, new AtomicInteger(), target));
  }

  public synchronized List<Request> requests() {
    return List.copyOf(log);
  }

  /** Requests whose path is {@code path}. */
  public synchronized List<Request> requests(String path) {
    return log.stream().filter(r -> r.path().equals(path)).toList();
  }

  /** Body bytes written to clients so far. */
  public long bytesSent() {
    return bytesSent.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String range = ex.getRequestHeaders().getFirst("Range");
    String host = ex.getRequestURI().getHost() != null ? ex.getRequestURI().getHost()
        : ex.getRequestHeaders().getFirst("Host");
    synchronized (this) {
      log.add(new Request(path, range, host));
    }
    Route route = routes.get(path);
    try (ex) {
      if (route == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      int hit = route.hits.incrementAndGet();
      if (route.redirectTo != null) {
        ex.getResponseHeaders().add("Location", route.redirectTo);
        ex.sendResponseHeaders(302, -1);
        return;
      }
      byte[] body = route.body;
      if (route.behaviour == Behaviour.STALL_HEADERS) {
        awaitClose();
        return;
      }
      if (route.behaviour == Behaviour.FORBIDDEN || (route.behaviour == Behaviour.UNAVAILABLE_FIRST && hit == 1)) {
        ex.sendResponseHeaders(route.behaviour == Behaviour.FORBIDDEN ? 403 : 503, -1);
        return;
      }
      if (route.behaviour != Behaviour.IGNORE_RANGE) {
        ex.getResponseHeaders().add("Accept-Ranges", "bytes");
      }
      int start = 0;
      int end = body.length - 1;
      Matcher m = range == null ? null : RANGE.matcher(range);
      if (m != null && m.matches() && route.behaviour != Behaviour.IGNORE_RANGE) {
        start = (int) Math.min(Long.parseLong(m.group(1)), body.length);
        if (start >= body.length) {
          ex.getResponseHeaders().add("Content-Range", "bytes */" + body.length);
          ex.sendResponseHeaders(416, -1);
          return;
        }
        if (!m.group(2).isEmpty()) {
          end = (int) Math.min(Long.parseLong(m.group(2)), body.length - 1);
        }
        ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + end + "/" + body.length);
        ex.sendResponseHeaders(206, end - start + 1L);
      } else {
        ex.sendResponseHeaders(200, body.length);
      }
      OutputStream out = ex.getResponseBody();
      int length = end - start + 1;
      switch (route.behaviour) {
        case CUT_SHORT -> {
          write(out, body, start, length / 2);
          out.flush();
          throw new IOException("fixture: connection cut short on purpose");
        }
        case DROP_FIRST -> {
          if (hit == 1) {
            write(out, body, start, length / 2);
            out.flush();
            // Leaving the handler with bytes missing makes the server close the connection.
            throw new IOException("fixture: connection dropped on purpose");
          }
          write(out, body, start, length);
        }
        case STALL_BODY -> {
          write(out, body, start, Math.min(1000, length));
          out.flush();
          awaitClose();
        }
        case SLOW -> {
          for (int off = 0; off < length; off += 16384) {
            write(out, body, start + off, Math.min(16384, length - off));
            out.flush();
            sleep(10);
          }
        }
        default -> write(out, body, start, length);
      }
    }
  }

  private void write(OutputStream out, byte[] body, int off, int len) throws IOException {
    out.write(body, off, len);
    bytesSent.addAndGet(len);
  }

  private void awaitClose() {
    try {
      closing.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
