package io.remoteclip.data.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.ProgressListener;
import io.remoteclip.image.BufferedImages;
import io.remoteclip.data.annotation.AnnotationFormat;
import io.remoteclip.data.annotation.AnnotationIssue.Action;
import io.remoteclip.data.annotation.Annotations;
import io.remoteclip.data.annotation.BuiltinClassTables;
import io.remoteclip.data.annotation.ClassTable;
import io.remoteclip.data.annotation.DotaReader;
import io.remoteclip.data.annotation.LabeledObject;
import io.remoteclip.data.m2b.MinArea;
import io.remoteclip.testing.Fixtures;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tiled DOTA and iSAID scenes, malformed input, atomic output and manifests. */
class SceneCaptionsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final CaptionDatasetBuilder.Options NO_DEDUP = new CaptionDatasetBuilder.Options(0, 1.0 / 3, -1, List.of(), false, false);
  @TempDir Path tmp;

  static List<JsonNode> jsonl(Path dir) throws Exception {
    return Files.readAllLines(dir.resolve("captions.jsonl"), StandardCharsets.UTF_8).stream().map(l -> {
      try {
        return JSON.readTree(l);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }).toList();
  }

  @Test
  void dotaScenesAreTiledWithClippedBoxesAndBoundedCounts() throws Exception {
    Path dota = Fixtures.require("data/samples/dota-devkit");
    Path out = tmp.resolve("dota");
    SourceSpec spec = SourceSpec.of("dota", AnnotationFormat.DOTA, dota.resolve("labelTxt"), dota.resolve("images"))
        .withTiling(512, 128);
    BuildReport r = new CaptionDatasetBuilder(NO_DEDUP, ProgressListener.NONE).build(List.of(spec), out);
    // 5 label files have no image: reported, the run goes on.
    assertEquals(5, r.issues().stream().filter(i -> i.action() == Action.SKIPPED_IMAGE
        && i.message().startsWith("image not found")).count());
    assertEquals(13, r.images()); // P0706 1111x1182 -> 3x3 tiles, P1888 712x557 -> 2x2
    Annotations ann = new DotaReader().read(dota.resolve("labelTxt"), dota.resolve("images"), ClassTable.open());
    Map<String, List<LabeledObject>> scene = new HashMap<>();
    ann.images().forEach(i -> scene.put(i.name(), i.objects()));
    for (JsonNode n : jsonl(out)) {
      BufferedImage tile = BufferedImages.read(out.resolve(n.get("image").asText()));
      assertEquals(512, tile.getWidth());
      assertEquals(512, tile.getHeight());
      for (JsonNode b : n.get("boxes")) {
        for (int k = 0; k < 4; k++) {
          double v = b.get("box").get(k).asDouble();
          assertTrue(v >= 0 && v <= 512, n.toString());
        }
      }
      if (!n.get("kind").asText().equals("count")) {
        continue;
      }
      // Independent bounds: objects wholly inside the tile must be counted, objects not touching it cannot be.
      String origin = Path.of(n.get("origin").asText()).getFileName().toString().replace(".png", "");
      int x = n.get("tile").get(0).asInt(), y = n.get("tile").get(1).asInt();
      Map<String, int[]> bounds = new HashMap<>();
      for (LabeledObject o : scene.get(origin)) {
        var b = o.box();
        int[] lohi = bounds.computeIfAbsent(o.className(), k -> new int[2]);
        if (b.x0() >= x && b.y0() >= y && b.x1() <= x + 512 && b.y1() <= y + 512) {
          lohi[0]++;
        }
        if (b.x1() > x && b.y1() > y && b.x0() < x + 512 && b.y0() < y + 512) {
          lohi[1]++;
        }
      }
      n.get("counts").fields().forEachRemaining(e -> {
        int[] lohi = bounds.get(e.getKey());
        int c = e.getValue().asInt();
        assertTrue(c >= lohi[0] && c <= lohi[1], n.get("image") + " " + e + " not in " + lohi[0] + ".." + lohi[1]);
      });
      bounds.forEach((cls, lohi) -> {
        if (lohi[0] > 0) {
          assertTrue(n.get("counts").has(cls), n.get("image") + " misses " + cls);
        }
      });
    }
    String csv = Files.readString(out.resolve("captions.csv"));
    assertTrue(csv.contains("images/dota/P0706__599___670.png\t"), csv);
    assertTrue(csv.contains("images/dota/P1888__200___45.png\t"));
  }

  @Test
  void tiffScenesAreTiledWindowByWindowWithTheSamePixels() throws Exception {
    Path isaid = Fixtures.require("data/samples/isaid");
    Path dir = Files.createDirectories(tmp.resolve("isaid-tif"));
    Files.copy(isaid.resolve("P0003_instance_color_RGB.png"), dir.resolve("P0003_instance_color_RGB.png"));
    BufferedImage scene = BufferedImages.read(isaid.resolve("P0003.png"));
    BufferedImage rgb = new BufferedImage(scene.getWidth(), scene.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    rgb.getGraphics().drawImage(scene, 0, 0, null);
    // A tiled, compressed (Geo)TIFF of the same pixels: tiles come from windows of it (geo.Scene).
    io.remoteclip.geo.GeoTiffWriter.write(dir.resolve("P0003.tif"), rgb, List.of(), null,
        io.remoteclip.geo.GeoTiffWriter.Options.tiled(128, "Deflate"));
    Path out = tmp.resolve("isaid-tif-out");
    SourceSpec spec = SourceSpec.of("isaid", AnnotationFormat.MASK, dir.resolve("P0003_instance_color_RGB.png"), dir)
        .withClasses(BuiltinClassTables.get("isaid")).withMinArea(MinArea.parse("40px")).withTiling(512, 100);
    BuildReport r = new CaptionDatasetBuilder(NO_DEDUP, ProgressListener.NONE).build(List.of(spec), out);
    assertEquals(9, r.images());
    BufferedImage tile = BufferedImages.read(out.resolve("images/isaid/P0003__635___511.png"));
    for (int[] p : new int[][] {{0, 0}, {100, 200}, {511, 511}, {300, 17}}) {
      assertEquals(scene.getRGB(635 + p[0], 511 + p[1]), tile.getRGB(p[0], p[1]));
    }
  }

  @Test
  void isaidMaskTilesShowTheImageAndCaptionOnlyItsClasses() throws Exception {
    Path isaid = Fixtures.require("data/samples/isaid");
    Path out = tmp.resolve("isaid");
    SourceSpec spec = SourceSpec.of("isaid", AnnotationFormat.MASK, isaid.resolve("P0003_instance_color_RGB.png"), isaid)
        .withClasses(BuiltinClassTables.get("isaid")).withMinArea(MinArea.parse("40px")).withTiling(512, 100);
    BuildReport r = new CaptionDatasetBuilder(NO_DEDUP, ProgressListener.NONE).build(List.of(spec), out);
    assertEquals(9, r.images());
    BufferedImage scene = BufferedImages.read(isaid.resolve("P0003.png"));
    BufferedImage tile = BufferedImages.read(out.resolve("images/isaid/P0003__635___511.png"));
    for (int[] p : new int[][] {{0, 0}, {100, 200}, {511, 511}}) {
      assertEquals(scene.getRGB(635 + p[0], 511 + p[1]), tile.getRGB(p[0], p[1]));
    }
    for (JsonNode n : jsonl(out)) {
      String text = n.get("caption").asText();
      for (String cls : List.of("ship", "plane", "harbor", "bridge", "helicopter", "swimming pool")) {
        assertFalse(text.contains(cls), text);
      }
      if (n.get("kind").asText().equals("count") && text.contains("storage tank")) {
        assertEquals(1, n.get("counts").get("storage tank").asInt());
      }
    }
  }

  @Test
  void malformedInputIsReportedAndTheRestConverted() throws Exception {
    Path p1888 = Fixtures.require("data/samples/dota-devkit/images/P1888.png");
    Path images = Files.createDirectories(tmp.resolve("in/images"));
    Path labels = Files.createDirectories(tmp.resolve("in/labelTxt"));
    Files.copy(p1888, images.resolve("G.png"));
    Files.writeString(labels.resolve("G.txt"), String.join("\n",
        "10 10 40 10 40 40 10 40 ship 0",
        "10 10 4O 10 40 40 10 40 ship 0",
        "900 10 940 10 940 40 900 40 ship 0",
        "700 10 740 10 740 40 700 40 harbor 0",
        "100 100 140 100 140 140 100 140 ship 0", ""));
    Files.writeString(labels.resolve("M.txt"), "1 1 5 1 5 5 1 5 ship 0\n");
    Path out = tmp.resolve("out");
    SourceSpec spec = SourceSpec.of("g", AnnotationFormat.DOTA, labels, images);
    BuildReport r = new CaptionDatasetBuilder(NO_DEDUP, ProgressListener.NONE).build(List.of(spec), out);
    assertTrue(r.committed());
    assertEquals(1, r.images());
    List<String> msgs = r.issues().stream().map(Object::toString).toList();
    assertTrue(msgs.contains(labels.resolve("G.txt") + ":2: coordinate is not a number in '10 10 4O 10 40 40 10 40 ship 0'"
        + " (object skipped)"), msgs.toString());
    assertTrue(msgs.contains(labels.resolve("G.txt") + ":3: ship box [900.0, 10.0, 940.0, 40.0] lies outside the 712x557"
        + " image (object skipped)"), msgs.toString());
    assertTrue(msgs.contains(labels.resolve("G.txt") + ":4: harbor box [700.0, 10.0, 740.0, 40.0] extends outside the"
        + " 712x557 image; clipped (corrected)"), msgs.toString());
    assertTrue(msgs.stream().anyMatch(m -> m.startsWith(labels.resolve("M.txt") + ": image not found")), msgs.toString());
    String csv = Files.readString(out.resolve("captions.csv"));
    assertTrue(csv.contains("2 ships and 1 harbor") || csv.contains("two ships and one harbor"), csv);
    assertTrue(Files.readString(out.resolve("report.md")).contains(":3: ship box [900.0"));
  }

  @Test
  void nothingUsableWritesNothingAndExistingOutputIsProtected() throws Exception {
    Path labels = Files.createDirectories(tmp.resolve("labels"));
    Files.writeString(labels.resolve("M.txt"), "1 1 5 1 5 5 1 5 ship 0\n");
    Path out = tmp.resolve("set");
    SourceSpec spec = SourceSpec.of("m", AnnotationFormat.DOTA, labels, tmp);
    BuildReport r = new CaptionDatasetBuilder(NO_DEDUP, ProgressListener.NONE).build(List.of(spec), out);
    assertFalse(r.committed());
    assertFalse(Files.exists(out));
    try (Stream<Path> s = Files.list(tmp)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".set")), "no staging leftovers");
    }
    Files.createDirectories(out);
    assertThrows(FileAlreadyExistsException.class,
        () -> new CaptionDatasetBuilder(NO_DEDUP, ProgressListener.NONE).build(List.of(spec), out));
  }

  @Test
  void manifestMergesSourcesAndDedupsAgainstReferences() throws Exception {
    Path samples = Fixtures.require("data/samples");
    Path manifest = tmp.resolve("m.yaml");
    Files.writeString(manifest, String.join("\n",
        "seed: 3",
        "dedup_threshold: 4",
        "exclude: [" + samples.resolve("mmseg/pseudo_vaihingen_dataset/img_dir") + "]",
        "sources:",
        "  - {name: dota, format: dota, annotations: " + samples.resolve("dota-devkit/labelTxt") + ", images: "
            + samples.resolve("dota-devkit/images") + ", tile: 800, overlap: 100}",
        "  - {name: potsdam, format: mask, classes: isprs, annotations: " + samples.resolve("mmseg/pseudo_potsdam_dataset/ann_dir")
            + ", images: " + samples.resolve("mmseg/pseudo_potsdam_dataset/img_dir") + "}",
        "  - {name: vaihingen, format: mask, classes: isprs, stuff: none, annotations: "
            + samples.resolve("mmseg/pseudo_vaihingen_dataset/ann_dir") + ", images: "
            + samples.resolve("mmseg/pseudo_vaihingen_dataset/img_dir") + "}", ""));
    DatasetManifest m = DatasetManifest.read(manifest);
    assertEquals(3, m.sources().size());
    var options = new CaptionDatasetBuilder.Options(m.seed(), 1.0 / 3, m.dedupThreshold(), m.exclude(), false, false);
    Path out = tmp.resolve("merged");
    BuildReport r = new CaptionDatasetBuilder(options, ProgressListener.NONE).build(m.sources(), out);
    String csv = Files.readString(out.resolve("captions.csv"));
    assertTrue(csv.contains("images/dota/P0706__311___382.png\t"), csv);
    assertTrue(csv.contains("images/potsdam/2_10_0_0_512_512.png\tThere are") || csv.contains("images/potsdam/"));
    assertTrue(csv.contains(", with impervious surface") || csv.contains(", with low vegetation"), csv);
    assertFalse(csv.contains("images/vaihingen/"), "the Vaihingen tile is a reference (test) image");
    assertEquals(1, r.drops().size());
    assertEquals(0, r.drops().get(0).distance());
    assertEquals(3, r.sources().size());
    assertTrue(Files.readAllLines(out.resolve("hashes.tsv")).size() == r.images() + 1);
    Files.writeString(manifest, "sources:\n  - {name: x, format: yolo, annotations: a, images: b}\n");
    var e = assertThrows(io.remoteclip.DataFormatException.class, () -> DatasetManifest.read(manifest));
    assertTrue(e.getMessage().contains("sources[0] (x): unknown annotation format 'yolo'"), e.getMessage());
    Files.writeString(manifest, "sources:\n  - {name: x, fromat: dota}\n");
    e = assertThrows(io.remoteclip.DataFormatException.class, () -> DatasetManifest.read(manifest));
    assertTrue(e.getMessage().startsWith(manifest + ":2: bad manifest"), e.getMessage());
  }
}
