package io.remoteclip.eval.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.DataFormatException;
import io.remoteclip.ProgressListener;
import io.remoteclip.dataset.ClassificationDataset;
import io.remoteclip.eval.Ensemble;
import io.remoteclip.eval.FewShot;
import io.remoteclip.eval.Knn;
import io.remoteclip.eval.SplitRule;
import io.remoteclip.eval.ZeroShot;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.TestEncoders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation service on small in-memory and file inputs (no ../shared needed). */
class EvaluatorTest {
  /** Two well separated classes on the plane, three rows each, alternating train/test. */
  private static TrainTestRows twoClasses() {
    float[][] train = {{1, 0.1f}, {0.9f, 0}, {0, 1}, {0.1f, 0.9f}};
    float[][] test = {{1, 0.2f}, {0.2f, 1}};
    return new TrainTestRows(train, new int[] {0, 0, 1, 1}, test, new int[] {0, 1}, 2, List.of("sea", "land"), "toy");
  }

  @Test
  void supervisedProtocolsOnRowsGiveTheAlgorithmsNumbersUnderOneSchema() throws Exception {
    Evaluator evaluator = Evaluator.onEmbeddings();
    TrainTestRows rows = twoClasses();
    KnnResult knn = (KnnResult) evaluator.run(new KnnRequest(rows, 3, 0.07));
    assertEquals(Knn.evaluate(rows.train(), rows.trainLabels(), rows.test(), rows.testLabels(), 2, 3, 0.07).top1(),
        knn.metrics().top1());
    Map<String, Object> json = knn.toJson();
    assertEquals(List.of("k", "temperature", "train", "classes", "count", "top1", "mean_per_class_recall",
        "per_class_recall", "confusion"), new ArrayList<>(json.keySet()), "no top5 with two classes");
    assertEquals(Map.of("sea", 100.0, "land", 100.0), json.get("per_class_recall"));
    assertEquals("top-1 100.00", knn.headline());

    LinearProbeResult lp = evaluator.linearProbe(LinearProbeRequest.of(rows));
    assertEquals(100.0, lp.metrics().top1());
    assertFalse(lp.toJson().containsKey("validation_top1"));
    FewShotResult fs = evaluator.fewShot(new FewShotRequest(rows, new int[] {1, 2}, 2, 0, 3.16, 1000));
    List<FewShot.Shot> direct = FewShot.evaluate(rows.train(), rows.trainLabels(), rows.test(), rows.testLabels(), 2,
        new int[] {1, 2}, 2, 0, 3.16, 1000, ProgressListener.NONE);
    assertEquals(direct, fs.shots());
    assertEquals(direct.get(1).mean(), fs.toJson().get("top1_k2"));
  }

  @Test
  void zeroShotOnADataSetEncodesImagesAndPromptsWithTheEncoder(@TempDir Path tmp) throws Exception {
    List<Path> images = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      images.add(Files.write(tmp.resolve(i + ".bin"), new byte[] {(byte) i}));
    }
    ClassificationDataset data = new ClassificationDataset(images, new int[] {0, 1, 0, 1}, List.of("sea", "land"),
        null);
    TestEncoders.Hashing encoder = new TestEncoders.Hashing("h");
    ZeroShotRequest request = new ZeroShotRequest(new ZeroShotRequest.Dataset(data),
        new ZeroShotRequest.Prompts(List.of("open sea", "farm land"), List.of("a photo of {}.")), Ensemble.AVERAGE_FIRST);
    assertTrue(request.needsEncoder());
    assertThrows(IllegalStateException.class, () -> Evaluator.onEmbeddings().run(request));
    ZeroShotResult r = new Evaluator(encoder, ProgressListener.NONE).zeroShot(request);
    TestEncoders.Hashing same = new TestEncoders.Hashing("h");
    float[][] classes = same.encodeTexts(List.of("a photo of open sea.", "a photo of farm land."), ProgressListener.NONE);
    var direct = ZeroShot.evaluate(same.encodeImages(images, ProgressListener.NONE), data.labels(), classes);
    assertEquals(direct.top1(), r.metrics().top1());
    assertArrayEquals(direct.confusion(), r.metrics().confusion());
    assertNull(r.ensemble(), "one template: nothing ensembled");
    assertEquals(List.of("open sea", "farm land"), r.toJson().get("class_names"));
    assertEquals(List.of("sea", "land"), r.classNames());

    // Supervised rows of a data set: split by the rule, training rows encoded first.
    TrainTestRows rows = new Evaluator(encoder, ProgressListener.NONE).rows(
        new SupervisedInput.Dataset(data, new SplitRule(List.of("train"), "test", 0.5, 0), tmp, tmp));
    assertEquals(2, rows.train().length);
    assertTrue(rows.source().endsWith("(per-class split 0.5/0.5, seed 0)"), rows.source());
  }

  @Test
  void embeddingFilesNameTheFileThatDoesNotFit(@TempDir Path tmp) throws Exception {
    Path images = tmp.resolve("images.npy");
    Npy.writeFloats(images, new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
    Path labels = tmp.resolve("labels.npy");
    Npy.writeLongs(labels, new long[] {0, 1}, 2);
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> EmbeddingFiles.stratified(images, labels, 0.5, 0, null));
    assertEquals(labels + ": 2 entries but " + images + " has 3 rows", e.getMessage());
    Path classes = tmp.resolve("classes.npy");
    Npy.writeFloats(classes, new float[] {1, 0, 0, 1, 0, 0, 1}, 1, 7);
    Npy.writeLongs(labels, new long[] {0, 1, 0}, 3);
    e = assertThrows(DataFormatException.class,
        () -> EmbeddingFiles.zeroShot(images, labels, List.of(classes), null, Ensemble.NORMALIZE_FIRST));
    assertTrue(e.getMessage().startsWith(classes + ": embedding dimension 7 differs from " + images), e.getMessage());
  }

  @Test
  void protocolsAreAnEnumWithTheirConfigNames() {
    assertEquals(List.of("zeroshot", "zeroshot-transductive", "linear-probe", "knn", "fewshot", "retrieval", "counting"),
        Protocol.ids());
    assertEquals(Protocol.LINEAR_PROBE, Protocol.parse("linear-probe"));
    assertEquals(Protocol.LINEAR_PROBE, Protocol.parse("LINEAR_PROBE"));
    assertThrows(IllegalArgumentException.class, () -> Protocol.parse("magic"));
    assertFalse(Protocol.RETRIEVAL.isClassification());
  }
}
