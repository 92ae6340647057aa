package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.Fixtures;
import io.remoteclip.testing.SampleImages;
import io.remoteclip.testing.SiglipGolden;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A SigLIP downstream (the golden siglip-tiny transformers folder): scan's window label scores and search's zero-shot
 * labels of hits (which the JSON calls {@code "scores": "sigmoid"}) are each label's sigmoid of exp(logit_scale)·cos + logit_bias, computed here from {@code embed}'s
 * rows and the fixture's logit parameters (not a softmax: they need not sum to 1); an index built with a CLIP refuses
 * the SigLIP in one line naming the family.
 */
class SiglipDownstreamCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> LABELS = List.of("forest", "airport");
  private static final String TEMPLATE = "a satellite photo of {}.";

  @TempDir Path tmp;
  private String out;
  private String err;

  private int run(String... args) {
    CommandLine cmd = Main.newCommandLine();
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    cmd.setOut(new PrintWriter(o));
    cmd.setErr(new PrintWriter(e));
    int code = cmd.execute(args);
    out = o.toString();
    err = e.toString();
    return code;
  }

  @Test
  void scanAndSearchScoreLabelsWithTheSigmoidAndIndexesRefuseAnotherFamily() throws Exception {
    Path g = Fixtures.require("golden/siglip-tiny");
    String hf = g.resolve("hf").toString();
    double scale = Math.exp(Npy.read(g.resolve("logit_scale.npy")).floats()[0]);
    double bias = Npy.read(g.resolve("logit_bias.npy")).floats()[0];
    Path images = tmp.resolve("images");
    int[] ids = {101, 701, 305};
    for (int id : ids) {
      SampleImages.write(images.resolve(id + ".png"), id);
    }
    Path texts = tmp.resolve("labels.txt");
    Files.write(texts, LABELS.stream().map(l -> TEMPLATE.replace("{}", l)).toList());
    Path txt = tmp.resolve("txt.npy");
    assertEquals(0, run("embed", "--model", hf, "--texts", texts.toString(), "--out", txt.toString()), err);
    float[][] labelRows = SiglipGolden.rows(Npy.read(txt).floats(), LABELS.size());
    Map<String, double[]> expected = new HashMap<>();
    for (int id : ids) {
      Path npy = tmp.resolve(id + ".npy");
      assertEquals(0, run("embed", "--model", hf, "--images", images.resolve(id + ".png").toString(), "--out", npy.toString()), err);
      float[] img = Npy.read(npy).floats();
      double[] p = new double[LABELS.size()];
      for (int c = 0; c < p.length; c++) {
        p[c] = 1 / (1 + Math.exp(-(scale * SiglipGolden.cosine(img, labelRows[c]) + bias)));
      }
      expected.put(id + ".png", p);
    }
    double sum = expected.get("101.png")[0] + expected.get("101.png")[1];
    assertTrue(Math.abs(sum - 1) > 1e-3, "sigmoid scores of two labels need not sum to 1 (they sum to " + sum + ")");

    // scan: one window covering the whole image (the same pixels as a TIFF), its best label's score
    Path scene = SampleImages.write(tmp.resolve("scene.tif"), 701);
    Path scanOut = tmp.resolve("scan");
    assertEquals(0, run("scan", "--model", hf, "--labels", String.join(",", LABELS), "--template", TEMPLATE, "--window",
        Integer.toString(SampleImages.SIZE), "--threshold", "0", "--json", "--out", scanOut.toString(),
        scene.toString()), err);
    JsonNode features = JSON.readTree(scanOut.resolve("windows.geojson").toFile()).get("features");
    assertEquals(1, features.size());
    JsonNode props = features.get(0).get("properties");
    double[] p701 = expected.get("701.png");
    int best = p701[0] >= p701[1] ? 0 : 1;
    assertEquals(LABELS.get(best), props.get("label").asText(), props.toString());
    assertEquals(p701[best], props.get("score").asDouble(), 1e-5, "scan's window score is the label's sigmoid");

    // index + search: every hit's zero-shot labels with their sigmoid scores
    Path index = tmp.resolve("index");
    assertEquals(0, run("index", "--model", hf, images.toString(), "--index", index.toString()), err);
    assertEquals(0, run("search", "--index", index.toString(), "forest", "-k", "3", "--zero-shot", String.join(",", LABELS),
        "--json"), err);
    assertEquals("sigmoid", JSON.readTree(out).path("scores").asText(), "search says how it scored labels: " + out);
    JsonNode results = JSON.readTree(out).get("results");
    assertEquals(3, results.size(), out);
    for (JsonNode r : results) {
      double[] p = expected.get(Path.of(r.get("path").asText()).getFileName().toString());
      for (JsonNode z : r.get("zero_shot")) {
        assertEquals(p[LABELS.indexOf(z.get("label").asText())], z.get("probability").asDouble(), 1e-5, r.toString());
      }
    }

    // an index of a CLIP refuses the SigLIP, naming the family
    Path clipIndex = tmp.resolve("clip-index");
    assertEquals(0, run("index", "--model", BundledModel.dir().toString(), images.toString(), "--index", clipIndex.toString()), err);
    assertEquals(65, run("index", "--model", hf, images.toString(), "--index", clipIndex.toString()), err);
    List<String> lines = err.strip().lines().toList();
    assertEquals(1, lines.size(), err);
    assertTrue(lines.get(0).startsWith("remoteclip: ") && lines.get(0).contains("family siglip vs clip")
        || lines.get(0).contains("family clip vs siglip"), err);
    assertFalse(err.contains("\tat "), err);
  }
}
