package io.remoteclip.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clients that open connections and send their request headers a byte at a time must not stall the server. */
class SlowClientsTest {
  private static final int SLOW_CLIENTS = 64;
  private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(2);

  @TempDir static Path tmp;
  private static ServedIndex served;
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    served = ServedIndex.start(tmp, ServedIndex.LIMITS.withConnections(
        new ServerLimits.Connections(HEADER_TIMEOUT, Duration.ofSeconds(10), Duration.ofSeconds(10), 1024)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (served != null) {
      served.close();
    }
  }

  /** Opens a connection and sends the start of a request whose headers never end. */
  private static Socket halfOpen() throws IOException {
    Socket s = new Socket("127.0.0.1", served.server.port());
    s.setSoTimeout(10_000);
    s.getOutputStream().write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return s;
  }

  /** One more header byte on every connection still open; returns how many were still open. */
  private static int trickle(List<Socket> sockets) {
    int open = 0;
    for (Socket s : sockets) {
      try {
        OutputStream out = s.getOutputStream();
        out.write('a');
        out.flush();
        open++;
      } catch (IOException closedByTheServer) {
        // counted as closed
      }
    }
    return open;
  }

  private static long healthMillis() throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(served.url("/api/health")))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"status\":\"ok\""), r.body());
    return ms;
  }

  @Test
  void healthAnswersWithinASecondWhile64ClientsTrickleTheirHeaders() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < SLOW_CLIENTS; i++) {
        slow.add(halfOpen());
      }
      long worst = 0;
      // About a second of trickling, well inside the header timeout: all 64 stay open while health is asked.
      for (int round = 0; round < 5; round++) {
        assertEquals(SLOW_CLIENTS, trickle(slow), "slow clients still connected in round " + round);
        worst = Math.max(worst, healthMillis());
        Thread.sleep(150);
      }
      assertTrue(worst < 1000, "/api/health took " + worst + " ms with " + SLOW_CLIENTS + " slow clients");
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  @Test
  void aClientThatKeepsTricklingIsCutOffAtTheHeaderTimeout() throws Exception {
    // Renewing a connection by sending a byte now and then must not keep it: the whole header has a deadline.
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        slow.add(halfOpen());
      }
      long t0 = System.nanoTime();
      boolean[] closed = new boolean[slow.size()];
      int open = slow.size();
      while (open > 0 && System.nanoTime() - t0 < HEADER_TIMEOUT.toNanos() * 3) {
        Thread.sleep(100);
        trickle(slow);
        open = 0;
        for (int i = 0; i < slow.size(); i++) {
          closed[i] = closed[i] || closedByServer(slow.get(i));
          open += closed[i] ? 0 : 1;
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertEquals(0, open, "trickling clients still connected after " + seconds + " s");
      assertTrue(seconds >= HEADER_TIMEOUT.toSeconds() * 0.9, "cut off only at the timeout, after " + seconds + " s");
      assertTrue(healthMillis() < 1000, "the server still answers");
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  /** Whether the server has ended the connection: a read sees end of stream, a reset, or its last answer. */
  private static boolean closedByServer(Socket s) {
    try {
      s.setSoTimeout(1);
      s.getInputStream().read();
      return true;
    } catch (java.net.SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
