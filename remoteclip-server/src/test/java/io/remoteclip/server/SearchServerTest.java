package io.remoteclip.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.eval.ZeroShotClassifier;
import io.remoteclip.image.ImageDecoder;
import io.remoteclip.index.ImageIndex;
import io.remoteclip.index.QueryVectors;
import io.remoteclip.index.SearchHit;
import io.remoteclip.index.TinyModel;
import io.remoteclip.search.SearchRequest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API on 127.0.0.1: contract, agreement with the library, hostile input, concurrent load. */
class SearchServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> QUERIES = List.of("a farm", "airplanes at an airport", "a baseball field",
      "an overpass", "green fields", "tennis");

  @TempDir static Path tmp;
  private static ServedIndex served;
  private static ClipEncoder reference;
  private static ImageIndex referenceIndex;
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    served = ServedIndex.start(tmp);
    reference = TinyModel.open();
    referenceIndex = ImageIndex.open(served.index);
  }

  @AfterAll
  static void stop() throws Exception {
    if (served != null) {
      served.close();
    }
    if (referenceIndex != null) {
      referenceIndex.close();
    }
    if (reference != null) {
      reference.close();
    }
  }

  private record Reply(int status, String type, byte[] body) {
    JsonNode json() throws Exception {
      assertTrue(type.startsWith("application/json"), "JSON expected, got " + type);
      return JSON.readTree(body);
    }

    String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private static Reply send(HttpRequest.Builder b) throws Exception {
    HttpResponse<byte[]> r = CLIENT.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
  }

  private static Reply get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(served.url(path))).GET());
  }

  private static String multipartBoundary = "remoteclipTestBoundary7MA4YWxk";

  private static HttpRequest.Builder postMultipart(String path, Map<String, byte[]> fields) throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> f : fields.entrySet()) {
      body.write(("--" + multipartBoundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\""
          + (f.getKey().equals("image") ? "; filename=\"x.jpg\"\r\nContent-Type: application/octet-stream" : "")
          + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      body.write(f.getValue());
      body.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    body.write(("--" + multipartBoundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return HttpRequest.newBuilder(URI.create(served.url(path)))
        .header("Content-Type", "multipart/form-data; boundary=" + multipartBoundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
  }

  private static List<String> ids(JsonNode results) {
    List<String> out = new ArrayList<>();
    results.forEach(r -> out.add(r.get("id").asText()));
    return out;
  }

  private static List<String> expectedText(String q, int k) throws Exception {
    return referenceIndex.search(QueryVectors.text(reference, q), k, null).stream().map(SearchHit::id).toList();
  }

  private static List<String> expectedImage(String file, int k) throws Exception {
    return referenceIndex.search(QueryVectors.image(reference, ImageDecoder.decode(served.root.resolve(file))), k, null)
        .stream().map(SearchHit::id).toList();
  }

  private static boolean hasSelf(JsonNode results, String suffix) {
    for (JsonNode r : results) {
      if (r.get("path").asText().equals(suffix) && r.get("score").asDouble() > 1 - 1e-4) {
        return true;
      }
    }
    return false;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void healthAndPage() throws Exception {
    JsonNode h = get("/api/health").json();
    assertEquals("ok", h.get("status").asText());
    assertEquals(24, h.get("documents").asInt());
    assertEquals(reference.modelId(), h.get("model").asText());
    Reply page = get("/");
    assertEquals(200, page.status());
    assertTrue(new String(page.body(), StandardCharsets.UTF_8).contains("/api/search?q="));
  }

  @Test
  void loadingAndStartingTheServerSetsNoSystemProperty() {
    // The slow-client bounds are per server (ServerLimits.Connections), not the JDK server's JVM-wide properties.
    assertEquals(null, System.getProperty("sun.net.httpserver.maxReqTime"));
    assertEquals(null, System.getProperty("sun.net.httpserver.maxRspTime"));
  }

  @Test
  void textSearchAgreesWithTheLibrary() throws Exception {
    for (String q : QUERIES) {
      Reply r = get("/api/search?q=" + enc(q) + "&k=7");
      assertEquals(200, r.status());
      JsonNode results = r.json().get("results");
      assertEquals(expectedText(q, 7), ids(results), q);
      for (int i = 1; i < results.size(); i++) {
        assertTrue(results.get(i - 1).get("score").asDouble() >= results.get(i).get("score").asDouble(), "best first");
      }
      String path = results.get(0).get("path").asText();
      assertFalse(Path.of(path).isAbsolute(), "paths relative to the indexed root: " + path);
      assertTrue(Files.exists(served.root.resolve(path)), path);
      assertFalse(r.text().contains(served.root.toAbsolutePath().toString()), "no server path in " + r.text());
    }
    JsonNode planes = get("/api/search?q=" + enc("a farm") + "&k=20&label=airplane").json().get("results");
    assertEquals(6, planes.size());
    planes.forEach(p -> assertEquals("airplane", p.get("labels").get(0).asText()));
  }

  @Test
  void imageQueriesFindTheImageItself() throws Exception {
    byte[] jpg = Files.readAllBytes(served.root.resolve("103.jpg"));
    JsonNode multipart = send(postMultipart("/api/search/image?k=3", Map.of("image", jpg))).json().get("results");
    // Random weights map many tiles to nearly one direction: ties at 1 - 1e-7 are possible, so compare with
    // the library and require the image itself among the hits at cosine 1.
    assertEquals(expectedImage("103.jpg", 3), ids(multipart));
    assertTrue(hasSelf(multipart, "103.jpg"), multipart.toString());
    JsonNode raw = send(HttpRequest.newBuilder(URI.create(served.url("/api/search/image?k=3")))
        .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(jpg))).json().get("results");
    assertEquals(ids(multipart), ids(raw));
    String id = multipart.get(0).get("id").asText();
    JsonNode similar = get("/api/similar?id=" + id + "&k=3").json().get("results");
    assertEquals(ids(multipart), ids(similar), "stored embedding = re-encoded upload");
  }

  @Test
  void anUploadThatExpects100ContinueIsNotKeptWaiting() throws Exception {
    byte[] jpg = Files.readAllBytes(served.root.resolve("103.jpg"));
    long t0 = System.nanoTime();
    Reply r = send(HttpRequest.newBuilder(URI.create(served.url("/api/search/image?k=3"))).expectContinue(true)
        .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(jpg)));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(200, r.status(), r.text());
    assertTrue(hasSelf(r.json().get("results"), "103.jpg"), r.text());
    assertTrue(ms < 900, "answered in " + ms + " ms: the server sends 100 Continue instead of letting the client time out");
    // Too large: refused from its Content-Length, the body never sent (by hand: JDK 17's client waits forever for a
    // 100 that does not come, JDK-8286171).
    try (Socket s = new Socket("127.0.0.1", served.server.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("POST /api/search/image HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
          + "Content-Length: " + ((1 << 20) + 10) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(response.startsWith("HTTP/1.1 413 "), response);
      assertTrue(response.contains("upload too large"), response);
    }
  }

  @Test
  void classifyMatchesZeroShotClassifier() throws Exception {
    byte[] jpg = Files.readAllBytes(served.root.resolve("1.jpg"));
    List<String> labels = List.of("farm land", "airport", "forest", "river");
    JsonNode reply = send(postMultipart("/api/classify", Map.of("image", jpg,
        "labels", String.join(",", labels).getBytes(StandardCharsets.UTF_8)))).json();
    assertEquals("softmax", reply.get("scores").asText(), "a CLIP's label scores");
    JsonNode preds = reply.get("predictions");
    assertEquals(4, preds.size());
    ZeroShotClassifier zs = ZeroShotClassifier.build(reference, labels, List.of(SearchRequest.DEFAULT_TEMPLATE),
        (float) Math.exp(reference.model().logitScale()));
    float[] expected = zs.probabilities(reference.encodeImageFiles(List.of(served.root.resolve("1.jpg")), true,
        io.remoteclip.ProgressListener.NONE).embeddings()[0]);
    double sum = 0;
    for (JsonNode p : preds) {
      int i = labels.indexOf(p.get("label").asText());
      assertEquals(expected[i], p.get("probability").asDouble(), 1e-5);
      sum += p.get("probability").asDouble();
    }
    assertEquals(1.0, sum, 1e-5);
    assertTrue(preds.get(0).get("probability").asDouble() >= preds.get(3).get("probability").asDouble());
    JsonNode viaQuery = send(HttpRequest.newBuilder(URI.create(served.url("/api/classify?labels=" + enc(String.join(",", labels)))))
        .POST(HttpRequest.BodyPublishers.ofByteArray(jpg))).json().get("predictions");
    assertEquals(preds.get(0).get("label").asText(), viaQuery.get(0).get("label").asText());
  }

  @Test
  void zeroShotLabelsOfHitsAreTheClassifierProbabilitiesOfTheirEmbeddings() throws Exception {
    List<String> labels = List.of("farm land", "airport", "baseball field");
    ZeroShotClassifier zs = ZeroShotClassifier.build(reference, labels, List.of(SearchRequest.DEFAULT_TEMPLATE),
        (float) Math.exp(reference.model().logitScale()));
    String zeroShot = "&zero_shot=" + enc(String.join(",", labels));
    JsonNode textReply = get("/api/search?q=" + enc("an airport") + "&k=5" + zeroShot).json();
    assertEquals("softmax", textReply.get("scores").asText());
    JsonNode text = textReply.get("results");
    String id = text.get(0).get("id").asText();
    JsonNode similar = get("/api/similar?id=" + id + "&k=3" + zeroShot).json().get("results");
    for (JsonNode hits : List.of(text, similar)) {
      for (JsonNode h : hits) {
        float[] expected = zs.probabilities(referenceIndex.record(h.get("id").asText()).orElseThrow().embedding());
        JsonNode scores = h.get("zero_shot");
        assertEquals(3, scores.size(), h.toString());
        for (JsonNode s : scores) {
          assertEquals(expected[labels.indexOf(s.get("label").asText())], s.get("probability").asDouble(), 1e-5);
        }
      }
    }
    assertTrue(get("/api/search?q=x&k=2").json().get("results").get(0).get("zero_shot") == null, "only when asked");
    assertJsonError(get("/api/search?q=x&zero_shot=one"), 400, "zero_shot=a,b");
    assertJsonError(get("/api/search?q=x&zero_shot=" + enc("airport,farm land,airport")), 400,
        "zero_shot: label 'airport' is given twice");
    assertJsonError(send(HttpRequest.newBuilder(URI.create(served.url("/api/classify?labels=" + enc("beach, beach,forest"))))
        .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(served.root.resolve("1.jpg"))))), 400,
        "labels: label 'beach' is given twice");
  }

  @Test
  void thumbnailsOfIndexedImagesOnly() throws Exception {
    String id = get("/api/search?q=tennis&k=1").json().get("results").get(0).get("id").asText();
    Reply thumb = get("/api/thumb/" + id);
    assertEquals(200, thumb.status());
    assertEquals("image/jpeg", thumb.type());
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(thumb.body()));
    assertEquals(Thumbnails.MAX_SIDE, Math.max(img.getWidth(), img.getHeight()));
    assertEquals(404, get("/api/thumb/0123456789abcdef").status());
  }

  private static void assertJsonError(Reply r, int status, String contains) throws Exception {
    assertEquals(status, r.status(), new String(r.body(), StandardCharsets.UTF_8));
    String error = r.json().get("error").asText();
    assertTrue(error.toLowerCase().contains(contains.toLowerCase()), error);
  }

  @Test
  void hostileInputGets4xxJson() throws Exception {
    assertJsonError(get("/api/search?q="), 400, "empty query");
    assertJsonError(get("/api/search?q=%20%20"), 400, "empty query");
    assertJsonError(get("/api/search"), 400, "empty query");
    assertJsonError(get("/api/search?q=" + "a".repeat(201)), 400, "too long");
    assertJsonError(get("/api/search?q=x&k=0"), 400, "k=0");
    assertJsonError(get("/api/search?q=x&k=1000000"), 400, "k=1000000");
    assertJsonError(get("/api/search?q=x&k=abc"), 400, "not an integer");
    assertJsonError(get("/api/thumb/..%2F..%2F..%2Fetc%2Fpasswd"), 400, "bad image id");
    assertJsonError(get("/api/thumb/" + enc(served.root.resolve("1.jpg").toString())), 400, "bad image id");
    assertJsonError(get("/api/similar?id=../1.jpg"), 400, "bad image id");
    assertJsonError(get("/nope"), 404, "no such endpoint");
    assertJsonError(send(HttpRequest.newBuilder(URI.create(served.url("/api/search?q=x"))).DELETE()), 405, "not allowed");

    byte[] huge = new byte[(1 << 20) + 10];
    Arrays.fill(huge, (byte) 0xff);
    assertJsonError(send(postMultipart("/api/search/image", Map.of("image", huge))), 413, "too large");
    // Without Content-Length (chunked) the cap applies while reading.
    assertJsonError(send(HttpRequest.newBuilder(URI.create(served.url("/api/search/image")))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge)))), 413, "too large");

    assertJsonError(send(postMultipart("/api/search/image", Map.of("image", "hello, not an image".getBytes()))), 415, "not a supported image");
    byte[] jpg = Files.readAllBytes(served.root.resolve("1.jpg"));
    assertJsonError(send(postMultipart("/api/search/image", Map.of("image", Arrays.copyOf(jpg, 600)))), 415, "upload");
    assertJsonError(send(postMultipart("/api/search/image", Map.of("other", jpg))), 400, "no image uploaded");
    assertJsonError(send(postMultipart("/api/classify", Map.of("image", jpg, "labels", "one".getBytes()))), 400, "two labels");
    assertJsonError(send(HttpRequest.newBuilder(URI.create(served.url("/api/search/image")))
        .header("Content-Type", "multipart/form-data").POST(HttpRequest.BodyPublishers.ofByteArray(jpg))), 400, "boundary");
  }

  @Test
  void rawDotDotPathsNeverReachTheFileSystem() throws Exception {
    // java.net.http normalises nothing, but send the request line by hand to be sure of the bytes.
    for (String target : List.of("/api/thumb/../../../../etc/passwd", "/../../etc/passwd", "/api/thumb/%2e%2e/%2e%2e/etc/passwd",
        "/api/search?q=%ZZ", "http://127.0.0.1/api/thumb/..%2F..%2Fetc%2Fpasswd")) {
      try (Socket s = new Socket("127.0.0.1", served.server.port())) {
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        String statusLine = response.lines().findFirst().orElse("");
        assertTrue(statusLine.matches("HTTP/1\\.1 4\\d\\d .*"), target + " -> " + statusLine);
        if (!target.contains("%ZZ")) {
          // A malformed escape is refused by the HTTP server before any handler (400, its own body).
          assertTrue(response.contains("{\"error\":"), response);
        }
        assertTrue(!response.contains("root:"), "no file content leaked");
      }
    }
  }

  @Test
  void absoluteFormTargetsAreRoutedByTheirPath() throws Exception {
    try (Socket s = new Socket("127.0.0.1", served.server.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("GET http://127.0.0.1/api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(response.startsWith("HTTP/1.1 200 "), response);
      assertTrue(response.contains("\"status\":\"ok\""), response);
    }
  }

  @Test
  void concurrentRequestsShareOneModel() throws Exception {
    Map<String, List<String>> expected = new java.util.HashMap<>();
    for (String q : QUERIES) {
      expected.put(q, expectedText(q, 5));
    }
    byte[] jpg = Files.readAllBytes(served.root.resolve("1204.jpg"));
    String thumbId = expectedText("a farm", 1).get(0);
    List<String> expectedUpload = expectedImage("1204.jpg", 5);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<String>> futures = new ArrayList<>();
    long t0 = System.nanoTime();
    int requests = 120;
    for (int i = 0; i < requests; i++) {
      int n = i;
      futures.add(pool.submit(() -> {
        switch (n % 4) {
          case 0, 1 -> {
            String q = QUERIES.get(n % QUERIES.size());
            Reply r = get("/api/search?q=" + enc(q) + "&k=5");
            return r.status() == 200 && ids(r.json().get("results")).equals(expected.get(q)) ? "ok" : "bad search " + q;
          }
          case 2 -> {
            Reply r = send(postMultipart("/api/search/image?k=5", Map.of("image", jpg)));
            return r.status() == 200 && ids(r.json().get("results")).equals(expectedUpload) ? "ok" : "bad image search " + r.status();
          }
          default -> {
            Reply r = get("/api/thumb/" + thumbId);
            return r.status() == 200 && r.type().equals("image/jpeg") ? "ok" : "bad thumb " + r.status();
          }
        }
      }));
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(120, TimeUnit.SECONDS), "bounded load finished");
    for (Future<String> f : futures) {
      assertEquals("ok", f.get());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("concurrent load: %d requests from 8 clients in %.2f s (%.0f req/s)%n", requests, seconds, requests / seconds);
  }

  @Test
  void gracefulStopReleasesThePort() throws Exception {
    Path own = Files.createTempDirectory(tmp, "own");
    try (ServedIndex second = ServedIndex.start(own)) {
      String url = second.url("/api/health");
      assertEquals(200, send(HttpRequest.newBuilder(URI.create(url)).GET()).status());
      long t0 = System.nanoTime();
      second.server.stop(5);
      assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "an idle server stops at once, not after the grace period");
      assertThrows(ConnectException.class, () -> CLIENT.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
          HttpResponse.BodyHandlers.discarding()));
    }
  }

  @Test
  void decoderSeesUploadsAsImagesNotPaths() throws Exception {
    // The server must accept exactly what ImageDecoder accepts from disk.
    Path png = tmp.resolve("q.png");
    ImageIO.write(ImageIO.read(served.root.resolve("105.jpg").toFile()), "png", png.toFile());
    assertEquals(256, ImageDecoder.decode(png).width());
    JsonNode r = send(postMultipart("/api/search/image?k=3", Map.of("image", Files.readAllBytes(png)))).json();
    assertTrue(hasSelf(r.get("results"), "105.jpg"), r.toString());
  }
}
