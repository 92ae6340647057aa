package io.remoteclip.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.testing.Fixtures;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainTransformTest {
  private static final int N = 64;

  @Test
  void cropParametersFollowTorchvisionBounds() {
    SplittableRandom rng = new SplittableRandom(11);
    int[][] sizes = {{256, 256}, {250, 256}, {320, 240}, {533, 637}};
    for (int[] s : sizes) {
      for (int k = 0; k < 2000; k++) {
        int[] box = TrainTransform.randomResizedCrop(s[0], s[1], rng);
        int top = box[0];
        int left = box[1];
        int h = box[2];
        int w = box[3];
        assertTrue(top >= 0 && left >= 0 && top + h <= s[1] && left + w <= s[0], Arrays.toString(box));
        double fraction = (double) w * h / (s[0] * s[1]);
        double ratio = (double) w / h;
        // Rounding w and h to integers moves area and ratio slightly.
        double slack = 0.01;
        assertTrue(fraction > 0.9 - slack && fraction <= 1.0 + slack, "area fraction " + fraction);
        assertTrue(ratio > 0.75 - slack && ratio < 4.0 / 3 + slack, "ratio " + ratio);
      }
    }
  }

  @Test
  void fallsBackToCentredCropWhenNoAttemptFits() {
    // 900x120: a crop of >= 90 % of the area with aspect <= 4/3 needs h >= 270 > 120, so all 10 attempts fail
    // and torchvision takes the centred 4:3 crop; likewise 1192x564 (h >= 673 > 564), and tall 100x400.
    for (int seed = 0; seed < 50; seed++) {
      assertArrayEquals(new int[] {0, 370, 120, 160}, TrainTransform.randomResizedCrop(900, 120, new SplittableRandom(seed)));
      assertArrayEquals(new int[] {0, 220, 564, 752}, TrainTransform.randomResizedCrop(1192, 564, new SplittableRandom(seed)));
      assertArrayEquals(new int[] {133, 0, 133, 100}, TrainTransform.randomResizedCrop(100, 400, new SplittableRandom(seed)));
    }
  }

  @Test
  void seededRunsAreReproducible() throws Exception {
    DecodedImage im = ImageDecoder.decode(Fixtures.require("data/ucm-captions/images/101.jpg"));
    TrainTransform t = new TrainTransform(PreprocessConfig.openAi(N), TrainTransform.Preset.RS);
    float[] a = t.apply(im, new SplittableRandom(42));
    float[] b = t.apply(im, new SplittableRandom(42));
    float[] c = t.apply(im, new SplittableRandom(43));
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, c));
  }

  @Test
  void nonePresetIsTheEvalTransform() throws Exception {
    DecodedImage im = ImageDecoder.decode(Fixtures.require("golden/preprocess/nwpu_505.jpg"));
    PreprocessConfig config = PreprocessConfig.openAi();
    assertArrayEquals(new EvalTransform(config).apply(im),
        new TrainTransform(config, TrainTransform.Preset.NONE).apply(im, new SplittableRandom(1)));
  }

  @Test
  void clipPresetResizesTheCropInTheImagesOwnMode() throws Exception {
    // 17x9 always falls back to the centred 12x9 crop at left 2, so the output is known without the generator.
    DecodedImage im = ImageDecoder.decode(Fixtures.require("golden/preprocess/synth_tiny_17x9.png"));
    byte[] resized = PilConvert.toRgb(PilResize.resize(im.crop(2, 0, 12, 9), N, N, Resample.BICUBIC));
    float[] expected = EvalTransform.toTensor(resized, N, new EvalTransform(PreprocessConfig.openAi(N)).lookupTable());
    TrainTransform t = new TrainTransform(PreprocessConfig.openAi(N), TrainTransform.Preset.CLIP);
    assertArrayEquals(expected, t.apply(im, new SplittableRandom(5)));
  }

  @Test
  void rsPresetIsAFlipOrTurnOfTheClipPreset() throws Exception {
    DecodedImage im = ImageDecoder.decode(Fixtures.require("data/ucm-captions/images/1911.jpg"));
    PreprocessConfig config = PreprocessConfig.openAi(N);
    TrainTransform clip = new TrainTransform(config, TrainTransform.Preset.CLIP);
    TrainTransform rs = new TrainTransform(config, TrainTransform.Preset.RS);
    Set<Integer> variants = new HashSet<>();
    for (int seed = 0; seed < 24; seed++) {
      float[] base = clip.apply(im, new SplittableRandom(seed));
      float[] aug = rs.apply(im, new SplittableRandom(seed));
      int match = -1;
      for (int v = 0; v < 8 && match < 0; v++) {
        if (Arrays.equals(aug, dihedral(base, v))) {
          match = v;
        }
      }
      assertTrue(match >= 0, "seed " + seed + ": rs output is no flip/rotation of the clip output");
      variants.add(match);
    }
    assertTrue(variants.size() >= 4, "only " + variants.size() + " of 8 flips/rotations seen in 24 draws");
  }

  @Test
  void unknownPresetIsRejected() {
    assertEquals(TrainTransform.Preset.RS, TrainTransform.Preset.parse("RS"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainTransform.Preset.parse("x"));
    assertTrue(e.getMessage().contains("clip, rs or none"));
  }

  /** Variant v of a CHW tensor: v & 3 quarter turns (numpy rot90), transposed first when v >= 4. */
  private static float[] dihedral(float[] chw, int v) {
    float[] out = chw.clone();
    if (v >= 4) {
      out = map(out, (y, x) -> new int[] {x, y});
    }
    for (int t = 0; t < (v & 3); t++) {
      out = map(out, (y, x) -> new int[] {x, N - 1 - y});
    }
    return out;
  }

  private interface Source {
    int[] of(int y, int x);
  }

  private static float[] map(float[] chw, Source src) {
    float[] out = new float[chw.length];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < N; y++) {
        for (int x = 0; x < N; x++) {
          int[] s = src.of(y, x);
          out[c * N * N + y * N + x] = chw[c * N * N + s[0] * N + s[1]];
        }
      }
    }
    return out;
  }
}
