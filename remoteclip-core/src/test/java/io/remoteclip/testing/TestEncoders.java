package io.remoteclip.testing;

import io.remoteclip.encode.Encoder;
import io.remoteclip.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Deterministic encoders for tests: embeddings are seeded by the file bytes or the text. */
public final class TestEncoders {
  private TestEncoders() {}

  public static class Hashing implements Encoder {
    final String id;
    public int imagesEncoded;
    public int textsEncoded;

    public Hashing(String id) {
      this.id = id;
    }

    @Override
    public String modelId() {
      return id;
    }

    @Override
    public float[][] encodeImages(List<Path> images, ProgressListener progress) throws IOException {
      float[][] out = new float[images.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = vector(java.util.Arrays.hashCode(Files.readAllBytes(images.get(i))));
      }
      imagesEncoded += images.size();
      return out;
    }

    @Override
    public float[][] encodeTexts(List<String> texts, ProgressListener progress) {
      float[][] out = new float[texts.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = vector(texts.get(i).hashCode());
      }
      textsEncoded += texts.size();
      return out;
    }

    private float[] vector(long seed) {
      java.util.SplittableRandom r = new java.util.SplittableRandom(seed ^ id.hashCode());
      float[] v = new float[8];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) r.nextGaussian();
      }
      return v;
    }
  }
}
