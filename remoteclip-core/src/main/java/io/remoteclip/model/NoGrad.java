package io.remoteclip.model;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns PyTorch's autograd recording off on the current thread for a scope, restoring the previous state.
 * Grad mode is thread-local in PyTorch and on by default in threads other than the one that started the
 * engine, so inference entry points that return plain arrays enter this scope: no graph is recorded even
 * when the weights require gradients (a model being trained).
 */
final class NoGrad implements AutoCloseable {
  private final boolean previous;

  private NoGrad(boolean previous) {
    this.previous = previous;
  }

  static NoGrad enter() {
    boolean previous = JniUtils.isGradMode();
    if (previous) {
      JniUtils.setGradMode(false);
    }
    return new NoGrad(previous);
  }

  @Override
  public void close() {
    if (previous) {
      JniUtils.setGradMode(true);
    }
  }
}
