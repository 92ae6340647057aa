package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.testing.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {
  /** A tiny architecture: the test checks the command's wiring and output, not speed. */
  private static final String TINY = "vit:width=64,layers=1,patch=32,text-width=64,text-layers=1,embed=32,vocab=1000";

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cmd = Main.newCommandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @Test
  void measuresBothTowersAndEndToEndOverRealJpegs() throws Exception {
    Path images = Fixtures.require("data/ucm-captions/images");
    int code = run("bench", "--arch", TINY, "--batch-size", "4", "--threads", "1", "--warmup", "0", "--iters", "1",
        "--images", images.toString(), "--max-images", "10", "--repeat", "2", "--json");
    assertEquals(0, code, err.toString());
    List<JsonNode> rows = new ArrayList<>();
    for (String line : out.toString().split("\n")) {
      rows.add(new ObjectMapper().readTree(line));
    }
    assertEquals(List.of("image", "text", "end-to-end"), rows.stream().map(r -> r.get("tower").asText()).toList());
    assertTrue(rows.get(0).get("items_per_s").asDouble() > 0);
    assertTrue(rows.get(1).get("items_per_s").asDouble() > 0);
    JsonNode e2e = rows.get(2);
    assertEquals(20, e2e.get("images").asInt(), "10 files encoded twice");
    assertEquals(0, e2e.get("failed").asInt());
    assertEquals(e2e.get("items_per_s").asDouble() / e2e.get("model_items_per_s").asDouble(), e2e.get("ratio").asDouble(), 1e-2);
    JsonNode trace = e2e.get("rss_mb_by_images");
    assertEquals(20, trace.get(trace.size() - 1).get(0).asInt(), "the RSS trace ends after the last image");
    assertTrue(trace.get(0).get(1).asDouble() > 0);
  }

  @Test
  void transductiveReportsTimesPerSizeAndTheLoad() throws Exception {
    int code = run("bench", "transductive", "--n", "60,200", "--dim", "16", "--classes", "4", "--threads", "2", "--json");
    assertEquals(0, code, err.toString());
    String[] lines = out.toString().split("\n");
    assertEquals(2, lines.length, out.toString());
    for (int i = 0; i < 2; i++) {
      JsonNode r = new ObjectMapper().readTree(lines[i]);
      assertEquals(i == 0 ? 60 : 200, r.get("n").asInt());
      assertEquals(3, r.get("neighbors").asInt());
      assertEquals(r.get("knn_s").asDouble() + r.get("solve_s").asDouble(), r.get("total_s").asDouble(), 2e-3);
      assertEquals(1000 * r.get("total_s").asDouble() / r.get("n").asInt(), r.get("s_per_1000").asDouble(), 1e-2);
      assertTrue(r.get("peak_heap_mb").asDouble() > 0 && r.has("load_average"));
    }
    assertEquals(2, run("bench", "transductive", "--n", "3", "--classes", "4"));
  }

  /** The share is the measured rate times the counted FLOPs over the measured sgemm, for both engines. */
  @Test
  void ceilingReportsEachTowersShareOfTheEnginesSgemm() throws Exception {
    io.remoteclip.model.ClipConfig config = io.remoteclip.model.Architectures.parse(TINY, 0);
    for (String engine : List.of("djl", "onnxruntime")) {
      out.getBuffer().setLength(0);
      int code = run("bench", "--arch", TINY, "--batch-size", "4", "--threads", "1", "--warmup", "0", "--iters", "1",
          "--engine", engine, "--ceiling", "--ceiling-size", "128,256", "--json");
      assertEquals(0, code, err.toString());
      String[] lines = out.toString().split("\n");
      assertEquals(5, lines.length, out.toString());
      double best = 0;
      for (int i = 0; i < 2; i++) {
        JsonNode size = new ObjectMapper().readTree(lines[i]);
        assertEquals("sgemm", size.get("measure").asText());
        assertEquals(i == 0 ? 128 : 256, size.get("n").asInt());
        double n = size.get("n").asDouble();
        assertEquals(2 * n * n * n / size.get("median_s").asDouble() / 1e9, size.get("gflops").asDouble(),
            0.01 * size.get("gflops").asDouble());
        best = Math.max(best, size.get("gflops").asDouble());
      }
      JsonNode ceiling = new ObjectMapper().readTree(lines[2]);
      assertEquals("sgemm-ceiling", ceiling.get("measure").asText());
      assertEquals(best, ceiling.get("gflops").asDouble(), 0.01);
      for (int i = 3; i < 5; i++) {
        JsonNode r = new ObjectMapper().readTree(lines[i]);
        double flops = r.get("tower").asText().equals("image") ? io.remoteclip.model.TowerFlops.image(config)
            : io.remoteclip.model.TowerFlops.text(config, 21);
        assertEquals(flops / 1e9, r.get("gflop_per_item").asDouble(), 1e-4);
        double gflops = r.get("items_per_s").asDouble() * flops / 1e9;
        assertEquals(gflops, r.get("gflops").asDouble(), 0.01 * gflops + 0.01);
        assertEquals(gflops / ceiling.get("gflops").asDouble(), r.get("ceiling_share").asDouble(), 0.02 * r.get("ceiling_share").asDouble() + 1e-4);
      }
    }
    assertEquals(2, run("bench", "--arch", TINY, "--ceiling", "--ceiling-size", "256,8"));
    assertTrue(err.toString().contains("--ceiling-size' (N): 8 (allowed: 64 to 8192)"), err.toString());
  }

  @Test
  void profileWritesATraceAndListsTheOperators(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path trace = dir.resolve("image.json");
    int code = run("bench", "--arch", TINY, "--batch-size", "2", "--threads", "1", "--warmup", "0", "--iters", "1",
        "--tower", "image", "--profile", trace.toString());
    assertEquals(0, code, err.toString());
    assertTrue(java.nio.file.Files.size(trace) > 0);
    assertTrue(err.toString().contains("image tower, one batch of 2") && err.toString().contains("aten::"), err.toString());
    assertEquals(2, run("bench", "--arch", TINY, "--engine", "onnxruntime", "--profile", trace.toString()));
  }

  @Test
  void refusesBf16WithOneLineReason() {
    int code = run("bench", "--arch", TINY, "--precision", "bf16");
    assertEquals(2, code);
    assertTrue(err.toString().contains("--precision bf16") && err.toString().contains("bfloat16"), err.toString());
  }

  @Test
  void rejectsUnknownTower() {
    assertEquals(2, run("bench", "--arch", TINY, "--tower", "audio"));
    assertTrue(err.toString().contains("--tower=audio"), err.toString());
  }
}
