package io.remoteclip.model;

import io.remoteclip.checkpoint.DType;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.checkpoint.TensorData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Random initialisation following open_clip's {@code init_parameters} (CLIP, VisionTransformer,
 * ModifiedResNet, text transformer) and PyTorch's module defaults where open_clip leaves them:
 * normal(0.02) token embedding, normal(0.01) positions, width-scaled attention/MLP/projection stds,
 * zero-initialised bn3 gains, logit scale ln(1/0.07). Seeded and reproducible: each tensor has its own
 * generator, seeded from the model seed and the tensor's position, and its values are computed when the tensor
 * is read ({@link TensorData#computed}), so initialising ViT-H-14 (986 million parameters) holds no copy of it.
 */
public final class ClipInit {
  private ClipInit() {}

  public static StateDict random(ClipConfig c, long seed) {
    if (c.family() == ModelFamily.SIGLIP) {
      return siglip(c, seed);
    }
    Map<String, TensorData> out = new LinkedHashMap<>();
    long index = 0;
    for (Map.Entry<String, long[]> e : ClipLayout.expectedShapes(c).entrySet()) {
      String k = e.getKey();
      long[] shape = e.getValue();
      long tensorSeed = seed * 0x9E3779B97F4A7C15L + index++;
      if (k.endsWith("num_batches_tracked")) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0);
        b.flip();
        out.put(k, new TensorData(DType.INT64, shape, b));
        continue;
      }
      out.put(k, TensorData.computed(shape, v -> values(k, shape, c, new SplittableRandom(tensorSeed), v)));
    }
    return new StateDict(out, Path.of("random-init(" + c.architectureName() + ", seed " + seed + ")"));
  }

  private static void values(String k, long[] shape, ClipConfig c, RandomGenerator rng, FloatBuffer v) {
    TextConfig t = c.text();
    boolean visual = k.startsWith("visual.");
    if (k.equals("logit_scale")) {
      v.put(0, (float) Math.log(1 / 0.07));
    } else if (k.endsWith("running_var") || (isNorm(k) && k.endsWith(".weight") && !k.endsWith("bn3.weight"))) {
      fill(v, 1f);
    } else if (k.endsWith("running_mean") || isNorm(k) || k.endsWith("bn3.weight")) {
      fill(v, 0f); // norm biases, running means, and bn3 gains (open_clip zero-inits them)
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
      else linearBias(k, v, rng);
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
        linearBias(k, v, rng);
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
    } else {
      fill(v, 0f);
    }
  }

  /**
   * A SigLIP with timm's and open_clip's simple scheme: weights and embeddings normal(0.02), biases zero, norm
   * gains one, logit scale ln 10 and bias −10 (open_clip's {@code init_logit_scale}, {@code init_logit_bias}).
   * For benchmarks and smoke tests, not a training recipe.
   */
  private static StateDict siglip(ClipConfig c, long seed) {
    Map<String, TensorData> out = new LinkedHashMap<>();
    long index = 0;
    for (Map.Entry<String, long[]> e : ClipLayout.expectedShapes(c).entrySet()) {
      String k = e.getKey();
      long tensorSeed = seed * 0x9E3779B97F4A7C15L + index++;
      out.put(k, TensorData.computed(e.getValue(), v -> siglipValues(k, new SplittableRandom(tensorSeed), v)));
    }
    return new StateDict(out, Path.of("random-init(" + c.architectureName() + ", seed " + seed + ")"));
  }

  private static void siglipValues(String k, RandomGenerator rng, FloatBuffer v) {
    boolean norm = k.contains("norm") || k.contains(".ln_");
    if (k.equals("logit_scale")) {
      v.put(0, (float) Math.log(10));
    } else if (k.equals("logit_bias")) {
      v.put(0, -10f);
    } else if (norm && k.endsWith(".weight")) {
      fill(v, 1f);
    } else if (k.endsWith(".bias")) {
      fill(v, 0f);
    } else {
      normal(v, 0.02, rng);
    }
  }

  private static boolean isNorm(String k) {
    return k.contains(".ln_") || k.startsWith("ln_") || k.contains(".bn") || k.startsWith("visual.bn")
        || k.contains("downsample.1.");
  }

  /** MHA biases start at zero; Linear biases are U(±1/sqrt(fan_in)). */
  private static void linearBias(String k, FloatBuffer v, RandomGenerator rng) {
    if (k.endsWith("in_proj_bias") || k.endsWith("out_proj.bias")) {
      fill(v, 0f);
      return;
    }
    long n = v.limit();
    long fanIn = k.endsWith("c_fc.bias") ? n / 4 : n * 4L;
    uniform(v, 1 / Math.sqrt(fanIn), rng);
  }

  private static long fanIn(long[] shape) {
    long f = 1;
    for (int i = 1; i < shape.length; i++) {
      f *= shape[i];
    }
    return f;
  }

  private static void fill(FloatBuffer v, float value) {
    for (int i = 0; i < v.limit(); i++) {
      v.put(i, value);
    }
  }

  private static void normal(FloatBuffer v, double std, RandomGenerator rng) {
    for (int i = 0; i < v.limit(); i++) {
      v.put(i, (float) (rng.nextGaussian() * std));
    }
  }

  private static void uniform(FloatBuffer v, double bound, RandomGenerator rng) {
    for (int i = 0; i < v.limit(); i++) {
      v.put(i, (float) ((rng.nextDouble() * 2 - 1) * bound));
    }
  }
}
