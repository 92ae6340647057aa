package io.remoteclip.cli.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.eval.Captions;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.SampleImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The eval commands end to end (--model + --dataset / --items) on a small UCM-like data set the test draws
 * with the bundled remoteclip-mini model: each result must equal the cached-embeddings path fed with
 * {@code remoteclip embed} output, and a second run must be served from the cache.
 */
class EvalEndToEndTest {
  private static final String[] CLASSES = {"airplane", "beach", "forest"};
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private Path data;
  private Path cache;
  private List<String> model;

  private static CliRun run(List<String> args) {
    return CliRun.of(args);
  }

  private CliRun eval(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(model);
    all.addAll(List.of("--cache-dir", cache.toString()));
    return run(all);
  }

  /**
   * Three UCM classes, four UCM-like images each (drawn by {@link SampleImages}), laid out as class folders, as
   * a filename,label,split CSV (first three of a class train, the last one test), and as a caption JSON.
   */
  @BeforeEach
  void setUp() throws Exception {
    model = List.of("--model", BundledModel.weights().toString(), "--vocab", BundledModel.vocab().toString());
    cache = tmp.resolve("cache");
    data = Files.createDirectories(tmp.resolve("data"));
    StringBuilder csv = new StringBuilder("filename,label,split\n");
    StringBuilder json = new StringBuilder("{\"images\": [");
    for (String cls : CLASSES) {
      int first = SampleImages.UCM_CLASSES.indexOf(cls) * 100 + 1;
      for (int i = 0; i < 4; i++) {
        String f = (first + i) + ".jpg";
        SampleImages.write(data.resolve(cls).resolve(f), first + i);
        String split = i < 3 ? "train" : "test";
        csv.append(cls).append('/').append(f).append(',').append(cls).append(',').append(split).append('\n');
        StringBuilder sentences = new StringBuilder("[");
        for (String caption : List.of("an aerial image of a " + cls + " number " + i, "many " + cls + " seen from above",
            "a satellite photo of " + cls, "the " + cls + " scene " + i, "a remote sensing image showing " + cls)) {
          sentences.append(sentences.length() == 1 ? "" : ",").append("{\"raw\": \"").append(caption).append("\"}");
        }
        json.append(json.charAt(json.length() - 1) == '[' ? "" : ",").append("{\"filename\": \"").append(f)
            .append("\", \"filepath\": \"").append(cls).append("\", \"split\": \"test\", \"sentences\": ")
            .append(sentences).append("]}");
      }
    }
    Files.writeString(data.resolve("labels.csv"), csv);
    Files.writeString(data.resolve("captions.json"), json.append("]}"));
  }

  /** embed → .npy rows for the given images or texts. */
  private Path embed(String name, String kind, List<String> inputs) throws Exception {
    Path out = tmp.resolve(name + ".npy");
    List<String> args = new ArrayList<>(List.of("embed", "--out", out.toString()));
    args.addAll(model);
    if (kind.equals("--texts")) {
      args.addAll(List.of("--texts", Files.writeString(tmp.resolve(name + ".txt.in"), String.join("\n", inputs) + "\n")
          .toString()));
    } else {
      args.add("--images");
      args.addAll(inputs);
    }
    CliRun r = run(args);
    assertEquals(0, r.code(), r.err());
    return out;
  }

  private List<String> images() throws Exception {
    List<String> out = new ArrayList<>();
    for (String cls : CLASSES) {
      try (var s = Files.list(data.resolve(cls))) {
        s.sorted().forEach(p -> out.add(p.toString()));
      }
    }
    return out;
  }

