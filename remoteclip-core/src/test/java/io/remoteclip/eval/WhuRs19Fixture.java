package io.remoteclip.eval;

import io.remoteclip.npy.Npy;
import io.remoteclip.testing.Fixtures;
import java.nio.file.Path;

/** The real RemoteCLIP ViT-B/32 embeddings of WHU-RS19 (skips the test when ../shared is absent). */
final class WhuRs19Fixture {
  static final String DIR = "data/embeddings/whurs19-remoteclip-vit-b-32";

  final Path dir;
  final float[][] images;
  final int[] labels;

  private WhuRs19Fixture(Path dir) throws Exception {
    this.dir = dir;
    this.images = Npy.readMatrix(dir.resolve("images.npy"));
    this.labels = Npy.readLabels(dir.resolve("labels.npy"));
  }

  static WhuRs19Fixture load() throws Exception {
    return new WhuRs19Fixture(Fixtures.require(DIR));
  }

  float[][] texts(String promptFile) throws Exception {
    return Npy.readMatrix(dir.resolve("texts").resolve(promptFile));
  }
}
