package io.remoteclip.cli.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.SampleImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One JSON schema for results: for each of the six protocols, {@code eval <protocol> --json} and the
 * matching row of the benchmark's {@code results.json} carry the same figures under the same keys. End to
 * end with the bundled remoteclip-mini on images this test draws, so it needs nothing from ../shared.
 */
class EvalJsonMatchesBenchmarkTest {
  private static final String[] CLASSES = {"airplane", "beach", "forest"};
  /** What {@code eval --json} prints before the figures: where they came from. */
  private static final Set<String> CONTEXT = Set.of("protocol", "unit", "model", "dataset", "split", "data");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static CliRun run(List<String> args) {
    return CliRun.of(args);
  }

  @Test
  void everyEvalJsonEqualsItsBenchmarkRow() throws Exception {
    Path mini = BundledModel.dir();
    Path vocab = BundledModel.vocab();
    Path data = drawDataSet(tmp.resolve("data"));
    Path captions = writeCaptions(tmp.resolve("captions.json"), data);
    Path items = writeCountingItems(data.resolve("items.jsonl"));
    List<String> model = List.of("--model", mini.toString(), "--vocab", vocab.toString(), "--cache-dir",
        tmp.resolve("cache").toString());

    Map<String, JsonNode> eval = new HashMap<>();
    eval.put("zeroshot", evalJson(model, "zeroshot", "--dataset", data.toString()));
    eval.put("linear-probe", evalJson(model, "linear-probe", "--dataset", data.toString()));
    eval.put("knn", evalJson(model, "knn", "--dataset", data.toString(), "-k", "3"));
    eval.put("fewshot", evalJson(model, "fewshot", "--dataset", data.toString(), "--shots", "1,2", "--seeds", "2"));
    eval.put("retrieval", evalJson(model, "retrieval", "--dataset", captions.toString()));
    eval.put("counting", evalJson(model, "counting", "--items", items.toString()));

    Path config = Files.writeString(tmp.resolve("bench.yaml"), """
        output: out
        cache_dir: cache
        knn: {k: 3}
        fewshot: {shots: [1, 2], seeds: 2}
        models:
          - name: mini
            model: %s
            vocab: %s
            datasets:
              - name: shapes
                dataset: data
              - name: shapes-captions
                dataset: captions.json
              - name: shapes-count
                counting_items: data/items.jsonl
        """.formatted(mini, vocab));
    CliRun bench = run(List.of("benchmark", "--config", config.toString()));
    assertEquals(0, bench.code(), bench.err());
    // The benchmark found every embedding in the cache the eval commands filled: one cache key for both.
    assertTrue(bench.err().contains("mini: embeddings ") && bench.err().contains(" cached, 0 encoded"), bench.err());

    JsonNode rows = JSON.readTree(tmp.resolve("out/results.json").toFile()).get("results");
    Set<String> compared = new TreeSet<>();
    for (JsonNode row : rows) {
      if (row.has("skipped")) {
        continue;
      }
      String protocol = row.get("protocol").asText();
      JsonNode e = eval.get(protocol);
      JsonNode metrics = row.get("metrics");
      assertEquals(protocol, e.get("protocol").asText());
      Set<String> evalKeys = new TreeSet<>();
      for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!CONTEXT.contains(k)) {
          evalKeys.add(k);
        }
      }
      Set<String> rowKeys = new TreeSet<>();
      metrics.fieldNames().forEachRemaining(rowKeys::add);
      assertEquals(evalKeys, rowKeys, protocol + ": same keys");
      for (String k : rowKeys) {
        assertEquals(e.get(k), metrics.get(k), protocol + "." + k);
      }
      assertTrue(compared.add(protocol), protocol + " twice");
    }
    assertEquals(new TreeSet<>(eval.keySet()), compared, "every protocol has a benchmark row");
    assertEquals(12, eval.get("zeroshot").get("count").asInt());
    assertEquals(3, eval.get("zeroshot").get("per_class_recall").size());
    assertEquals(6, eval.get("knn").get("count").asInt());
    assertTrue(eval.get("linear-probe").get("per_class_recall").has("beach"), eval.get("linear-probe").toString());

    // Charts are drawn by the CLI: the few-shot curve and per-class recall bars are PNG files.
    for (String png : List.of("fewshot-shapes.png", "recall-mini-shapes-zeroshot.png", "recall-mini-shapes-knn.png")) {
      byte[] b = Files.readAllBytes(tmp.resolve("out").resolve(png));
      assertEquals((byte) 0x89, b[0], png);
      assertEquals('P', b[1], png);
      assertTrue(bench.out().contains(tmp.resolve("out").resolve(png).toString()), bench.out());
    }
  }

  private static JsonNode evalJson(List<String> model, String protocol, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("eval", protocol, "--json"));
    all.addAll(List.of(args));
    all.addAll(model);
    CliRun r = run(all);
    assertEquals(0, r.code(), protocol + ": " + r.err());
    return JSON.readTree(r.out());
  }

  /** Four UCM-like images per class (drawn by {@link SampleImages}) in class folders. */
  private static Path drawDataSet(Path root) {
    for (String cls : CLASSES) {
      int first = SampleImages.UCM_CLASSES.indexOf(cls) * 100 + 1;
      for (int i = 0; i < 4; i++) {
        SampleImages.write(root.resolve(cls).resolve(i + ".png"), first + i);
      }
    }
    return root;
  }

  private static Path writeCaptions(Path file, Path data) throws Exception {
    String[][] sentences = {{"an airport runway seen from above", "a grey airfield with white lines"},
      {"a sandy beach next to the blue sea", "waves reach a yellow shore"},
      {"a dense green forest", "many trees seen from above"}};
    StringBuilder json = new StringBuilder("{\"images\": [");
    for (int c = 0; c < CLASSES.length; c++) {
      for (int i = 0; i < 4; i++) {
        json.append(json.charAt(json.length() - 1) == '[' ? "" : ",")
            .append("{\"filename\": \"").append(i).append(".png\", \"filepath\": \"")
            .append(data.getFileName().resolve(CLASSES[c])).append("\", \"split\": \"test\", \"sentences\": [");
        for (int s = 0; s < 2; s++) {
          json.append(s == 0 ? "" : ",").append("{\"raw\": \"").append(sentences[c][s]).append(" ").append(i)
              .append("\"}");
        }
        json.append("]}");
      }
    }
    return Files.writeString(file, json.append("]}"));
  }

  private static Path writeCountingItems(Path file) throws Exception {
    StringBuilder items = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      items.append("{\"image\": \"airplane/").append(i).append(".png\", \"category\": \"airplane\", ")
          .append("\"plural\": \"airplanes\", \"count\": ").append(i + 1).append("}\n");
    }
    return Files.writeString(file, items);
  }
}