  @Test
  void zeroShotEqualsTheCachedPathAndTheSecondRunEncodesNothing() throws Exception {
    CliRun first = eval("eval", "zeroshot", "--dataset", data.resolve("labels.csv").toString(), "--json");
    assertEquals(0, first.code(), first.err());
    assertTrue(first.err().contains("0 cached, 15 encoded"), first.err()); // 12 images + 3 prompts
    JsonNode e2e = JSON.readTree(first.out());
    assertEquals(12, e2e.get("count").asInt());
    assertEquals("[\"airplane\",\"beach\",\"forest\"]", e2e.get("class_names").toString());

    long[] labels = new long[12];
    for (int i = 0; i < 12; i++) {
      labels[i] = i / 4;
    }
    Npy.writeLongs(tmp.resolve("labels.npy"), labels, 12);
    Path img = embed("img", "--images", images());
    Path cls = embed("cls", "--texts", List.of("a satellite photo of airplane.", "a satellite photo of beach.",
        "a satellite photo of forest."));
    CliRun cached = run(List.of("eval", "zeroshot", "--image-embeddings", img.toString(), "--labels",
        tmp.resolve("labels.npy").toString(), "--class-embeddings", cls.toString(), "--json"));
    assertEquals(0, cached.code(), cached.err());
    JsonNode c = JSON.readTree(cached.out());
    for (String k : new String[] {"top1", "mean_per_class_recall"}) {
      assertEquals(c.get(k).asDouble(), e2e.get(k).asDouble(), 1e-9, k);
    }
    assertEquals(c.get("confusion"), e2e.get("confusion"));

    CliRun second = eval("eval", "zeroshot", "--dataset", data.toString(), "--json");
    assertEquals(0, second.code(), second.err());
    assertTrue(second.err().contains("15 cached, 0 encoded"), second.err());
    assertEquals(e2e.get("confusion"), JSON.readTree(second.out()).get("confusion"), "folder root = CSV");
  }

