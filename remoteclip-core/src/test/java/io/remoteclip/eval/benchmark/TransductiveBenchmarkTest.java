package io.remoteclip.eval.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.ProgressListener;
import io.remoteclip.eval.protocol.Protocol;
import io.remoteclip.hub.HubSettings;
import io.remoteclip.hub.ModelRegistry;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark protocol {@code zeroshot-transductive}: its figures, its own results.md table, opt-in. */
class TransductiveBenchmarkTest {
  @Test
  void whuRs19TransductiveRowAndTable(@TempDir Path tmp) throws Exception {
    Path d = Fixtures.require("data/embeddings/whurs19-remoteclip-vit-b-32");
    String yaml = """
        output: out
        protocols: [zeroshot, zeroshot-transductive]
        models:
          - name: RemoteCLIP ViT-B-32
            datasets:
              - name: WHU-RS19
                images: %1$s/images.npy
                labels: %1$s/labels.npy
                classes: %1$s/class_prompt_names.txt
                class_embeddings: [%1$s/texts_averageprompt.npy]
        """.formatted(d);
    BenchmarkConfig cfg = BenchmarkConfig.load(Files.writeString(tmp.resolve("bench.yaml"), yaml));
    List<String> log = new ArrayList<>();
    ModelResolver resolver = new ModelResolver(ModelRegistry.builtIn(), HubSettings.forCache(tmp.resolve("cache")));
    List<BenchmarkResult> results = new BenchmarkRunner(cfg, resolver, ProgressListener.NONE, log::add).run();
    assertEquals(2, results.size());
    BenchmarkResult t = results.get(1);
    assertEquals(Protocol.ZEROSHOT_TRANSDUCTIVE, t.protocol());
    assertEquals(97.91044776119404, t.metric("top1"), 0.2);
    assertEquals(95.22388059701493, t.metric("top1_inductive"), 1e-9);
    assertEquals(results.get(0).metric("top1"), t.metric("top1_inductive"), 1e-12);
    assertTrue(log.get(1).contains("zeroshot-transductive: top-1 97.91 (inductive 95.22)"), log.get(1));

    BenchmarkReport.write(cfg, results);
    String md = Files.readString(tmp.resolve("out/results.md"));
    assertTrue(md.contains("## Transductive zero-shot classification (top-1, TransCLIP"), md);
    assertTrue(md.contains("| RemoteCLIP ViT-B-32 | 97.91 | 97.91 |"), md);
  }

  /** text_scale belongs to cached embeddings (a model entry uses the model's own) and must be a number above 0. */
  @Test
  void textScaleOnlyForCachedEmbeddings(@TempDir Path tmp) throws Exception {
    String entry = "models:\n  - name: m\n    %s\n    datasets: []\n";
    BenchmarkConfig ok = BenchmarkConfig.load(Files.writeString(tmp.resolve("ok.yaml"), entry.formatted("text_scale: 8.2")));
    assertEquals(8.2, ok.models().get(0).textScale());
    for (String bad : List.of("text_scale: 8.2\n    model: some.pt", "text_scale: 0", "text_scale: fast")) {
      Path f = Files.writeString(tmp.resolve("bad.yaml"), entry.formatted(bad));
      io.remoteclip.DataFormatException e = org.junit.jupiter.api.Assertions.assertThrows(
          io.remoteclip.DataFormatException.class, () -> BenchmarkConfig.load(f));
      assertTrue(e.getMessage().startsWith(f + ": models[m]: text_scale "), e.getMessage());
    }
  }

  @Test
  void notRunUnlessNamed(@TempDir Path tmp) throws Exception {
    BenchmarkConfig cfg = BenchmarkConfig.load(Files.writeString(tmp.resolve("b.yaml"), "models: []\n"));
    assertFalse(cfg.protocols().contains(Protocol.ZEROSHOT_TRANSDUCTIVE));
    assertTrue(cfg.protocols().contains(Protocol.ZEROSHOT));
    assertEquals(Protocol.ZEROSHOT_TRANSDUCTIVE, Protocol.parse("zeroshot-transductive"));
  }
}
