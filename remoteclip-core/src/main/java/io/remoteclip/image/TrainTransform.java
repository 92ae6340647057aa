package io.remoteclip.image;

import io.remoteclip.DataFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Training-time augmentation producing the same {@code float[3*N*N]} CHW tensors as {@link EvalTransform}.
 *
 * <ul>
 *   <li>{@link Preset#CLIP}: open_clip's train transform, RandomResizedCrop(N, scale 0.9–1.0, ratio 3/4–4/3)
 *       with torchvision's sampling (10 attempts, then a centred fallback crop), resized with the config's
 *       filter in the image's own mode, then RGB, ToTensor, Normalize;
 *   <li>{@link Preset#RS}: the same, then a random horizontal flip, a random vertical flip (each p = 0.5) and
 *       a rotation by a random multiple of 90° (remote-sensing imagery has no canonical "up");
 *   <li>{@link Preset#NONE}: the evaluation transform.
 * </ul>
 *
 * <p>Randomness comes only from the {@link RandomGenerator} passed to {@link #apply}, drawn in a fixed order
 * (per crop attempt: area fraction, log aspect ratio; then top, left; then h-flip, v-flip, quarter turns),
 * so a seeded generator reproduces a run. The numbers differ from torch's generator: reproducibility is
 * within this implementation. Immutable and thread-safe (give each thread its own generator).
 */
public final class TrainTransform {
  /** Augmentation presets; parse with {@link #parse}. */
  public enum Preset {
    CLIP, RS, NONE;

    /** "clip", "rs" or "none" (case-insensitive). */
    public static Preset parse(String name) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown augmentation preset '" + name + "' (expected clip, rs or none)");
      }
    }
  }

  static final double SCALE_MIN = 0.9;
  static final double SCALE_MAX = 1.0;
  static final double RATIO_MIN = 3.0 / 4.0;
  static final double RATIO_MAX = 4.0 / 3.0;

  private final PreprocessConfig config;
  private final Preset preset;
  private final EvalTransform eval;

  public TrainTransform(PreprocessConfig config, Preset preset) {
    this.config = config;
    this.preset = preset;
    this.eval = new EvalTransform(config);
  }

  public Preset preset() {
    return preset;
  }

  public float[] apply(Path file, RandomGenerator rng) throws DataFormatException, IOException {
    return apply(ImageDecoder.decode(file), rng);
  }

  public float[] apply(DecodedImage image, RandomGenerator rng) {
    if (preset == Preset.NONE) {
      return eval.apply(image);
    }
    int n = config.imageSize();
    int[] box = randomResizedCrop(image.width(), image.height(), rng);
    DecodedImage crop = image.crop(box[1], box[0], box[3], box[2]);
    byte[] rgb = PilConvert.toRgb(PilResize.resize(crop, n, n, config.resample()));
    if (preset == Preset.RS) {
      rgb = Dihedral.apply(rgb, n, rng.nextBoolean(), rng.nextBoolean(), rng.nextInt(4));
    }
    return EvalTransform.toTensor(rgb, n, eval.lookupTable());
  }

  /**
   * torchvision's {@code RandomResizedCrop.get_params} with scale 0.9–1.0 and ratio 3/4–4/3: returns {top,
   * left, height, width}.
   */
  static int[] randomResizedCrop(int width, int height, RandomGenerator rng) {
    double area = (double) width * height;
    double logMin = Math.log(RATIO_MIN);
    double logMax = Math.log(RATIO_MAX);
    for (int attempt = 0; attempt < 10; attempt++) {
      double targetArea = area * rng.nextDouble(SCALE_MIN, SCALE_MAX);
      double aspect = Math.exp(rng.nextDouble(logMin, logMax));
      int w = (int) Math.rint(Math.sqrt(targetArea * aspect));
      int h = (int) Math.rint(Math.sqrt(targetArea / aspect));
      if (0 < w && w <= width && 0 < h && h <= height) {
        int top = rng.nextInt(height - h + 1);
        int left = rng.nextInt(width - w + 1);
        return new int[] {top, left, h, w};
      }
    }
    double inRatio = (double) width / height;
    int w;
    int h;
    if (inRatio < RATIO_MIN) {
      w = width;
      h = (int) Math.rint(w / RATIO_MIN);
    } else if (inRatio > RATIO_MAX) {
      h = height;
      w = (int) Math.rint(h * RATIO_MAX);
    } else {
      w = width;
      h = height;
    }
    return new int[] {(height - h) / 2, (width - w) / 2, h, w};
  }
}
