package io.remoteclip.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.encode.TextQueryBatcher;
import io.remoteclip.index.ImageIndex;
import io.remoteclip.index.QueryVectors;
import io.remoteclip.index.SearchHit;
import io.remoteclip.index.TinyModel;
import io.remoteclip.testing.CountingTextEncoder;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text queries over HTTP: a full text queue answers 503 with Retry-After; repeated queries skip the model. */
class TextQueryServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path tmp;

  private static HttpResponse<String> get(ServedIndex s, String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(s.url(path))).timeout(Duration.ofSeconds(60)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static CompletableFuture<HttpResponse<String>> getAsync(ServedIndex s, String path) {
    return CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(s.url(path))).timeout(Duration.ofSeconds(60)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String search(String q) {
    return "/api/search?k=5&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
  }

  private static JsonNode textCounters(ServedIndex s) throws Exception {
    return JSON.readTree(get(s, "/api/health").body()).get("text_queries");
  }

  private static List<String> ids(String body) throws Exception {
    List<String> out = new ArrayList<>();
    JSON.readTree(body).get("results").forEach(r -> out.add(r.get("id").asText()));
    return out;
  }

  private static List<String> expected(ServedIndex s, String q) throws Exception {
    try (ClipEncoder reference = TinyModel.open(); ImageIndex index = ImageIndex.open(s.index)) {
      return index.search(QueryVectors.text(reference, q), 5, null).stream().map(SearchHit::id).toList();
    }
  }

  @Test
  void aFullTextQueueAnswers503WithRetryAfter() throws Exception {
    CountingTextEncoder[] gated = new CountingTextEncoder[1];
    try (ServedIndex s = ServedIndex.start(tmp, model -> {
      gated[0] = CountingTextEncoder.gated(model);
      return TextQueryBatcher.start(gated[0], 32, TextQueryBatcher.Options.defaults().withMaxQueued(1)
          .withWindow(Duration.ZERO).withCacheSize(0));
    })) {
      CompletableFuture<HttpResponse<String>> inModel = getAsync(s, search("a farm"));
      gated[0].awaitCalls(1);
      CompletableFuture<HttpResponse<String>> queued = getAsync(s, search("an overpass"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (textCounters(s).get("requests").asLong() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      Thread.sleep(100); // past counting the request, into the queue

      HttpResponse<String> refused = get(s, search("a baseball field"));
      assertEquals(503, refused.statusCode());
      assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
      assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
      String error = JSON.readTree(refused.body()).get("error").asText();
      assertTrue(error.startsWith("server busy: text queries: 1 already waiting"), error);

      gated[0].open();
      HttpResponse<String> a = inModel.get(60, TimeUnit.SECONDS);
      HttpResponse<String> b = queued.get(60, TimeUnit.SECONDS);
      assertEquals(200, a.statusCode(), a.body());
      assertEquals(200, b.statusCode(), b.body());
      assertEquals(expected(s, "a farm"), ids(a.body()));
      assertEquals(expected(s, "an overpass"), ids(b.body()));
      assertEquals(1, textCounters(s).get("rejected").asLong());
    }
  }

  @Test
  void requestsBeyondTheThreadsAndTheirQueueAre503AtOnce() throws Exception {
    CountingTextEncoder[] gated = new CountingTextEncoder[1];
    ServerLimits oneThreadOneQueued = new ServerLimits(1 << 20, 50, 200, 20, Duration.ofSeconds(20), 1, 1, 1);
    try (ServedIndex s = ServedIndex.start(tmp, model -> {
      gated[0] = CountingTextEncoder.gated(model);
      return TextQueryBatcher.start(gated[0], 32, TextQueryBatcher.Options.defaults().withWindow(Duration.ZERO)
          .withCacheSize(0));
    }, oneThreadOneQueued)) {
      CompletableFuture<HttpResponse<String>> onTheThread = getAsync(s, search("a farm"));
      gated[0].awaitCalls(1);
      CompletableFuture<HttpResponse<String>> queued = getAsync(s, search("an overpass"));
      Thread.sleep(300); // into the thread pool's queue

      long t0 = System.nanoTime();
      HttpResponse<String> refused = get(s, "/api/health");
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "refused at once, not after a wait");
      assertEquals(503, refused.statusCode(), refused.body());
      assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
      assertTrue(JSON.readTree(refused.body()).get("error").asText().startsWith("server busy: too many requests"));

      gated[0].open();
      assertEquals(200, onTheThread.get(60, TimeUnit.SECONDS).statusCode());
      assertEquals(200, queued.get(60, TimeUnit.SECONDS).statusCode());
      assertEquals(200, get(s, "/api/health").statusCode(), "room again once they are answered");
    }
  }

  @Test
  void aRepeatedQueryIsAnsweredFromTheCacheWithTheSameResults() throws Exception {
    CountingTextEncoder[] counted = new CountingTextEncoder[1];
    try (ServedIndex s = ServedIndex.start(tmp, model -> {
      counted[0] = CountingTextEncoder.of(model);
      return TextQueryBatcher.start(counted[0], 32, TextQueryBatcher.Options.defaults());
    })) {
      HttpResponse<String> first = get(s, search("green fields"));
      HttpResponse<String> again = get(s, search("green fields"));
      assertEquals(200, again.statusCode());
      assertEquals(1, counted[0].calls.get(), "the second query did not reach the model");
      assertEquals(JSON.readTree(first.body()).get("results"), JSON.readTree(again.body()).get("results"));
      assertEquals(expected(s, "green fields"), ids(again.body()));
      JsonNode c = textCounters(s);
      assertEquals(2, c.get("requests").asLong());
      assertEquals(1, c.get("cache_hits").asLong());
      assertEquals(1, c.get("encoded").asLong());
    }
  }
}
