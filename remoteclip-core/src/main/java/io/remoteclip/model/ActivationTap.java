package io.remoteclip.model;

import ai.djl.ndarray.NDArray;

/** Receives named intermediate activations during a forward pass (tests, debugging); may be null. */
@FunctionalInterface
public interface ActivationTap {
  void accept(String name, NDArray value);

  static void tap(ActivationTap tap, String name, NDArray value) {
    if (tap != null) {
      tap.accept(name, value);
    }
  }
}
