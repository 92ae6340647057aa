package io.remoteclip.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.ProgressListener;
import io.remoteclip.testing.FixtureServer;
import io.remoteclip.testing.FixtureServer.Behaviour;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloaderTest {
  private static final int SIZE = 300_000;

  @TempDir Path cache;
  private FixtureServer server;
  private byte[] payload;
  private String sha;

  @BeforeEach
  void setUp() throws IOException {
    server = FixtureServer.start();
    payload = new byte[SIZE];
    new Random(42).nextBytes(payload);
    sha = Checksums.sha256(payload);
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private Downloader downloader(int attempts, Duration readTimeout) {
    return new Downloader(HubSettings.forCache(cache)
        .withTimeouts(Duration.ofSeconds(5), readTimeout)
        .withAttempts(attempts, Duration.ZERO));
  }

  private Path target() {
    return cache.resolve("models").resolve("m").resolve("weights.pt");
  }

  @Test
  void fullDownloadIsVerifiedAndRenamedIntoPlace() throws IOException {
    server.serve("/w.pt", payload);
    RecordingProgress progress = new RecordingProgress();
    Downloader.Result r = downloader(3, Duration.ofSeconds(5))
        .fetch(URI.create(server.url("/w.pt")), target(), (long) SIZE, sha, false, progress);
    assertArrayEquals(payload, Files.readAllBytes(target()));
    assertTrue(r.verified());
    assertFalse(r.alreadyPresent());
    assertEquals(SIZE, r.bytesTransferred());
    assertFalse(Files.exists(ModelCache.partFile(target())), "no .part left behind");
    assertEquals(List.of("downloading weights.pt", "verifying weights.pt"), progress.tasks);
    assertEquals(SIZE, progress.totals.get(0));
    assertEquals(SIZE, progress.lastUpdate.get(0));
    assertNull(server.requests("/w.pt").get(0).range(), "a fresh download asks for the whole file");
  }

  @Test
  void redirectsAreFollowed() throws IOException {
    server.serve("/cdn/w.pt", payload);
    server.redirect("/resolve/w.pt", server.url("/cdn/w.pt"));
    downloader(1, Duration.ofSeconds(5))
        .fetch(URI.create(server.url("/resolve/w.pt")), target(), (long) SIZE, sha, false, ProgressListener.NONE);
    assertArrayEquals(payload, Files.readAllBytes(target()));
  }

  @Test
  void droppedConnectionIsResumedWithRange() throws IOException {
    server.serve("/w.pt", payload, Behaviour.DROP_FIRST);
    Downloader.Result r = downloader(3, Duration.ofSeconds(5))
        .fetch(URI.create(server.url("/w.pt")), target(), (long) SIZE, sha, false, ProgressListener.NONE);
    assertArrayEquals(payload, Files.readAllBytes(target()));
    List<FixtureServer.Request> requests = server.requests("/w.pt");
    assertEquals(2, requests.size(), "one dropped transfer, one resumed transfer");
    assertNull(requests.get(0).range());
    long resumedAt = Long.parseLong(requests.get(1).range().replaceAll("bytes=(\\d+)-", "$1"));
    assertTrue(resumedAt > 0 && resumedAt <= SIZE / 2, "resumed from the partial file, at " + resumedAt);
    assertEquals(SIZE, r.bytesTransferred(), "every byte crossed the network exactly once");
    assertEquals(SIZE, server.bytesSent());
  }

  @Test
  void partialFileOfAFailedRunIsKeptAndResumedByTheNextRun() throws IOException {
    server.serve("/w.pt", payload, Behaviour.DROP_FIRST);
    Downloader once = downloader(1, Duration.ofSeconds(5));
    DownloadException e = assertThrows(DownloadException.class, () ->
        once.fetch(URI.create(server.url("/w.pt")), target(), (long) SIZE, sha, false, ProgressListener.NONE));
    Path part = ModelCache.partFile(target());
    assertTrue(e.getMessage().contains("failed after 1 attempt"), e.getMessage());
    assertTrue(e.getMessage().contains("kept in " + part), e.getMessage());
    long kept = Files.size(part);
    assertTrue(kept > 0 && kept < SIZE, "partial bytes kept: " + kept);
    assertFalse(Files.exists(target()));

    once.fetch(URI.create(server.url("/w.pt")), target(), (long) SIZE, sha, false, ProgressListener.NONE);
    assertArrayEquals(payload, Files.readAllBytes(target()));
    assertEquals("bytes=" + kept + "-", server.requests("/w.pt").get(1).range());
  }

  @Test
  void serverIgnoringRangeMakesTheDownloadStartOver() throws IOException {
    server.serve("/w.pt", payload, Behaviour.IGNORE_RANGE);
    Path part = ModelCache.partFile(target());
    Files.createDirectories(part.getParent());
    Files.write(part, new byte[1234]); // stale bytes that must not end up in the file
    downloader(1, Duration.ofSeconds(5))
        .fetch(URI.create(server.url("/w.pt")), target(), (long) SIZE, sha, false, ProgressListener.NONE);
    assertEquals("bytes=1234-", server.requests("/w.pt").get(0).range());
    assertArrayEquals(payload, Files.readAllBytes(target()));
  }

  @Test
  void hashMismatchDeletesTheFileAndNamesBothDigests() throws IOException {
    byte[] corrupted = payload.clone();
    corrupted[SIZE / 3] ^= 0x5a;
    server.serve("/w.pt", corrupted);
    String actual = Checksums.sha256(corrupted);
    DownloadException e = assertThrows(DownloadException.class, () -> downloader(3, Duration.ofSeconds(5))
        .fetch(URI.create(server.url("/w.pt")), target(), (long) SIZE, sha, false, ProgressListener.NONE));
    assertEquals("SHA-256 mismatch for " + server.url("/w.pt") + ": expected " + sha + ", got " + actual
        + "; the download was deleted", e.getMessage());
    assertFalse(Files.exists(target()));
    assertFalse(Files.exists(ModelCache.partFile(target())));
  }

  @Test
  void sizeMismatchIsRejected() throws IOException {
    server.serve("/w.pt", payload);
    DownloadException e = assertThrows(DownloadException.class, () -> downloader(1, Duration.ofSeconds(5))
        .fetch(URI.create(server.url("/w.pt")), target(), SIZE + 1L, null, false, ProgressListener.NONE));
    assertTrue(e.getMessage().contains("expected " + (SIZE + 1) + " bytes, got " + SIZE), e.getMessage());
    assertFalse(Files.exists(target()));
  }

  @Test
  void notFoundIsReportedOnceWithTheUrl() {
    DownloadException e = assertThrows(DownloadException.class, () -> downloader(3, Duration.ofSeconds(5))
        .fetch(URI.create(server.url("/missing.pt")), target(), null, null, false, ProgressListener.NONE));
    assertTrue(e.getMessage().startsWith("HTTP 404 Not Found for " + server.url("/missing.pt")), e.getMessage());
    assertEquals(1, server.requests("/missing.pt").size(), "a 404 is not retried");
    assertFalse(e instanceof NetworkUnavailableException);
  }

  @Test
  void stalledBodyTimesOutWithAClearMessage() {
    server.serve("/w.pt", payload, Behaviour.STALL_BODY);
    long t0 = System.nanoTime();
    DownloadException e = assertThrows(DownloadException.class, () -> downloader(2, Duration.ofMillis(300))
        .fetch(URI.create(server.url("/w.pt")), target(), (long) SIZE, sha, false, ProgressListener.NONE));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(e.getMessage().contains("failed after 2 attempts: 127.0.0.1 stalled: no data for 300 ms after 2000 bytes"),
        e.getMessage());
    assertTrue(e.getMessage().contains("REMOTECLIP_READ_TIMEOUT"), e.getMessage());
    assertTrue(seconds < 5, "gave up after " + seconds + " s");
    assertEquals("bytes=1000-", server.requests("/w.pt").get(1).range(), "the retry resumed the stalled transfer");
  }

  @Test
  void serverThatNeverAnswersTimesOut() {
    server.serve("/w.pt", payload, Behaviour.STALL_HEADERS);
    DownloadException e = assertThrows(DownloadException.class, () -> downloader(1, Duration.ofMillis(300))
        .fetch(URI.create(server.url("/w.pt")), target(), (long) SIZE, sha, false, ProgressListener.NONE));
    assertTrue(e.getMessage().contains("no response from 127.0.0.1 within 300 ms (read timeout"), e.getMessage());
  }

  @Test
  void refusedConnectionMeansNetworkUnavailable() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    NetworkUnavailableException e = assertThrows(NetworkUnavailableException.class,
        () -> downloader(3, Duration.ofSeconds(5)).fetch(URI.create("http://127.0.0.1:" + closedPort + "/w.pt"),
            target(), null, null, false, ProgressListener.NONE));
    assertTrue(e.getMessage().startsWith("cannot reach 127.0.0.1:" + closedPort + " ("), e.getMessage());
  }

  @Test
  void concurrentPullsOfTheSameFileDownloadItOnce() throws Exception {
    server.serve("/w.pt", payload, Behaviour.SLOW);
    Downloader d = downloader(1, Duration.ofSeconds(5));
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Downloader.Result>> futures = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        futures.add(pool.submit(() -> {
          go.await();
          return d.fetch(URI.create(server.url("/w.pt")), target(), (long) SIZE, sha, false, ProgressListener.NONE);
        }));
      }
      go.countDown();
      Downloader.Result a = futures.get(0).get();
      Downloader.Result b = futures.get(1).get();
      assertEquals(a.path(), b.path());
      assertTrue(a.alreadyPresent() != b.alreadyPresent(), "exactly one of the two downloaded");
      assertEquals(1, server.requests("/w.pt").size(), "one download");
      assertArrayEquals(payload, Files.readAllBytes(target()));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void presentFileIsNotDownloadedAgainUnlessForced() throws IOException {
    server.serve("/w.pt", payload);
    Downloader d = downloader(1, Duration.ofSeconds(5));
    URI u = URI.create(server.url("/w.pt"));
    d.fetch(u, target(), (long) SIZE, sha, false, ProgressListener.NONE);
    assertTrue(d.fetch(u, target(), (long) SIZE, sha, false, ProgressListener.NONE).alreadyPresent());
    assertEquals(1, server.requests("/w.pt").size());
    Downloader.Result forced = d.fetch(u, target(), (long) SIZE, sha, true, ProgressListener.NONE);
    assertFalse(forced.alreadyPresent());
    assertEquals(2, server.requests("/w.pt").size());

    server.serve("/w.pt", new byte[SIZE]); // a forced download that fails verification...
    assertThrows(DownloadException.class, () -> d.fetch(u, target(), (long) SIZE, sha, true, ProgressListener.NONE));
    assertArrayEquals(payload, Files.readAllBytes(target()), "...leaves the good cached file in place");
  }

  @Test
  void environmentProxyIsUsed() throws IOException {
    server.serve("/w.pt", payload);
    // The host does not exist: the file can only arrive through the proxy (our server).
    HubSettings s = HubSettings.forCache(cache).withAttempts(1, Duration.ZERO);
    s = new HubSettings(s.cacheDir(), null, false, null, null,
        EnvironmentProxySelector.choose(java.util.Map.of("http_proxy", server.url("")), new java.util.Properties()),
        Duration.ofSeconds(5), Duration.ofSeconds(5), 1, Duration.ZERO);
    new Downloader(s).fetch(URI.create("http://models.example.invalid/w.pt"), target(), (long) SIZE, sha, false,
        ProgressListener.NONE);
    assertArrayEquals(payload, Files.readAllBytes(target()));
    assertEquals("models.example.invalid", server.requests("/w.pt").get(0).host());
  }

  /** Records the tasks, totals and last progress value of each. */
  static final class RecordingProgress implements ProgressListener {
    final List<String> tasks = new ArrayList<>();
    final List<Long> totals = new ArrayList<>();
    final List<Long> lastUpdate = new ArrayList<>();

    @Override
    public synchronized void start(String task, long total) {
      tasks.add(task);
      totals.add(total);
      lastUpdate.add(-1L);
    }

    @Override
    public synchronized void update(long done) {
      lastUpdate.set(lastUpdate.size() - 1, done);
    }
  }
}
