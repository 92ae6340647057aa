package io.remoteclip.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.ProgressListener;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.index.ImageIndex;
import io.remoteclip.index.ImageIndexer;
import io.remoteclip.index.LabelSource;
import io.remoteclip.index.TinyModel;
import io.remoteclip.npy.Npy;
import io.remoteclip.search.SearchRequest;
import io.remoteclip.search.SearchService;
import io.remoteclip.testing.Fixtures;
import io.remoteclip.testing.SiglipGolden;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} over an index built with a SigLIP (the golden siglip-tiny transformers folder): {@code /api/classify}
 * and the zero-shot labels of search hits say {@code "scores": "sigmoid"}, and each probability is the label's
 * sigmoid of exp(logit_scale)·cos + logit_bias, computed here from the fixture's logit parameters and the model's
 * rows (they need not sum to 1, as a softmax's would).
 */
class SiglipServeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final List<String> LABELS = List.of("airport", "farm land", "baseball field");

  @TempDir Path tmp;

  private static ClipEncoder open(Path hf) throws Exception {
    var resolved = ModelResolver.fromEnvironment().resolve(hf.toString(), null, ProgressListener.NONE);
    return ClipEncoder.open(resolved, ClipEncoder.Options.defaults(), ProgressListener.NONE);
  }

  @Test
  void classifyAndZeroShotHitsAreSigmoidScores() throws Exception {
    Path g = Fixtures.require("golden/siglip-tiny");
    Path hf = g.resolve("hf");
    double scale = Math.exp(Npy.read(g.resolve("logit_scale.npy")).floats()[0]);
    double bias = Npy.read(g.resolve("logit_bias.npy")).floats()[0];
    Path root = tmp.resolve("images");
    TinyModel.copyUcm(root, TinyModel.ranges(2, 1, 101, 201));
    Path idx = tmp.resolve("index");
    float[][] labelRows;
    float[] upload;
    try (ClipEncoder enc = open(hf)) {
      new ImageIndexer(enc, new ImageIndexer.Options(100, LabelSource.NONE, hf.toString(), null))
          .update(root, idx, ProgressListener.NONE);
      labelRows = enc.encodeTexts(LABELS.stream().map(l -> SearchRequest.DEFAULT_TEMPLATE.replace("{}", l)).toList());
      upload = enc.encodeImageFiles(List.of(root.resolve("101.jpg")), true, ProgressListener.NONE).embeddings()[0];
    }
    SearchServer server = SearchServer.start(new SearchService(ImageIndex.open(idx), open(hf)), ServedIndex.LIMITS,
        "127.0.0.1", 0);
    try (ImageIndex reference = ImageIndex.open(idx)) {
      String base = "http://127.0.0.1:" + server.port();
      byte[] jpg = Files.readAllBytes(root.resolve("101.jpg"));
      JsonNode classify = json(HttpRequest.newBuilder(URI.create(base + "/api/classify?labels=" + enc(String.join(",", LABELS))))
          .POST(HttpRequest.BodyPublishers.ofByteArray(jpg)));
      assertEquals("sigmoid", classify.get("scores").asText(), classify.toString());
      assertSigmoids(classify.get("predictions"), upload, labelRows, scale, bias);

      JsonNode search = json(HttpRequest.newBuilder(URI.create(base + "/api/search?q=" + enc("an airport") + "&k=3&zero_shot="
          + enc(String.join(",", LABELS)))).GET());
      assertEquals("sigmoid", search.get("scores").asText(), search.toString());
      assertEquals(3, search.get("results").size());
      for (JsonNode hit : search.get("results")) {
        float[] row = reference.record(hit.get("id").asText()).orElseThrow().embedding();
        assertSigmoids(hit.get("zero_shot"), row, labelRows, scale, bias);
      }
      JsonNode plain = json(HttpRequest.newBuilder(URI.create(base + "/api/search?q=x&k=1")).GET());
      assertTrue(!plain.has("scores"), "no label scores asked for: " + plain);
    } finally {
      server.stop(1);
    }
  }

  /** Each label's probability is its own sigmoid; together they need not sum to 1. */
  private static void assertSigmoids(JsonNode predictions, float[] image, float[][] labelRows, double scale, double bias) {
    assertEquals(LABELS.size(), predictions.size(), predictions.toString());
    double sum = 0;
    for (JsonNode p : predictions) {
      float[] label = labelRows[LABELS.indexOf(p.get("label").asText())];
      double want = 1 / (1 + Math.exp(-(scale * SiglipGolden.cosine(image, label) + bias)));
      assertEquals(want, p.get("probability").asDouble(), 1e-5, p.toString());
      sum += want;
    }
    assertTrue(Math.abs(sum - 1) > 1e-3, "sigmoid scores need not sum to 1; these sum to " + sum);
  }

  private static JsonNode json(HttpRequest.Builder b) throws Exception {
    HttpResponse<byte[]> r = CLIENT.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
    return JSON.readTree(r.body());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
