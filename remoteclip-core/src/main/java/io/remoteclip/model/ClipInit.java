package io.remoteclip.model;

import io.remoteclip.checkpoint.DType;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.checkpoint.TensorData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Random initialisation following open_clip's {@code init_parameters} (CLIP, VisionTransformer,
 * ModifiedResNet, text transformer) and PyTorch's module defaults where open_clip leaves them:
 * normal(0.02) token embedding, normal(0.01) positions, width-scaled attention/MLP/projection stds,
 * zero-initialised bn3 gains, logit scale ln(1/0.07). Seeded and reproducible.
 */
public final class ClipInit {
  private ClipInit() {}

  public static StateDict random(ClipConfig c, long seed) {
    Random rng = new Random(seed);
    if (c.family() == ModelFamily.SIGLIP) {
      return siglip(c, rng, seed);
    }
    Map<String, TensorData> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : ClipLayout.expectedShapes(c).entrySet()) {
      String k = e.getKey();
      long[] shape = e.getValue();
      if (k.endsWith("num_batches_tracked")) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0);
        b.flip();
        out.put(k, new TensorData(DType.INT64, shape, b));
        continue;
      }
      out.put(k, TensorData.ofFloats(values(k, shape, c, rng), shape));
    }
    return new StateDict(out, Path.of("random-init(" + c.architectureName() + ", seed " + seed + ")"));
  }

  private static float[] values(String k, long[] shape, ClipConfig c, Random rng) {
    int n = Math.toIntExact(TensorData.numel(shape));
    float[] v = new float[n];
    TextConfig t = c.text();
    boolean visual = k.startsWith("visual.");
    if (k.equals("logit_scale")) {
      v[0] = (float) Math.log(1 / 0.07);
    } else if (k.endsWith("running_var") || (isNorm(k) && k.endsWith(".weight") && !k.endsWith("bn3.weight"))) {
      java.util.Arrays.fill(v, 1f);
    } else if (k.endsWith("running_mean") || isNorm(k) || k.endsWith("bn3.weight")) {
      // zeros: norm biases, running means, and bn3 gains (open_clip zero-inits them)
    } else if (k.equals("token_embedding.weight")) {
      normal(v, 0.02, rng);
    } else if (k.equals("positional_embedding")) {
      normal(v, 0.01, rng);
    } else if (k.equals("text_projection")) {
      normal(v, Math.pow(t.width(), -0.5), rng);
    } else if (k.startsWith("transformer.resblocks.")) {
      double attnStd = Math.pow(t.width(), -0.5);
      double projStd = attnStd * Math.pow(2 * t.layers(), -0.5);
      double fcStd = Math.pow(2 * t.width(), -0.5);
      if (k.endsWith("in_proj_weight")) normal(v, attnStd, rng);
      else if (k.endsWith("out_proj.weight") || k.endsWith("c_proj.weight")) normal(v, projStd, rng);
      else if (k.endsWith("c_fc.weight")) normal(v, fcStd, rng);
      else linearBias(k, v, shape, c, rng);
    } else if (visual && c.vision() instanceof VitConfig vit) {
      double scale = Math.pow(vit.width(), -0.5);
      if (k.equals("visual.class_embedding") || k.equals("visual.positional_embedding") || k.equals("visual.proj")) {
        normal(v, scale, rng);
      } else if (k.endsWith("in_proj_weight")) {
        double bound = Math.sqrt(6.0 / (shape[0] + shape[1])); // xavier_uniform over the packed [3W, W]
        uniform(v, bound, rng);
      } else if (k.endsWith(".weight")) {
        uniform(v, 1 / Math.sqrt(fanIn(shape)), rng);
      } else {
        linearBias(k, v, shape, c, rng);
      }
    } else if (visual && c.vision() instanceof ResNetConfig r) {
      if (k.startsWith("visual.attnpool.") && k.endsWith(".weight")) {
        normal(v, Math.pow(r.poolWidth(), -0.5), rng);
      } else if (k.equals("visual.attnpool.positional_embedding")) {
        normal(v, Math.pow(r.poolWidth(), -0.5), rng);
      } else if (k.endsWith(".weight")) {
        uniform(v, 1 / Math.sqrt(fanIn(shape)), rng);
      } else {
        uniform(v, 1 / Math.sqrt(r.poolWidth()), rng);
      }
    }
    return v;
  }

  /**
   * A SigLIP with timm's and open_clip's simple scheme: weights and embeddings normal(0.02), biases zero, norm
   * gains one, logit scale ln 10 and bias −10 (open_clip's {@code init_logit_scale}, {@code init_logit_bias}).
   * For benchmarks and smoke tests, not a training recipe.
   */
  private static StateDict siglip(ClipConfig c, Random rng, long seed) {
    Map<String, TensorData> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : ClipLayout.expectedShapes(c).entrySet()) {
      String k = e.getKey();
      float[] v = new float[Math.toIntExact(TensorData.numel(e.getValue()))];
      boolean norm = k.contains("norm") || k.contains(".ln_");
      if (k.equals("logit_scale")) {
        v[0] = (float) Math.log(10);
      } else if (k.equals("logit_bias")) {
        v[0] = -10f;
      } else if (norm && k.endsWith(".weight")) {
        java.util.Arrays.fill(v, 1f);
      } else if (!k.endsWith(".bias")) {
        normal(v, 0.02, rng);
      }
      out.put(k, TensorData.ofFloats(v, e.getValue()));
    }
    return new StateDict(out, Path.of("random-init(" + c.architectureName() + ", seed " + seed + ")"));
  }

  private static boolean isNorm(String k) {
    return k.contains(".ln_") || k.startsWith("ln_") || k.contains(".bn") || k.startsWith("visual.bn")
        || k.contains("downsample.1.");
  }

  /** MHA biases start at zero; Linear biases are U(±1/sqrt(fan_in)). */
  private static void linearBias(String k, float[] v, long[] shape, ClipConfig c, Random rng) {
    if (k.endsWith("in_proj_bias") || k.endsWith("out_proj.bias")) {
      return;
    }
    long fanIn = k.endsWith("c_fc.bias") ? v.length / 4 : v.length * 4L;
    uniform(v, 1 / Math.sqrt(fanIn), rng);
  }

  private static long fanIn(long[] shape) {
    long f = 1;
    for (int i = 1; i < shape.length; i++) {
      f *= shape[i];
    }
    return f;
  }

  private static void normal(float[] v, double std, Random rng) {
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (rng.nextGaussian() * std);
    }
  }

  private static void uniform(float[] v, double bound, Random rng) {
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
    }
  }
}
