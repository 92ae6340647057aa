package io.remoteclip.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.ProgressListener;
import io.remoteclip.vector.Vectors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Linear probe, k-NN and few-shot on the real WHU-RS19 embeddings with a seeded 50/50 split. */
class ProbesTest {
  private static final double ZERO_SHOT_TOP1 = 93.43283582089552;

  private record Split(float[][] train, int[] trainLabels, float[][] test, int[] testLabels) {}

  private static Split split(WhuRs19Fixture f, long seed) {
    Splits.TrainTest s = Splits.stratified(f.labels, 0.5, seed);
    return new Split(Splits.rows(f.images, s.train()), Splits.at(f.labels, s.train()),
        Splits.rows(f.images, s.test()), Splits.at(f.labels, s.test()));
  }

  @Test
  void splitIsStratifiedAndReproducible() throws Exception {
    WhuRs19Fixture f = WhuRs19Fixture.load();
    Splits.TrainTest a = Splits.stratified(f.labels, 0.5, 7);
    Splits.TrainTest b = Splits.stratified(f.labels, 0.5, 7);
    assertArrayEquals(a.train(), b.train());
    assertEquals(1005, a.train().length + a.test().length);
    int[] perClass = new int[19];
    for (int i : a.train()) {
      perClass[f.labels[i]]++;
    }
    assertEquals(28, perClass[0]); // 55 airports → round(27.5) = 28
    assertTrue(!java.util.Arrays.equals(a.train(), Splits.stratified(f.labels, 0.5, 8).train()));
  }

  @Test
  void linearProbeBeatsZeroShotAndConverges() throws Exception {
    WhuRs19Fixture f = WhuRs19Fixture.load();
    Split s = split(f, 0);
    LinearProbe.Result r = LinearProbe.evaluate(s.train, s.trainLabels, s.test, s.testLabels, 19,
        LinearProbe.DEFAULT_C, LinearProbe.DEFAULT_MAX_ITERATIONS);
    System.out.printf("linear probe WHU-RS19 seed 0: top1 %.2f%% top5 %.2f%% mpcr %.2f%% in %d iterations%n",
        r.metrics().top1(), r.metrics().top5(), r.metrics().meanPerClassRecall(), r.iterations());
    assertTrue(r.converged(), "L-BFGS did not converge");
    assertTrue(r.metrics().top1() > ZERO_SHOT_TOP1, "linear probe " + r.metrics().top1());
    LinearProbe.Result again = LinearProbe.evaluate(s.train, s.trainLabels, s.test, s.testLabels, 19,
        LinearProbe.DEFAULT_C, LinearProbe.DEFAULT_MAX_ITERATIONS);
    assertEquals(r.metrics().top1(), again.metrics().top1());
  }

