package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.cli.eval.CliRun;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.SampleImages;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code search --zero-shot --json} says how its label probabilities were made, as {@code serve} and
 * {@code classify} do: the bundled CLIP's are a softmax over the labels (they sum to 1); without --zero-shot
 * there is nothing to say. (A SigLIP's {@code sigmoid}: SiglipDownstreamCommandsTest, which needs ../shared.)
 */
class SearchScoresCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void zeroShotJsonNamesTheScores() throws Exception {
    Path images = tmp.resolve("images");
    SampleImages.ucmLike(images, 101, 102, 701, 702);
    Path index = tmp.resolve("index");
    CliRun built = CliRun.of("index", "--model", BundledModel.dir().toString(), images.toString(), "--index",
        index.toString());
    assertEquals(0, built.code(), built.err());

    CliRun text = CliRun.of("search", "--index", index.toString(), "a forest", "-k", "4", "--zero-shot",
        "forest,airplane,beach", "--json");
    assertEquals(0, text.code(), text.err());
    JsonNode o = JSON.readTree(text.out());
    assertEquals("softmax", o.path("scores").asText(), text.out());
    assertEquals(4, o.get("results").size(), text.out());
    for (JsonNode r : o.get("results")) {
      double sum = 0;
      for (JsonNode z : r.get("zero_shot")) {
        sum += z.get("probability").asDouble();
      }
      assertEquals(1.0, sum, 1e-5, "a softmax over the labels: " + r);
    }

    String id = o.get("results").get(0).get("id").asText();
    CliRun like = CliRun.of("search", "--index", index.toString(), "--like", id, "--zero-shot", "forest,airplane",
        "--json");
    assertEquals(0, like.code(), like.err());
    assertEquals("softmax", JSON.readTree(like.out()).path("scores").asText(), like.out());

    CliRun plain = CliRun.of("search", "--index", index.toString(), "a forest", "--json");
    assertEquals(0, plain.code(), plain.err());
    assertFalse(JSON.readTree(plain.out()).has("scores"), "no label probabilities, no scores: " + plain.out());
  }
}
