package io.remoteclip.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.DataFormatException;
import io.remoteclip.eval.SplitRule;
import io.remoteclip.eval.Splits;
import io.remoteclip.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
  @Test
  void ucmLabelsTakeTheirSplitsFromTheCaptionJson() throws Exception {
    Path ucm = Fixtures.require("data/ucm-captions");
    ClassificationDataset d = Datasets.withSplitsFrom(Datasets.classification(ucm.resolve("labels.csv")),
        ucm.resolve("dataset_ucm.json"));
    assertEquals(2100, d.size());
    assertEquals(21, d.classes().size());
    Splits.TrainTest tt = new SplitRule(List.of("train"), "test", 0.5, 0).apply(d, "ucm");
    assertEquals(1680, tt.train().length);
    assertEquals(210, tt.test().length);
    Splits.TrainTest withVal = new SplitRule(List.of("train", "val"), "test", 0.5, 0).apply(d, "ucm");
    assertEquals(1890, withVal.train().length);
    // image 1.jpg is agricultural and in the train split of dataset_ucm.json
    int first = d.images().indexOf(ucm.resolve("images/1.jpg").toAbsolutePath().normalize());
    assertEquals("train", d.splits().get(first));
    assertEquals("agricultural", d.classes().get(d.labels()[first]));
  }

  @Test
  void withoutSplitsTheRuleIsTheSeededPerClassSplit() throws Exception {
    Path ucm = Fixtures.require("data/ucm-captions");
    ClassificationDataset d = Datasets.classification(ucm.resolve("labels.csv"));
    Splits.TrainTest tt = new SplitRule(List.of("train"), "test", 0.5, 7).apply(d, "ucm");
    Splits.TrainTest direct = Splits.stratified(d.labels(), 0.5, 7);
    assertArrayEquals(direct.train(), tt.train());
    assertArrayEquals(direct.test(), tt.test());
    assertEquals(1050, tt.train().length);
    assertTrue(new SplitRule(List.of("train"), "test", 0.5, 7).describe(d).contains("seed 7"));
  }

  @Test
  void mistakesNameTheFile(@TempDir Path tmp) throws Exception {
    Path img = Files.createDirectories(tmp.resolve("a")).resolve("x.png");
    Files.write(img, new byte[] {1});
    Files.createDirectories(tmp.resolve("b"));
    Files.write(tmp.resolve("b/y.png"), new byte[] {1});
    Path json = Files.writeString(tmp.resolve("c.json"), "{\"images\": [{\"filename\": \"x.png\", \"filepath\": \"a\", "
        + "\"split\": \"train\", \"sentences\": []}]}");
    DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.classification(json));
    assertTrue(e.getMessage().contains("no class labels"), e.getMessage());
    ClassificationDataset folders = Datasets.classification(tmp);
    e = assertThrows(DataFormatException.class, () -> Datasets.withSplitsFrom(folders, json));
    assertTrue(e.getMessage().startsWith(json + ": has no split for ") && e.getMessage().contains("y.png"), e.getMessage());
    e = assertThrows(DataFormatException.class, () -> Datasets.captions(tmp));
    assertTrue(e.getMessage().contains("Karpathy"), e.getMessage());
  }
}
