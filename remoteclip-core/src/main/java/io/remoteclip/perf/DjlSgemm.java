package io.remoteclip.perf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** {@link Sgemm} on PyTorch through DJL: torch.matmul of two resident random matrices. */
final class DjlSgemm implements Sgemm {
  private final int n;
  private final NDManager manager;
  private final NDArray a;
  private final NDArray b;

  DjlSgemm(int n) {
    this.n = n;
    this.manager = NDManager.newBaseManager();
    this.a = manager.randomNormal(new Shape(n, n));
    this.b = manager.randomNormal(new Shape(n, n));
  }

  @Override
  public int size() {
    return n;
  }

  @Override
  public void multiply() {
    // a fresh result per product, freed at once, as the model's own layers allocate theirs
    try (NDManager call = manager.newSubManager()) {
      NDArray c = a.matMul(b);
      c.attach(call);
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
