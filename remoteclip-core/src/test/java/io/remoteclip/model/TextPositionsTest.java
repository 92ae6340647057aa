package io.remoteclip.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.remoteclip.ProgressListener;
import io.remoteclip.checkpoint.Checkpoints;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.Fixtures;
import io.remoteclip.testing.Tolerances;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The text tower runs a batch only up to its longest text: the features at end-of-text must be those of all
 * context positions (the attention is causal), for every row, whatever the other rows' lengths.
 */
class TextPositionsTest {
  private static final double SAME = 1e-6;

  private static final List<String> TEXTS = List.of(
      "a",
      "many boats docked in a harbor",
      "an airport with several airplanes parked next to the terminal building and a long runway",
      "dense residential area with houses, trees and roads; cars parked along the streets, a school, "
          + "a church, two tennis courts, a baseball diamond and a river crossed by three bridges near farmland");

  @Test
  void longestTextEndsAtTheLastNonPaddingTokenOfAnyRow() {
    assertEquals(1, TokenRows.longestText(new long[][] {new long[77]}));
    assertEquals(3, TokenRows.longestText(new long[][] {{9, 4, 0, 0}, {9, 5, 7, 0}}));
    long[] full = new long[77];
    Arrays.fill(full, 3);
    assertEquals(77, TokenRows.longestText(new long[][] {{5, 0, 0}, full}));
    assertEquals(List.of(9L, 4L, 9L, 5L), Arrays.stream(TokenRows.flatten(new long[][] {{9, 4, 0}, {9, 5, 7}}, 2))
        .boxed().toList());
  }

  @Test
  void bundledModelTrimmedEqualsAllPositions() throws Exception {
    var resolved = ModelResolver.fromEnvironment().resolve(BundledModel.dir().toString(), null, ProgressListener.NONE);
    try (ClipEncoder encoder = ClipEncoder.open(resolved, ClipEncoder.Options.defaults(), ProgressListener.NONE)) {
      long[][] tokens = encoder.tokenizer().tokenize(TEXTS);
      assertEquals(tokens[0].length, TokenRows.longestText(tokens), "the last text fills the context (cut, ends with end-of-text)");
      assertSameAsAllPositions(encoder.model(), tokens);
      assertSameAsAllPositions(encoder.model(), encoder.tokenizer().tokenize(TEXTS.subList(0, 3)));
    }
  }

  @Test
  void randomModelOf77PositionsTrimmedEqualsAllPositions() throws Exception {
    ClipConfig config = Architectures.parse("vit:width=64,layers=2,heads=4,patch=16,image=64,text-width=64,text-layers=3,"
        + "text-heads=4,vocab=500,embed=32", 0);
    try (ClipModel model = ClipModel.load(ClipInit.random(config, 5), config, "random")) {
      long[][] tokens = new long[5][config.text().contextLength()];
      int[] lengths = {2, 9, 17, 30, 4};
      java.util.Random r = new java.util.Random(1);
      for (int i = 0; i < tokens.length; i++) {
        tokens[i][0] = 498;
        for (int j = 1; j < lengths[i] - 1; j++) {
          tokens[i][j] = 1 + r.nextInt(490);
        }
        tokens[i][lengths[i] - 1] = 499;
      }
      assertEquals(77, tokens[0].length);
      assertEquals(30, TokenRows.longestText(tokens));
      assertSameAsAllPositions(model, tokens);
    }
  }

  @Test
  void goldenTokensTrimmedEqualAllPositions() throws Exception {
    Path dir = Fixtures.require("golden/vit-tiny");
    StateDict sd = Checkpoints.read(dir.resolve("model.pt"));
    ClipConfig cfg = ClipConfigs.infer(sd, ClipConfigs.readModelConfig(dir.resolve("config.json")), Activation.QUICK_GELU);
    try (ClipModel model = ClipModel.load(sd, cfg, "vit-tiny")) {
      long[][] tokens = ClipModelGoldenTest.tokens(dir);
      assertTrue(TokenRows.longestText(tokens) < tokens[0].length, "golden texts are shorter than the context");
      assertSameAsAllPositions(model, tokens);
    }
  }

  /** {@code encodeTexts} (trimmed, batched and one text at a time) against the tower over every position. */
  private static void assertSameAsAllPositions(ClipModel model, long[][] tokens) {
    float[][] full;
    try (NDManager m = model.manager().newSubManager(); NoGrad noGrad = NoGrad.enter()) {
      full = rowsOf(model.encodeText(ClipModel.tokenArray(m, tokens), null).toFloatArray(), tokens.length);
    }
    float[][] batched = model.encodeTexts(tokens);
    for (int i = 0; i < tokens.length; i++) {
      Tolerances.assertRelative("row " + i + " of the batch", batched[i], full[i], SAME);
      float[] alone = model.encodeTexts(new long[][] {tokens[i]})[0];
      Tolerances.assertRelative("row " + i + " alone (" + TokenRows.longestText(new long[][] {tokens[i]}) + " positions)",
          alone, full[i], SAME);
    }
  }

  private static float[][] rowsOf(float[] flat, int n) {
    int d = flat.length / n;
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      out[i] = Arrays.copyOfRange(flat, i * d, (i + 1) * d);
    }
    return out;
  }
}
