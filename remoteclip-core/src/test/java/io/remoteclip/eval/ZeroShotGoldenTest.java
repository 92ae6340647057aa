package io.remoteclip.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.npy.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Zero-shot top-1 on real RemoteCLIP embeddings against RS-TransCLIP's published figures (expected.csv). */
class ZeroShotGoldenTest {
  @Test
  void singlePromptGives93_43() throws Exception {
    WhuRs19Fixture f = WhuRs19Fixture.load();
    ClassificationMetrics m = ZeroShot.evaluate(f.images, f.labels, f.texts("a_satellite_photo_of_a.npy"));
    assertEquals(93.43283582089552, m.top1(), 1e-9);
    assertEquals(1005, m.count());
    assertTrue(m.top5() > m.top1() && m.top5() <= 100);
  }

  @Test
  void precomputedAveragePromptGives95_22() throws Exception {
    WhuRs19Fixture f = WhuRs19Fixture.load();
    float[][] avg = Npy.readMatrix(f.dir.resolve("texts_averageprompt.npy"));
    assertEquals(95.22388059701493, ZeroShot.evaluate(f.images, f.labels, avg).top1(), 1e-9);
  }

  @Test
  void everyRowOfExpectedCsvIsReproduced() throws Exception {
    WhuRs19Fixture f = WhuRs19Fixture.load();
    List<String> lines = Files.readAllLines(f.dir.resolve("expected.csv"));
    int checked = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] c = line.split(",");
      String prompt = c[3];
      double expected = Double.parseDouble(c[4]);
      if (prompt.equals("averageprompt")) {
        continue;
      }
      Path file = f.dir.resolve("texts").resolve(prompt.replace(' ', '_') + ".npy");
      double top1 = ZeroShot.evaluate(f.images, f.labels, Npy.readMatrix(file)).top1();
      assertEquals(expected, top1, 1e-9, "prompt '" + prompt + "'");
      checked++;
    }
    assertEquals(106, checked);
  }

  /**
   * The 106 per-prompt embeddings are L2-normalised, so both conventions give the same class vectors
   * here (average of unit vectors, renormalised) and both reproduce the published 95.22%.
   */
  @Test
  void ensembleOverThe106PromptsGives95_22WithBothConventions() throws Exception {
    WhuRs19Fixture f = WhuRs19Fixture.load();
    List<float[][]> perTemplate = new ArrayList<>();
    try (Stream<Path> s = Files.list(f.dir.resolve("texts"))) {
      for (Path p : s.sorted().toList()) {
        perTemplate.add(Npy.readMatrix(p));
      }
    }
    assertEquals(106, perTemplate.size());
    float[][] avg = Npy.readMatrix(f.dir.resolve("texts_averageprompt.npy"));
    for (Ensemble e : Ensemble.values()) {
      float[][] classes = e.classVectors(perTemplate);
      assertEquals(95.22388059701493, ZeroShot.evaluate(f.images, f.labels, classes).top1(), 1e-9, e.id());
      for (int c = 0; c < avg.length; c++) {
        for (int d = 0; d < avg[c].length; d++) {
          assertEquals(avg[c][d], classes[c][d], 1e-6, e.id() + " class " + c + " dim " + d);
        }
      }
    }
  }

  @Test
  void conventionsDifferOnUnnormalisedEmbeddings() {
    // Class 0: templates give (1,0) scaled by 10 and (0,1) scaled by 1.
    List<float[][]> perTemplate = List.of(new float[][] {{10, 0}}, new float[][] {{0, 1}});
    float[] nf = Ensemble.NORMALIZE_FIRST.classVectors(perTemplate)[0];
    float[] af = Ensemble.AVERAGE_FIRST.classVectors(perTemplate)[0];
    assertEquals(Math.sqrt(0.5), nf[0], 1e-6);
    assertEquals(Math.sqrt(0.5), nf[1], 1e-6);
    assertEquals(10 / Math.sqrt(101), af[0], 1e-6);
    assertEquals(1 / Math.sqrt(101), af[1], 1e-6);
  }

  @Test
  void metricsOfAHandMadeCase() {
    // 3 classes; item 2 is a tie between classes 0 and 2 (first index wins: predicted 0, true 2); the
    // other three items are right.
    float[][] scores = {{0.9f, 0.1f, 0.0f}, {0.2f, 0.7f, 0.1f}, {0.5f, 0.1f, 0.5f}, {0.1f, 0.2f, 0.3f}};
    int[] labels = {0, 1, 2, 2};
    ClassificationMetrics m = ClassificationMetrics.fromScores(scores, labels, 3);
    assertEquals(75.0, m.top1(), 1e-12);
    assertTrue(Double.isNaN(m.top5()));
    assertEquals((100 + 100 + 50) / 3.0, m.meanPerClassRecall(), 1e-12);
    assertEquals(1, m.confusion()[2][0]);
    assertEquals(1, m.confusion()[2][2]);
  }
}
