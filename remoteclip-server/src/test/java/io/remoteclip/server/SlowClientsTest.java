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
  private static final Duration BODY_TIMEOUT = Duration.ofSeconds(3);

  @TempDir static Path tmp;
  private static ServedIndex served;
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    served = ServedIndex.start(tmp, ServedIndex.LIMITS.withConnections(
        new ServerLimits.Connections(HEADER_TIMEOUT, BODY_TIMEOUT, Duration.ofSeconds(10), 1024)));
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
      closeAll(slow);
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
      double seconds = secondsUntilClosedByServer(slow, HEADER_TIMEOUT);
      assertTrue(seconds >= HEADER_TIMEOUT.toSeconds() * 0.9, "cut off only at the timeout, after " + seconds + " s");
      assertTrue(healthMillis() < 1000, "the server still answers");
    } finally {
      closeAll(slow);
    }
  }

  @Test
  void uploadsThatTrickleTheirBodyHoldNoRequestThreadAndAreCutOffAtTheBodyTimeout() throws Exception {
    // More slow uploads than request threads (4) and their queue (16): as many as there are threads are read on the
    // I/O threads until the body deadline, the others are refused 503 at once; neither holds a request thread.
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 24; i++) {
        Socket s = new Socket("127.0.0.1", served.server.port());
        s.getOutputStream().write(("POST /api/search/image HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\n"
            + "Content-Length: 100000\r\n\r\n\u0089PNG").getBytes(StandardCharsets.ISO_8859_1));
        slow.add(s);
      }
      for (int round = 0; round < 3; round++) {
        trickle(slow);
        assertTrue(healthMillis() < 1000, "health answers while uploads trickle");
        Thread.sleep(100);
      }
      double seconds = secondsUntilClosedByServer(slow, BODY_TIMEOUT);
      assertTrue(seconds >= BODY_TIMEOUT.toSeconds() * 0.5, "cut off at the body timeout, after " + seconds + " s");
    } finally {
      closeAll(slow);
    }
  }

  /** Trickles a byte to each socket every 100 ms until the server has closed them all; fails after 3 timeouts. */
  private static double secondsUntilClosedByServer(List<Socket> sockets, Duration timeout) throws Exception {
    long t0 = System.nanoTime();
    boolean[] closed = new boolean[sockets.size()];
    int open = sockets.size();
    while (open > 0 && System.nanoTime() - t0 < timeout.toNanos() * 3) {
      Thread.sleep(100);
      trickle(sockets);
      open = 0;
      for (int i = 0; i < sockets.size(); i++) {
        closed[i] = closed[i] || closedByServer(sockets.get(i));
        open += closed[i] ? 0 : 1;
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(0, open, "trickling clients still connected after " + seconds + " s");
    return seconds;
  }

  private static void closeAll(List<Socket> sockets) throws IOException {
    for (Socket s : sockets) {
      s.close();
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
