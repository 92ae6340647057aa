package io.remoteclip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.pooling.Pool;

/**
 * Pure functions for the building blocks shared by the towers, each mirroring one open_clip module. The
 * input is always the first operand of the first op so that results live in the caller's (per-call)
 * manager, never in the weights' manager.
 */
public final class Layers {
  static final float LN_EPS = 1e-5f;
  static final float BN_EPS = 1e-5f;

  private Layers() {}

  /**
   * {@code x · c} for a constant c. Never {@code x.mul(Number)}: DJL turns the number into a tensor backed by a
   * Java buffer and closes it, while autograd keeps it for the backward pass; once the garbage collector
   * frees the buffer, gradients are computed from freed memory. This scalar lives in PyTorch's memory.
   */
  public static NDArray scale(NDArray x, float c) {
    return x.mul(x.getManager().full(new Shape(), c, x.getDataType()));
  }

  /**
   * Closes {@code done} (an intermediate the caller created) and returns {@code next}. The forward passes
   * free activations as soon as they are consumed, as PyTorch's reference counting does: a DJL manager would
   * otherwise keep every intermediate of a call alive until the call ends (gigabytes for RN50 at batch 32,
   * and fresh, page-faulting memory for every op). Autograd holds its own references, so training is safe.
   */
  public static NDArray release(NDArray done, NDArray next) {
    done.close();
    return next;
  }

  /** {@code x + c} for a constant c, kept in PyTorch's memory (see {@link #scale}). */
  public static NDArray shift(NDArray x, float c) {
    return x.add(x.getManager().full(new Shape(), c, x.getDataType()));
  }

  /** {@code nn.LayerNorm} over the last axis, eps 1e-5 (open_clip's CLIP). */
  public static NDArray layerNorm(NDArray x, Weights w, String prefix) {
    return layerNorm(x, w, prefix, LN_EPS);
  }

  /** {@code nn.LayerNorm} over the last axis with its {@code eps} (1e-6 in SigLIP). */
  public static NDArray layerNorm(NDArray x, Weights w, String prefix, float eps) {
    NDArray gamma = w.get(prefix + ".weight");
    return LayerNorm.layerNorm(x, new Shape(gamma.getShape().get(0)), gamma, w.get(prefix + ".bias"), eps).head();
  }

  /** {@code nn.Linear}: x @ weightᵀ + bias. */
  public static NDArray linear(NDArray x, Weights w, String prefix) {
    return Linear.linear(x, w.get(prefix + ".weight"), w.getOrNull(prefix + ".bias")).head();
  }

  /** Bias-free 2-d convolution with square kernel. */
  public static NDArray conv2d(NDArray x, NDArray weight, int stride, int padding) {
    return conv2d(x, weight, null, stride, padding);
  }

