package io.remoteclip.index;

import io.remoteclip.ProgressListener;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.model.Activation;
import io.remoteclip.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** The golden random-weight ViT (skips without ../shared) and copies of UCM images for index tests. */
public final class TinyModel {
  private TinyModel() {}

  public static Path weights() {
    return Fixtures.require("golden/vit-tiny/model.pt");
  }

  public static Path vocab() {
    return Fixtures.require("golden/tokenizer/bpe_simple_vocab_16e6.txt.gz");
  }

  public static ClipEncoder open(Activation activation) throws Exception {
    var resolved = ModelResolver.fromEnvironment().resolve(weights().toString(), vocab(), ProgressListener.NONE);
    return ClipEncoder.open(resolved, ClipEncoder.Options.defaults().withActivation(activation), ProgressListener.NONE);
  }

  public static ClipEncoder open() throws Exception {
    return open(null);
  }

  /** Copies UCM images {@code <id>.jpg} into {@code dir}; returns the copies in the given order. */
  public static List<Path> copyUcm(Path dir, int... ids) throws IOException {
    Path src = Fixtures.require("data/ucm-captions/images");
    Files.createDirectories(dir);
    List<Path> out = new ArrayList<>();
    for (int id : ids) {
      Path to = dir.resolve(id + ".jpg");
      Files.copy(src.resolve(id + ".jpg"), to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
      out.add(to);
    }
    return out;
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