  @Test
  void logisticRegressionReachesAStationaryPoint() throws Exception {
    WhuRs19Fixture f = WhuRs19Fixture.load();
    Split s = split(f, 1);
    float[][] x = Vectors.normalizedRows(s.train);
    LogisticRegression m = LogisticRegression.fit(x, s.trainLabels, 19, 3.16, 1000);
    // Optimality of the bias: the mean of (p - y) over the training rows must vanish for every class.
    float[][] z = m.decisionFunction(x);
    double worst = 0;
    for (int k = 0; k < 19; k++) {
      double g = 0;
      for (int i = 0; i < x.length; i++) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z[i]) {
          max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : z[i]) {
          sum += Math.exp(v - max);
        }
        g += Math.exp(z[i][k] - max) / sum - (s.trainLabels[i] == k ? 1 : 0);
      }
      worst = Math.max(worst, Math.abs(g / x.length));
    }
    assertTrue(worst < 1e-3, "bias gradient " + worst);
  }

  @Test
  void searchedCIsFromTheGridAndScoresWell() throws Exception {
    WhuRs19Fixture f = WhuRs19Fixture.load();
    Split s = split(f, 2);
    Splits.TrainTest tv = Splits.stratified(s.trainLabels, 0.8, 2);
    LinearProbe.Result r = LinearProbe.searchAndEvaluate(Splits.rows(s.train, tv.train()),
        Splits.at(s.trainLabels, tv.train()), Splits.rows(s.train, tv.test()), Splits.at(s.trainLabels, tv.test()),
        s.test, s.testLabels, 19, new double[] {0.01, 1, 100}, 200, ProgressListener.NONE);
    System.out.printf("linear probe with C search: C=%s val=%s top1 %.2f%%%n", r.c(), r.validationTop1(),
        r.metrics().top1());
    assertEquals(3, r.validationTop1().size());
    assertTrue(r.validationTop1().get(r.c()) >= r.validationTop1().get(0.01));
    assertTrue(r.metrics().top1() > ZERO_SHOT_TOP1);
  }

  @Test
  void knnIsAccurateAndSettable() throws Exception {
    WhuRs19Fixture f = WhuRs19Fixture.load();
    Split s = split(f, 0);
    ClassificationMetrics k20 = Knn.evaluate(s.train, s.trainLabels, s.test, s.testLabels, 19, 20, 0.07);
    ClassificationMetrics k1 = Knn.evaluate(s.train, s.trainLabels, s.test, s.testLabels, 19, 1, 0.07);
    System.out.printf("k-NN WHU-RS19 seed 0: k=20 %.2f%%, k=1 %.2f%%%n", k20.top1(), k1.top1());
    assertTrue(k20.top1() > 85, "k-NN top-1 " + k20.top1());
    // k = 1 is plain nearest-neighbour: check against a direct computation.
    int correct = 0;
    float[][] tr = Vectors.normalizedRows(s.train);
    for (int i = 0; i < s.test.length; i++) {
      float[] q = Vectors.normalized(s.test[i]);
      int best = 0;
      for (int j = 1; j < tr.length; j++) {
        if (Vectors.dot(q, tr[j]) > Vectors.dot(q, tr[best])) {
          best = j;
        }
      }
      correct += s.trainLabels[best] == s.testLabels[i] ? 1 : 0;
    }
    assertEquals(100.0 * correct / s.test.length, k1.top1(), 1e-9);
  }

  @Test
  void fewShotImprovesWithKAndIsReproducible() throws Exception {
    WhuRs19Fixture f = WhuRs19Fixture.load();
    Split s = split(f, 0);
    int[] shots = {1, 4, 16};
    List<FewShot.Shot> a = FewShot.evaluate(s.train, s.trainLabels, s.test, s.testLabels, 19, shots, 3, 0,
        LinearProbe.DEFAULT_C, 1000, ProgressListener.NONE);
    List<FewShot.Shot> b = FewShot.evaluate(s.train, s.trainLabels, s.test, s.testLabels, 19, shots, 3, 0,
        LinearProbe.DEFAULT_C, 1000, ProgressListener.NONE);
    for (FewShot.Shot x : a) {
      System.out.printf("few-shot K=%d: %.2f ± %.2f %s%n", x.k(), x.mean(), x.std(), x.top1PerSeed());
    }
    assertEquals(a, b);
    assertTrue(a.get(0).mean() < a.get(1).mean() && a.get(1).mean() < a.get(2).mean());
    assertTrue(a.get(0).mean() > 100.0 / 19 * 3, "1-shot far above chance");
    assertTrue(a.get(0).std() > 0, "seeds draw different shots");
  }

  @Test
  void kShotSamplesKPerClass() {
    int[] labels = {0, 0, 0, 1, 1, 1, 1, 2};
    int[] idx = Splits.kShot(labels, 2, 5);
    assertEquals(5, idx.length); // 2 + 2 + the single image of class 2
    assertArrayEquals(idx, Splits.kShot(labels, 2, 5));
  }
}
