package io.remoteclip.cli.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandsTest {
  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private static Path whu() {
    return Fixtures.require("data/embeddings/whurs19-remoteclip-vit-b-32");
  }

  @Test
  void zeroShotJsonHasThePublishedFigure() throws Exception {
    Path d = whu();
    CliRun r = run("eval", "zeroshot", "--image-embeddings", d.resolve("images.npy").toString(), "--labels",
        d.resolve("labels.npy").toString(), "--class-embeddings", d.resolve("texts/a_satellite_photo_of_a.npy").toString(),
        "--classes", d.resolve("classes.txt").toString(), "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals(93.43283582089552, j.get("top1").asDouble(), 1e-9);
    assertTrue(j.get("top5").asDouble() >= j.get("top1").asDouble());
    assertEquals(19, j.get("confusion").size());
    assertTrue(j.get("per_class_recall").has("footballfield"));
    assertEquals("percent", j.get("unit").asText());
  }

  @Test
  void zeroShotEnsembleOverTemplateFiles() throws Exception {
    Path d = whu();
    List<String> args = new ArrayList<>(List.of("eval", "zeroshot", "--image-embeddings", d.resolve("images.npy").toString(),
        "--labels", d.resolve("labels.npy").toString(), "--ensemble", "normalize-first"));
    try (var s = Files.list(d.resolve("texts"))) {
      s.sorted().forEach(p -> {
        args.add("--class-embeddings");
        args.add(p.toString());
      });
    }
    CliRun r = run(args.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("106 template file(s), ensemble normalize-first"), r.out());
    assertTrue(r.out().contains("top-1                    95.22 %"), r.out());
  }

  @Test
  void supervisedProtocolsOnASeededSplit() throws Exception {
    Path d = whu();
    String[] data = {"--embeddings", d.resolve("images.npy").toString(), "--labels", d.resolve("labels.npy").toString()};
    CliRun lp = run(concat(new String[] {"eval", "linear-probe", "--json"}, data));
    assertEquals(0, lp.code(), lp.err());
    double lpTop1 = new ObjectMapper().readTree(lp.out()).get("top1").asDouble();
    assertTrue(lpTop1 > 93.43, "linear probe " + lpTop1);
    CliRun knn = run(concat(new String[] {"eval", "knn", "--json", "-k", "20"}, data));
    assertTrue(new ObjectMapper().readTree(knn.out()).get("top1").asDouble() > 90, knn.out());
    CliRun fs1 = run(concat(new String[] {"eval", "fewshot", "--json", "--shots", "1,2", "--seeds", "2"}, data));
    CliRun fs2 = run(concat(new String[] {"eval", "fewshot", "--json", "--shots", "1,2", "--seeds", "2"}, data));
    assertEquals(0, fs1.code(), fs1.err());
    assertEquals(fs1.out(), fs2.out());
    JsonNode shots = new ObjectMapper().readTree(fs1.out()).get("shots");
    assertEquals(2, shots.get(0).get("top1_per_seed").size());
  }

  @Test
  void trainTestFilesAndRetrieval(@TempDir Path tmp) throws Exception {
    Path tr = tmp.resolve("tr.npy");
    Path trl = tmp.resolve("trl.npy");
    Path te = tmp.resolve("te.npy");
    Path tel = tmp.resolve("tel.npy");
    Npy.writeFloats(tr, new float[] {1, 0, 0.9f, 0.1f, 0, 1, 0.1f, 0.9f}, 4, 2);
    Npy.writeLongs(trl, new long[] {0, 0, 1, 1}, 4);
    Npy.writeFloats(te, new float[] {0.8f, 0.2f, 0.2f, 0.8f}, 2, 2);
    Npy.writeLongs(tel, new long[] {0, 1}, 2);
    CliRun knn = run("eval", "knn", "--train-embeddings", tr.toString(), "--train-labels", trl.toString(),
        "--test-embeddings", te.toString(), "--test-labels", tel.toString(), "-k", "3");
    assertEquals(0, knn.code(), knn.err());
    assertTrue(knn.out().contains("top-1                    100.00 %"), knn.out());

    Npy.writeLongs(tmp.resolve("map.npy"), new long[] {0, 1}, 2);
    CliRun ret = run("eval", "retrieval", "--image-embeddings", te.toString(), "--text-embeddings", te.toString(),
        "--text-to-image", tmp.resolve("map.npy").toString(), "--json");
    assertEquals(0, ret.code(), ret.err());
    JsonNode j = new ObjectMapper().readTree(ret.out());
    for (String k : List.of("i2t_r1", "i2t_r5", "i2t_r10", "t2i_r1", "t2i_r5", "t2i_r10", "mean_recall")) {
      assertEquals(100.0, j.get(k).asDouble(), 1e-12, k);
    }
  }

  @Test
  void userMistakesGiveOneLineAndExitCodes(@TempDir Path tmp) throws Exception {
    Path d = whu();
    Npy.writeLongs(tmp.resolve("short.npy"), new long[] {0, 1}, 2);
    CliRun r = run("eval", "zeroshot", "--image-embeddings", d.resolve("images.npy").toString(), "--labels",
        tmp.resolve("short.npy").toString(), "--class-embeddings", d.resolve("texts_averageprompt.npy").toString());
    assertEquals(65, r.code());
    assertEquals("remoteclip: " + tmp.resolve("short.npy") + ": 2 entries but " + d.resolve("images.npy")
        + " has 1005 rows", r.err().strip());
    CliRun missing = run("eval", "retrieval", "--image-embeddings", tmp.resolve("nope.npy").toString(),
        "--text-embeddings", "x.npy", "--text-to-image", "y.npy");
    assertEquals(66, missing.code());
    assertFalse(missing.err().contains("\tat "), missing.err());
    CliRun usage = run("eval", "knn", "--embeddings", d.resolve("images.npy").toString());
    assertEquals(2, usage.code());
    assertTrue(usage.err().contains("--embeddings and --labels go together"), usage.err());
  }

  @Test
  void countingFromItemsAndEmbeddings(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("items.jsonl"),
        "{\"image\": \"a.png\", \"category\": \"plane\", \"plural\": \"planes\", \"count\": 2}\n");
    Npy.writeFloats(tmp.resolve("img.npy"), new float[] {(float) Math.cos(0.1), (float) Math.sin(0.1)}, 1, 2);
    float[] caps = new float[20];
    for (int c = 0; c < 10; c++) {
      caps[2 * c] = (float) Math.cos(0.1 * c);
      caps[2 * c + 1] = (float) Math.sin(0.1 * c);
    }
    Npy.writeFloats(tmp.resolve("cap.npy"), caps, 1, 10, 2);
    CliRun r = run("eval", "counting", "--items", tmp.resolve("items.jsonl").toString(), "--image-embeddings",
        tmp.resolve("img.npy").toString(), "--caption-embeddings", tmp.resolve("cap.npy").toString(), "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals(100.0, j.get("top1").asDouble(), 1e-12);
    assertEquals(0.0, j.get("mean_absolute_error").asDouble(), 1e-12);
  }

  @Test
  void benchmarkWritesReport(@TempDir Path tmp) throws Exception {
    Path d = whu();
    Path cfg = Files.writeString(tmp.resolve("bench.json"), """
        {"output": "out", "protocols": ["zeroshot", "knn"],
         "models": [{"name": "RemoteCLIP ViT-B-32", "datasets": [
           {"name": "WHU-RS19", "images": "%1$s/images.npy", "labels": "%1$s/labels.npy",
            "class_embeddings": "%1$s/texts/a_satellite_photo_of_a.npy"}]}]}
        """.formatted(d));
    CliRun r = run("benchmark", "--config", cfg.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("RemoteCLIP ViT-B-32 / WHU-RS19 / zeroshot: top-1 93.43"), r.err());
    assertTrue(Files.readString(tmp.resolve("out/results.md")).contains("| RemoteCLIP ViT-B-32 | 93.43 | 93.43 |"));
    assertTrue(Files.exists(tmp.resolve("out/results.json")));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
