package io.remoteclip.data.counting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.ProgressListener;
import io.remoteclip.data.annotation.AnnotationFormat;
import io.remoteclip.data.annotation.ClassTable;
import io.remoteclip.data.annotation.DotaReader;
import io.remoteclip.data.annotation.LabeledObject;
import io.remoteclip.data.build.SourceSpec;
import io.remoteclip.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CountingSetBuilderTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  @Test
  void nwpuItemsStateTheTrueCountOfTheirCategory() throws Exception {
    Path nwpu = Fixtures.require("data/nwpu-vhr10");
    JsonNode coco = JSON.readTree(nwpu.resolve("annotations.json").toFile());
    Map<Integer, String> cats = new HashMap<>(), files = new HashMap<>();
    coco.get("categories").forEach(c -> cats.put(c.get("id").asInt(), c.get("name").asText().replace('_', ' ')));
    coco.get("images").forEach(i -> files.put(i.get("id").asInt(), i.get("file_name").asText()));
    Map<String, Map<String, Integer>> truth = new HashMap<>();
    coco.get("annotations").forEach(a -> truth.computeIfAbsent(files.get(a.get("image_id").asInt()), k -> new HashMap<>())
        .merge(cats.get(a.get("category_id").asInt()), 1, Integer::sum));

    Path out = tmp.resolve("count");
    SourceSpec spec = SourceSpec.of("nwpu", AnnotationFormat.COCO, nwpu.resolve("annotations.json"), nwpu.resolve("images"));
    var result = new CountingSetBuilder(0, 10, false, false, ProgressListener.NONE).build(spec, out);
    List<String> lines = Files.readAllLines(out.resolve("items.jsonl"));
    assertEquals(result.items(), lines.size());
    // Images whose every category has more than 10 instances give no item; all others give exactly one.
    long eligible = truth.values().stream().filter(m -> m.values().stream().anyMatch(n -> n <= 10)).count();
    assertEquals(eligible, lines.size());
    for (String l : lines) {
      JsonNode n = JSON.readTree(l);
      String file = n.get("image").asText().substring("images/nwpu/".length());
      int count = n.get("count").asInt();
      assertTrue(count >= 1 && count <= 10);
      assertEquals(truth.get(file).get(n.get("category").asText()), count, l);
      assertTrue(Files.isRegularFile(out.resolve(n.get("image").asText())));
      assertTrue(n.get("plural").asText().endsWith("s"), l);
    }
    assertTrue(Files.readString(out.resolve("report.md")).contains("| airplane |"));

    Path excl = tmp.resolve("exclusive");
    var only = new CountingSetBuilder(0, 10, true, false, ProgressListener.NONE).build(spec, excl);
    long single = truth.values().stream().filter(m -> m.size() == 1 && m.values().iterator().next() <= 10).count();
    assertEquals(single, only.items());
  }

  @Test
  void tilesDropCategoriesCutByTheBorder() throws Exception {
    Path dota = Fixtures.require("data/samples/dota-devkit");
    Path out = tmp.resolve("dota");
    SourceSpec spec = SourceSpec.of("dota", AnnotationFormat.DOTA, dota.resolve("labelTxt"), dota.resolve("images"))
        .withTiling(256, 0);
    var result = new CountingSetBuilder(0, 10, false, false, ProgressListener.NONE).build(spec, out);
    var scene = new DotaReader().read(dota.resolve("labelTxt"), dota.resolve("images"), ClassTable.open());
    Map<String, List<LabeledObject>> objs = new HashMap<>();
    scene.images().forEach(i -> objs.put(i.name(), i.objects()));
    assertTrue(result.items() > 0);
    for (String l : Files.readAllLines(out.resolve("items.jsonl"))) {
      JsonNode n = JSON.readTree(l);
      String[] parts = Path.of(n.get("image").asText()).getFileName().toString().replace(".png", "").split("__|___");
      int x = Integer.parseInt(parts[1].replace("_", "")), y = Integer.parseInt(parts[2].replace("_", ""));
      // Every object of the category touching the tile lies wholly (or, within the 0.5 rule, mostly) inside:
      // count = objects touching the tile, none of them difficult.
      int touching = 0;
      for (LabeledObject o : objs.get(parts[0])) {
        var b = o.box();
        if (o.className().equals(n.get("category").asText()) && b.x1() > x && b.y1() > y && b.x0() < x + 256
            && b.y0() < y + 256) {
          touching++;
          assertTrue(!o.difficult(), l);
        }
      }
      assertEquals(touching, n.get("count").asInt(), l);
    }
  }
}
