package io.remoteclip.eval.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.DataFormatException;
import io.remoteclip.ProgressListener;
import io.remoteclip.eval.protocol.Protocol;
import io.remoteclip.hub.HubSettings;
import io.remoteclip.hub.ModelRegistry;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkTest {
  @Test
  void runsWhuRs19AndARetrievalSetAndWritesTheReport(@TempDir Path tmp) throws Exception {
    Path d = Fixtures.require("data/embeddings/whurs19-remoteclip-vit-b-32");
    // A small retrieval set: 3 images, 2 captions each, captions equal to their image (perfect recall).
    float[] a = {1, 0, 0};
    float[] b = {0, 1, 0};
    float[] c = {0, 0, 1};
    Npy.writeFloats(tmp.resolve("ret_images.npy"), new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3);
    Npy.writeFloats(tmp.resolve("ret_texts.npy"), new float[] {1, 0, 0, 1, .1f, 0, 0, 1, 0, 0, 1, .1f, 0, 0, 1, .1f, 0, 1},
        6, 3);
    Npy.writeLongs(tmp.resolve("ret_map.npy"), new long[] {0, 0, 1, 1, 2, 2}, 6);
    String yaml = """
        output: out
        protocols: [zeroshot, linear-probe, knn, fewshot, retrieval]
        fewshot: {shots: [1, 4], seeds: 2}
        models:
          - name: RemoteCLIP ViT-B-32
            datasets:
              - name: WHU-RS19
                images: %1$s/images.npy
                labels: %1$s/labels.npy
                classes: %1$s/class_prompt_names.txt
                class_embeddings: [%1$s/texts_averageprompt.npy]
              - name: tiny-retrieval
                images: ret_images.npy
                texts: ret_texts.npy
                text_to_image: ret_map.npy
        """.formatted(d);
    Path config = Files.writeString(tmp.resolve("bench.yaml"), yaml);
    BenchmarkConfig cfg = BenchmarkConfig.load(config);
    List<String> log = new ArrayList<>();
    ModelResolver resolver = new ModelResolver(ModelRegistry.builtIn(), HubSettings.forCache(tmp.resolve("cache")));
    List<BenchmarkResult> results = new BenchmarkRunner(cfg, resolver, ProgressListener.NONE, log::add).run();
    assertEquals(10, results.size());
    BenchmarkResult zs = results.get(0);
    assertEquals(95.22388059701493, zs.metric("top1"), 1e-9);
    assertTrue(results.get(1).metric("top1") > 95, "linear probe");
    assertEquals(Protocol.RETRIEVAL, results.get(4).protocol());
    assertTrue(results.get(4).skipped() != null, "retrieval skipped on WHU-RS19");
    assertEquals(100.0, results.get(9).metric("mean_recall"), 1e-12);
    assertTrue(log.get(0).endsWith("top-1 95.22"), log.get(0));

    List<Path> files = BenchmarkReport.write(cfg, results);
    Path out = tmp.resolve("out");
    JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    assertEquals(10, json.get("results").size());
    String md = Files.readString(out.resolve("results.md"));
    assertTrue(md.contains("| RemoteCLIP ViT-B-32 | 95.22 | 95.22 |"), md);
    assertTrue(md.contains("| tiny-retrieval | RemoteCLIP ViT-B-32 | 100.00 |"), md);
    assertEquals(List.of(out.resolve("results.json"), out.resolve("results.md")), files);
    JsonNode zeroShot = json.get("results").get(0);
    assertEquals("zeroshot", zeroShot.get("protocol").asText());
    assertEquals(19, zeroShot.get("metrics").get("confusion").size());
    assertTrue(zeroShot.get("metrics").get("ensemble").isNull(), "one template: no ensemble");
  }

  @Test
  void configErrorsNameFileAndKey(@TempDir Path tmp) throws Exception {
    Path f = Files.writeString(tmp.resolve("b.yaml"), "protocols: [zeroshot, magic]\nmodels: []\n");
    DataFormatException e = assertThrows(DataFormatException.class, () -> BenchmarkConfig.load(f));
    assertTrue(e.getMessage().contains("b.yaml: protocols: unknown protocol 'magic'"), e.getMessage());
    Files.writeString(f, "models:\n  - name: m\n    datasets:\n      - name: x\n        imagez: a.npy\n");
    e = assertThrows(DataFormatException.class, () -> BenchmarkConfig.load(f));
    assertTrue(e.getMessage().contains("unknown key 'imagez'"), e.getMessage());
    Path j = Files.writeString(tmp.resolve("b.json"), "{\"models\": [}");
    e = assertThrows(DataFormatException.class, () -> BenchmarkConfig.load(j));
    assertTrue(e.getMessage().startsWith(j + ":1: invalid JSON"), e.getMessage());
  }
}
