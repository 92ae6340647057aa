package io.remoteclip.data.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.ProgressListener;
import io.remoteclip.data.annotation.AnnotationFormat;
import io.remoteclip.data.annotation.ObjectNames;
import io.remoteclip.data.dedup.DatasetDeduplicator;
import io.remoteclip.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance on NWPU VHR-10 (650 images, 3,921 instances): every image gets five captions, the stated counts
 * equal the annotation (read here independently with Jackson), no caption names a class the image lacks, and
 * the report's per-class totals equal the data set's table.
 */
class NwpuCaptionsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String[] WORDS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"};
  static final Map<String, Integer> TABLE = Map.of("airplane", 757, "ship", 298, "storage tank", 662,
      "baseball diamond", 391, "tennis court", 524, "basketball court", 159, "ground track field", 163, "harbor", 239,
      "bridge", 124, "vehicle", 604);

  @TempDir static Path tmp;
  static Path nwpu;
  static Path out;
  static BuildReport report;
  /** image file → class → count, straight from annotations.json. */
  static Map<String, Map<String, Integer>> truth = new HashMap<>();

  @BeforeAll
  static void build() throws Exception {
    nwpu = Fixtures.require("data/nwpu-vhr10");
    JsonNode coco = JSON.readTree(nwpu.resolve("annotations.json").toFile());
    Map<Integer, String> cats = new HashMap<>(), files = new HashMap<>();
    coco.get("categories").forEach(c -> cats.put(c.get("id").asInt(), c.get("name").asText().replace('_', ' ')));
    coco.get("images").forEach(i -> files.put(i.get("id").asInt(), i.get("file_name").asText()));
    coco.get("annotations").forEach(a -> truth.computeIfAbsent(files.get(a.get("image_id").asInt()), k -> new TreeMap<>())
        .merge(cats.get(a.get("category_id").asInt()), 1, Integer::sum));
    out = tmp.resolve("nwpu-captions");
    SourceSpec spec = SourceSpec.of("nwpu", AnnotationFormat.COCO, nwpu.resolve("annotations.json"), nwpu.resolve("images"));
    var options = new CaptionDatasetBuilder.Options(0, 1.0 / 3, -1, List.of(), false, false);
    report = new CaptionDatasetBuilder(options, ProgressListener.NONE).build(List.of(spec), out);
  }

  @Test
  void everyImageHasFiveCaptionsAndTheCsvHasTheOpenClipLayout() throws Exception {
    assertTrue(report.committed());
    List<String> rows = Files.readAllLines(out.resolve("captions.csv"), StandardCharsets.UTF_8);
    assertEquals("filepath\ttitle", rows.get(0));
    assertEquals(650 * 5 + 1, rows.size());
    Map<String, Integer> perImage = new TreeMap<>();
    for (String r : rows.subList(1, rows.size())) {
      String[] f = r.split("\t", -1);
      assertEquals(2, f.length, r);
      perImage.merge(f[0], 1, Integer::sum);
      assertTrue(Files.isRegularFile(out.resolve(f[0])), f[0]);
    }
    assertEquals(650, perImage.size());
    assertTrue(perImage.values().stream().allMatch(n -> n == 5));
    assertEquals(650, report.images());
    assertEquals(3250, report.captions());
    assertTrue(Files.size(out.resolve("images/nwpu/001.jpg")) == Files.size(nwpu.resolve("images/001.jpg")));
  }

  @Test
  void countsAgreeWithTheAnnotationAndNoCaptionNamesAnAbsentClass() throws Exception {
    List<String> lines = Files.readAllLines(out.resolve("captions.jsonl"), StandardCharsets.UTF_8);
    assertEquals(3250, lines.size());
    Map<String, Integer> objectsCounted = new TreeMap<>();
    for (String line : lines) {
      JsonNode n = JSON.readTree(line);
      String file = n.get("image").asText().substring("images/nwpu/".length());
      Map<String, Integer> expected = truth.get(file);
      String text = n.get("caption").asText();
      for (String cls : TABLE.keySet()) {
        boolean named = Pattern.compile("\\b(" + cls + "|" + ObjectNames.plural(cls) + ")\\b").matcher(text).find();
        if (named) {
          assertTrue(expected.containsKey(cls), file + ": '" + text + "' names " + cls);
        }
      }
      if (!n.get("kind").asText().equals("location")) {
        Map<String, Integer> stated = new TreeMap<>();
        n.get("counts").fields().forEachRemaining(e -> stated.put(e.getKey(), e.getValue().asInt()));
        assertEquals(expected, stated, file);
        assertEquals(expected.values().stream().mapToInt(Integer::intValue).sum(), n.get("boxes").size());
      }
      if (n.get("kind").asText().equals("count")) {
        for (var e : expected.entrySet()) {
          String noun = e.getValue() == 1 ? e.getKey() : ObjectNames.plural(e.getKey());
          String q = e.getValue() > 10 ? "(many|lots of|a large number of)"
              : "(" + e.getValue() + "|" + WORDS[e.getValue()] + ")";
          assertTrue(Pattern.compile("\\b" + q + " " + noun + "\\b", Pattern.CASE_INSENSITIVE).matcher(text).find(),
              file + ": '" + text + "' should state " + e);
        }
        if (n.get("index").asInt() == 3) {
          expected.forEach((k, v) -> objectsCounted.merge(k, v, Integer::sum));
        }
      }
    }
    assertEquals(new TreeMap<>(TABLE), objectsCounted, "every annotated object is counted once per image");
  }

  @Test
  void reportTotalsEqualTheAnnotationTable() throws Exception {
    Map<String, long[]> totals = report.classTotals();
    assertEquals(TABLE.keySet(), totals.keySet());
    TABLE.forEach((cls, n) -> {
      assertEquals((long) n, totals.get(cls)[0], cls + " annotated");
      assertEquals(0, totals.get(cls)[1], cls + " invalid");
      assertEquals((long) n, totals.get(cls)[2], cls + " in output");
    });
    String md = Files.readString(out.resolve("report.md"));
    assertTrue(md.contains("| nwpu | airplane | 757 | 0 | 757 |"), md);
    assertTrue(md.contains("| nwpu | coco | 650 | 650 | 0 | 0 | 650 | 0 | 3250 |"), md);
    assertTrue(report.issues().isEmpty());
  }

  @Test
  void dedupFindsTheTwoRepeatedScenes() throws Exception {
    // 286.jpg and 297.jpg show the same airport/port scenes as 073.jpg and 288.jpg (other ships moored).
    var result = new DatasetDeduplicator(4, ProgressListener.NONE).run(out, List.of(), tmp.resolve("dedup"), false);
    assertEquals(650, result.images());
    assertEquals(648, result.kept());
    assertEquals(List.of("images/nwpu/286.jpg", "images/nwpu/297.jpg"),
        result.drops().stream().map(DatasetDeduplicator.Drop::image).toList());
    assertEquals("images/nwpu/073.jpg", result.drops().get(0).matched());
    assertEquals(648 * 5 + 1, Files.readAllLines(tmp.resolve("dedup/captions.csv")).size());
    assertFalse(Files.exists(tmp.resolve("dedup/images/nwpu/286.jpg")));
    assertTrue(Files.readString(tmp.resolve("dedup/dedup-report.md")).contains("| images/nwpu/297.jpg | near-duplicate"));
  }
}