  @Test
  void templateEnsembleAndClassNameOverride() throws Exception {
    Path names = Files.writeString(tmp.resolve("names.txt"), "airplane=airliner\n");
    CliRun r = eval("eval", "zeroshot", "--dataset", data.toString(), "--templates", "remote-sensing", "--ensemble",
        "average-first", "--class-names", names.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode j = JSON.readTree(r.out());
    assertEquals(24, j.get("templates").asInt());
    assertEquals("average-first", j.get("ensemble").asText());
    assertEquals("airliner", j.get("class_names").get(0).asText());
    Path file = Files.writeString(tmp.resolve("t.txt"), "# mine\nan overhead view of {}.\n{} from space\n");
    r = eval("eval", "zeroshot", "--dataset", data.toString(), "--templates", file.toString(), "--json");
    assertEquals(2, JSON.readTree(r.out()).get("templates").asInt(), r.err());
  }

  @Test
  void supervisedProtocolsUseTheSplitColumnOrSplitFrom() throws Exception {
    CliRun knn = eval("eval", "knn", "--dataset", data.resolve("labels.csv").toString(), "-k", "3", "--json");
    assertEquals(0, knn.code(), knn.err());
    JsonNode j = JSON.readTree(knn.out());
    assertEquals(9, j.get("train").asInt());
    assertEquals(3, j.get("count").asInt());
    assertTrue(j.get("data").asText().contains("splits train -> test"), j.toString());

    // Same split from a separate file (as UCM: labels in labels.csv, splits in dataset_ucm.json).
    Files.writeString(data.resolve("plain.csv"), String.join("\n",
        Files.readAllLines(data.resolve("labels.csv")).stream().skip(1).map(l -> l.substring(0, l.lastIndexOf(',')))
            .toList()) + "\n");
    CliRun lp = eval("eval", "linear-probe", "--dataset", data.resolve("plain.csv").toString(), "--split-from",
        data.resolve("labels.csv").toString(), "--json");
    assertEquals(0, lp.code(), lp.err());
    assertEquals(3, JSON.readTree(lp.out()).get("count").asInt());
    assertTrue(lp.err().contains("12 cached, 0 encoded"), lp.err());

    CliRun fs = eval("eval", "fewshot", "--dataset", data.toString(), "--shots", "1,2", "--seeds", "2", "--json");
    assertEquals(0, fs.code(), fs.err());
    assertTrue(JSON.readTree(fs.out()).get("data").asText().contains("per-class split 0.5"), fs.out());
  }

  @Test
  void retrievalEqualsTheCachedPath() throws Exception {
    CliRun r = eval("eval", "retrieval", "--dataset", data.resolve("captions.json").toString(), "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode e2e = JSON.readTree(r.out());
    assertEquals(12, e2e.get("images").asInt());
    assertEquals(60, e2e.get("texts").asInt());

    JsonNode json = JSON.readTree(data.resolve("captions.json").toFile());
    List<String> captions = new ArrayList<>();
    List<String> imgs = new ArrayList<>();
    long[] owner = new long[60];
    for (JsonNode im : json.get("images")) {
      for (JsonNode s : im.get("sentences")) {
        owner[captions.size()] = imgs.size();
        captions.add(Captions.capitalize(s.get("raw").asText()));
      }
      imgs.add(data.resolve(im.get("filepath").asText()).resolve(im.get("filename").asText()).toString());
    }
    Npy.writeLongs(tmp.resolve("owner.npy"), owner, 60);
    CliRun cached = run(List.of("eval", "retrieval", "--image-embeddings", embed("ri", "--images", imgs).toString(),
        "--text-embeddings", embed("rt", "--texts", captions).toString(), "--text-to-image",
        tmp.resolve("owner.npy").toString(), "--json"));
    assertEquals(0, cached.code(), cached.err());
    JsonNode c = JSON.readTree(cached.out());
    for (String k : new String[] {"i2t_r1", "i2t_r5", "i2t_r10", "t2i_r1", "t2i_r5", "t2i_r10", "mean_recall"}) {
      assertEquals(c.get(k).asDouble(), e2e.get(k).asDouble(), 1e-9, k);
    }
    CliRun none = eval("eval", "retrieval", "--dataset", data.resolve("captions.json").toString(), "--split", "val");
    assertEquals(65, none.code());
    assertTrue(none.err().contains("no images in split 'val'"), none.err());
  }

  @Test
  void countingEndToEnd() throws Exception {
    StringBuilder items = new StringBuilder();
    List<String> imgs = images();
    for (int i = 0; i < 5; i++) {
      items.append("{\"image\": \"").append(data.relativize(Path.of(imgs.get(i)))).append("\", \"category\": \"plane\", ")
          .append("\"plural\": \"planes\", \"count\": ").append(i + 1).append("}\n");
    }
    Path jsonl = Files.writeString(data.resolve("items.jsonl"), items);
    CliRun r = eval("eval", "counting", "--items", jsonl.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    assertEquals(5, JSON.readTree(r.out()).get("count").asInt());
    assertTrue(r.err().contains("0 cached, 15 encoded"), r.err()); // 5 images + 10 distinct captions
  }

  @Test
  void benchmarkWithModelEntries() throws Exception {
    Path cfg = Files.writeString(tmp.resolve("bench.yaml"), """
        output: out
        cache_dir: cache
        protocols: [zeroshot, knn, retrieval]
        knn: {k: 3}
        models:
          - name: vit-tiny
            model: %s
            vocab: %s
            datasets:
              - name: three-ucm
                dataset: data/labels.csv
              - name: three-ucm-captions
                dataset: data/captions.json
        """.formatted(model.get(1), model.get(3)));
    CliRun r = run(List.of("benchmark", "--config", cfg.toString()));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("vit-tiny / three-ucm / knn: top-1"), r.err());
    assertTrue(r.err().contains("vit-tiny / three-ucm-captions / retrieval: mean recall"), r.err());
    assertTrue(Files.readString(tmp.resolve("out/results.md")).contains("| vit-tiny |"));
    CliRun again = run(List.of("benchmark", "--config", cfg.toString()));
    assertTrue(again.err().contains(" 0 encoded"), again.err());
  }

  @Test
  void endToEndMistakes() throws Exception {
    CliRun json = eval("eval", "knn", "--dataset", data.resolve("captions.json").toString());
    assertEquals(65, json.code());
    assertTrue(json.err().strip().startsWith("remoteclip: ") && json.err().contains("no class labels"), json.err());
    CliRun mixed = run(List.of("eval", "knn", "--model", "x.pt", "--embeddings", "a.npy", "--labels", "b.npy"));
    assertEquals(2, mixed.code());
    assertTrue(mixed.err().contains("--model is for end-to-end evaluation"), mixed.err());
    CliRun missing = eval("eval", "zeroshot", "--dataset", tmp.resolve("nope").toString());
    assertEquals(66, missing.code());
    CliRun template = eval("eval", "zeroshot", "--dataset", data.toString(), "--templates", "fancy");
    assertEquals(2, template.code());
    assertTrue(template.err().contains("built-in sets: single, remote-sensing"), template.err());
    assertFalse(template.err().contains("\tat "), template.err());
  }
}