  /** 2-d convolution with square kernel and a per-channel bias (null: none). */
  public static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding) {
    return Conv2d.conv2d(x, weight, bias, new Shape(stride, stride), new Shape(padding, padding), new Shape(1, 1), 1).head();
  }

  /**
   * {@code nn.BatchNorm2d}: running statistics in eval mode; batch statistics (and running-average
   * updates, momentum 0.1) while the weights are in training mode.
   */
  public static NDArray batchNorm(NDArray x, Weights w, String prefix) {
    return BatchNorm.batchNorm(x, w.get(prefix + ".running_mean"), w.get(prefix + ".running_var"),
        w.get(prefix + ".weight"), w.get(prefix + ".bias"), 1, 0.1f, BN_EPS, w.batchNormTraining()).head();
  }

  /** {@code nn.AvgPool2d(k)}: kernel = stride = k, no padding. */
  public static NDArray avgPool(NDArray x, int k) {
    return Pool.avgPool2d(x, new Shape(k, k), new Shape(k, k), new Shape(0, 0), false, true);
  }

  /**
   * Multi-head attention of {@code query} over {@code keyValue} with separate projected q, k, v
   * ({@code [B, Tq, W]}, {@code [B, T, W]} each, already projected). Mirrors
   * {@code F.multi_head_attention_forward}: q is scaled by head_dim^-0.5 before q·kᵀ; {@code mask}
   * (nullable, {@code [Tq, T]}) is added before the softmax.
   */
  public static NDArray attend(NDArray q, NDArray k, NDArray v, int heads, NDArray mask) {
    Shape qs = q.getShape();
    long b = qs.get(0);
    long tq = qs.get(1);
    long width = qs.get(2);
    long t = k.getShape().get(1);
    long hd = width / heads;
    NDArray qh = scale(q.reshape(b, tq, heads, hd).transpose(0, 2, 1, 3), (float) (1.0 / Math.sqrt(hd)));
    NDArray kh = k.reshape(b, t, heads, hd).transpose(0, 2, 3, 1); // [B, H, hd, T]
    NDArray vh = v.reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
    NDArray scores = qh.matMul(kh); // [B, H, Tq, T]
    if (mask != null) {
      scores = scores.add(mask);
    }
    NDArray out = scores.softmax(-1).matMul(vh); // [B, H, Tq, hd]
    return out.transpose(0, 2, 1, 3).reshape(b, tq, width);
  }

  /**
   * Self-attention with a packed q, k, v projection [3W, W] (open_clip's {@code nn.MultiheadAttention}
   * {@code in_proj_weight}, timm's {@code qkv}), named with the output projection by {@code keys}. The packed
   * projection is split into heads with one reshape and one permutation (views, no copies) instead of three slices
   * that would each be copied by their own reshape.
   */
  static NDArray selfAttention(NDArray x, Weights w, BlockKeys keys, int heads, NDArray mask) {
    Shape xs = x.getShape();
    long b = xs.get(0);
    long t = xs.get(1);
    long width = xs.get(2);
    long hd = width / heads;
    NDArray qkv = Linear.linear(x, w.get(keys.qkvWeight()), w.get(keys.qkvBias())).head();
    NDArray packed = qkv.reshape(b, t, 3, heads, hd).transpose(2, 0, 3, 1, 4); // [3, B, H, T, hd], views of qkv
    NDArray q = packed.get(0);
    NDArray qh = release(q, scale(q, (float) (1.0 / Math.sqrt(hd))));
    NDArray k = packed.get(1);
    NDArray kh = release(k, k.transpose(0, 1, 3, 2)); // [B, H, hd, T]
    NDArray vh = packed.get(2);
    packed.close();
    qkv.close(); // the views above keep its storage until they are closed
    NDArray scores = release(qh, qh.matMul(kh)); // [B, H, T, T]
    kh.close();
    if (mask != null) {
      scores = release(scores, scores.add(mask));
    }
    NDArray probs = release(scores, scores.softmax(-1));
    NDArray heads3 = release(probs, probs.matMul(vh));
    vh.close();
    NDArray out = heads3.transpose(0, 2, 1, 3).reshape(b, t, width);
    heads3.close();
    return release(out, linear(out, w, keys.out()));
  }

  /** open_clip {@code ResidualAttentionBlock}: pre-LN attention and MLP, each with a residual. */
  public static NDArray residualBlock(NDArray x, Weights w, String prefix, int heads, NDArray mask, Activation act) {
    return residualBlock(x, w, BlockKeys.openClip(prefix), heads, mask, act, LN_EPS);
  }

  /**
   * A pre-LN transformer block (open_clip's {@code ResidualAttentionBlock}, timm's {@code Block} without layer
   * scale): x + attn(ln1(x)), then + fc2(act(fc1(ln2(·)))); the tensors named by {@code k}, LayerNorms with
   * {@code eps}.
   */
  static NDArray residualBlock(NDArray x, Weights w, BlockKeys k, int heads, NDArray mask, Activation act, float eps) {
    NDArray h = layerNorm(x, w, k.norm1(), eps);
    NDArray a = release(h, selfAttention(h, w, k, heads, mask));
    NDArray x1 = release(a, x.add(a)); // the block's input x belongs to the caller
    h = layerNorm(x1, w, k.norm2(), eps);
    NDArray f = release(h, mlp(h, w, k.fc1(), k.fc2(), act));
    NDArray out = release(f, x1.add(f));
    x1.close();
    return out;
  }

  /** {@code fc2(act(fc1(x)))}, both Linear with bias. */
  static NDArray mlp(NDArray x, Weights w, String fc1, String fc2, Activation act) {
    NDArray f = linear(x, w, fc1);
    f = release(f, act.apply(f));
    return release(f, linear(f, w, fc2));
  }
}
