package io.remoteclip.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.testing.StripImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads of tiny strips whose resize would overflow or fill the heap are refused from their header. */
class ElongatedUploadTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path tmp;
  private static ServedIndex served;

  @BeforeAll
  static void start() throws Exception {
    served = ServedIndex.start(tmp);
  }

  @AfterAll
  static void stop() throws Exception {
    if (served != null) {
      served.close();
    }
  }

  private record Timed(HttpResponse<String> response, long millis) {}

  private static CompletableFuture<Timed> post(String path, byte[] png) {
    long t0 = System.nanoTime();
    return CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(served.url(path))).timeout(Duration.ofSeconds(60))
            .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(),
        HttpResponse.BodyHandlers.ofString()).thenApply(r -> new Timed(r, (System.nanoTime() - t0) / 1_000_000));
  }

  private static void assertRefused(Timed t, String shape) throws Exception {
    assertEquals(422, t.response().statusCode(), t.response().body());
    String error = JSON.readTree(t.response().body()).get("error").asText();
    assertTrue(error.startsWith("upload: image is too elongated: " + shape), error);
    assertTrue(t.millis() < 1000, "refused in " + t.millis() + " ms");
  }

  @Test
  void eightConcurrent40000x2UploadsAreEachRefusedWithinASecond() throws Exception {
    byte[] png = StripImages.png(40_000, 2);
    List<CompletableFuture<Timed>> uploads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      uploads.add(post(i % 2 == 0 ? "/api/search/image?k=3" : "/api/classify?labels=farm,forest", png));
    }
    for (CompletableFuture<Timed> u : uploads) {
      assertRefused(u.get(60, TimeUnit.SECONDS), "40000x2");
    }
    assertEquals(200, CLIENT.send(HttpRequest.newBuilder(URI.create(served.url("/api/health"))).GET().build(),
        HttpResponse.BodyHandlers.ofString()).statusCode(), "the server is still up");
  }

  @Test
  void a100000x1UploadIsA422NotA500() throws Exception {
    assertRefused(post("/api/search/image?k=3", StripImages.png(100_000, 1)).get(60, TimeUnit.SECONDS), "100000x1");
  }
}
