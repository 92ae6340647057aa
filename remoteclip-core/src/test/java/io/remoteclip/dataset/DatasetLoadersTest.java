package io.remoteclip.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.DataFormatException;
import io.remoteclip.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLoadersTest {
  @Test
  void ucmCaptionsJson() throws Exception {
    Path json = Fixtures.require("data/ucm-captions/dataset_ucm.json");
    CaptionDataset all = KarpathyCaptions.load(json);
    assertEquals(2100, all.images().size());
    assertEquals(10500, all.captionCount());
    assertEquals(1680, all.split("train").images().size());
    assertEquals(210, all.split("val").images().size());
    CaptionDataset test = all.split("test");
    assertEquals(210, test.images().size());
    assertEquals(1050, test.captionCount());
    assertEquals(json.getParent().resolve("images").resolve("1.jpg"), all.images().get(0).path());
    assertTrue(Files.exists(test.images().get(0).path()));
    assertEquals("There is a piece of formland", all.images().get(0).captions().get(0));
    int[] owner = test.captionToImage();
    assertEquals(0, owner[4]);
    assertEquals(1, owner[5]);
  }

  @Test
  void ucmLabelsCsvAndClassNames() throws Exception {
    Path csv = Fixtures.require("data/ucm-captions/labels.csv");
    ClassificationDataset d = LabelCsv.load(csv);
    assertEquals(2100, d.size());
    assertEquals(Files.readAllLines(csv.resolveSibling("classes.txt")), d.classes());
    for (int c : d.classCounts()) {
      assertEquals(100, c);
    }
    assertEquals(csv.getParent().resolve("images/101.jpg"), d.images().get(100));
    assertTrue(Files.exists(d.images().get(2099)));
    assertEquals(1, d.labels()[100]);
    List<String> readable = ClassNames.builtIn().readable(d.classes());
    assertEquals("dense residential", readable.get(d.classes().indexOf("denseresidential")));
    assertEquals("storage tanks", readable.get(d.classes().indexOf("storagetanks")));
    assertEquals("mobile home park", readable.get(d.classes().indexOf("mobilehomepark")));
    assertEquals("agricultural", readable.get(0));
  }

  @Test
  void whuRs19ClassesMatchThePromptNamesRsTransClipUsed() throws Exception {
    Path dir = Fixtures.require("data/embeddings/whurs19-remoteclip-vit-b-32");
    List<String> folders = Files.readAllLines(dir.resolve("classes.txt"));
    assertEquals(Files.readAllLines(dir.resolve("class_prompt_names.txt")), ClassNames.builtIn().readable(folders));
  }

  @Test
  void splittingAndOverrides(@TempDir Path tmp) throws Exception {
    ClassNames n = ClassNames.builtIn();
    assertEquals("golf course", n.readable("golf_course"));
    assertEquals("storage tanks", n.readable("StorageTanks"));
    assertEquals("ground track field", n.readable("ground-track-field"));
    assertEquals("railway station", n.readable("railwayStation"));
    assertEquals("sea or lake", n.readable("SeaLake"));
    assertEquals("river or lake", n.readable("dRiverLake"));
    assertEquals("harbor and port", n.readable("harbor&port"));
    Path o = Files.writeString(tmp.resolve("names.txt"), "# mine\nSeaLake = lake or sea\n");
    assertEquals("lake or sea", ClassNames.withOverrides(o).readable("SeaLake"));
    assertEquals("golf course", ClassNames.withOverrides(o).readable("golf_course"));
    Files.writeString(o, "SeaLake lake\n");
    DataFormatException e = assertThrows(DataFormatException.class, () -> ClassNames.withOverrides(o));
    assertTrue(e.getMessage().endsWith("names.txt:1: expected 'folder=readable name', got 'SeaLake lake'"), e.getMessage());
  }

  @Test
  void imageFolders(@TempDir Path tmp) throws Exception {
    Files.createDirectories(tmp.resolve("beach/sub"));
    Files.createDirectories(tmp.resolve("airport"));
    Files.writeString(tmp.resolve("beach/b2.PNG"), "x");
    Files.writeString(tmp.resolve("beach/sub/b1.jpg"), "x");
    Files.writeString(tmp.resolve("beach/notes.txt"), "x");
    Files.writeString(tmp.resolve("airport/a.tif"), "x");
    ClassificationDataset d = ImageFolders.load(tmp);
    assertEquals(List.of("airport", "beach"), d.classes());
    assertEquals(3, d.size());
    assertEquals(tmp.resolve("beach/b2.PNG"), d.images().get(1));
    assertEquals(1, d.labels()[2]);
    Files.createDirectories(tmp.resolve("empty"));
    DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolders.load(tmp));
    assertTrue(e.getMessage().contains("empty: class folder holds no images"), e.getMessage());
  }

  @Test
  void csvWithSplitsAndErrors(@TempDir Path tmp) throws Exception {
    Path csv = Files.writeString(tmp.resolve("l.csv"), "a.jpg,forest,train\n\"b,1.jpg\",beach,test\nc.jpg,forest,test\n");
    ClassificationDataset d = LabelCsv.load(csv);
    assertEquals(List.of("beach", "forest"), d.classes());
    assertEquals(tmp.resolve("b,1.jpg"), d.images().get(1));
    assertEquals(2, d.split("test").size());
    Files.writeString(csv, "filename,label\na.jpg,forest\nb.jpg\n");
    DataFormatException e = assertThrows(DataFormatException.class, () -> LabelCsv.load(csv));
    assertTrue(e.getMessage().contains("l.csv:3: expected filename,label[,split], got 1 fields"), e.getMessage());
  }

  @Test
  void malformedCaptionJsonNamesTheLine(@TempDir Path tmp) throws Exception {
    Path json = Files.writeString(tmp.resolve("d.json"),
        "{\"images\": [\n {\"filename\": \"1.jpg\", \"split\": \"test\", \"sentences\": [{\"raw\": \"a\"}]},\n"
            + " {\"filename\": \"2.jpg\", \"sentences\": []}\n]}\n");
    DataFormatException e = assertThrows(DataFormatException.class, () -> KarpathyCaptions.load(json));
    assertTrue(e.getMessage().contains("d.json:3: image record without a \"split\" string"), e.getMessage());
    Files.writeString(json, "{\"images\": [\n {\"filename\": \"1.jpg\",, }\n]}");
    e = assertThrows(DataFormatException.class, () -> KarpathyCaptions.load(json));
    assertTrue(e.getMessage().contains("d.json:2: invalid JSON"), e.getMessage());
  }
}
