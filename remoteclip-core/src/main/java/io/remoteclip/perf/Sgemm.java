package io.remoteclip.perf;

/**
 * One engine's fp32 square matrix product, prepared once and run repeatedly: what that engine's kernels reach
 * on this machine and thread count, the ceiling that model throughput is measured against.
 */
public interface Sgemm extends AutoCloseable {
  /** The matrices' side n: one product is 2n³ floating-point operations. */
  int size();

  /** Multiplies the two prepared n×n matrices once (the result is discarded). */
  void multiply();

  default double flopsPerProduct() {
    return 2.0 * size() * size() * size();
  }

  @Override
  void close();

  /** The DJL (PyTorch) engine's product, on its configured intra-op threads. */
  static Sgemm djl(int n) {
    return new DjlSgemm(n);
  }
}
