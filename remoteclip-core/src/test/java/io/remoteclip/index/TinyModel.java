package io.remoteclip.index;

import io.remoteclip.ProgressListener;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.model.Activation;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.SampleImages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The bundled {@code remoteclip-mini} model and UCM-like images the tests write themselves
 * ({@link SampleImages}), so index and server tests run without {@code ../shared}.
 */
public final class TinyModel {
  private TinyModel() {}

  public static Path weights() {
    return BundledModel.weights();
  }

  public static Path vocab() {
    return BundledModel.vocab();
  }

  public static ClipEncoder open(Activation activation) throws Exception {
    var resolved = ModelResolver.fromEnvironment().resolve(weights().toString(), vocab(), ProgressListener.NONE);
    return ClipEncoder.open(resolved, ClipEncoder.Options.defaults().withActivation(activation), ProgressListener.NONE);
  }

  public static ClipEncoder open() throws Exception {
    return open(null);
  }

  /** Writes UCM-like images {@code <id>.jpg} into {@code dir}; returns them in the given order. */
  public static List<Path> copyUcm(Path dir, int... ids) {
    return SampleImages.ucmLike(dir, ids);
  }

  /** UCM's {@code labels.csv} for the sample images, written under {@code dir}. */
  public static Path labels(Path dir) throws IOException {
    return SampleImages.labelsCsv(dir.resolve("labels.csv"));
  }

  /** {@code from, from+1, ..., from+n-1} for each start. */
  public static int[] ranges(int n, int... starts) {
    int[] out = new int[n * starts.length];
    for (int s = 0; s < starts.length; s++) {
      for (int i = 0; i < n; i++) {
        out[s * n + i] = starts[s] + i;
      }
    }
    return out;
  }
}
