package io.remoteclip.cli.perf;

import io.remoteclip.perf.Sgemm;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.function.IntFunction;

/**
 * One engine's fp32 ceiling: its square sgemm at several sizes, about a second of products each (a short run
 * would time a cold core), the median time per size; the ceiling is the best size's rate.
 */
public record SgemmCeiling(List<Size> sizes) {
  /** One size: n×n×n, median seconds per product. */
  public record Size(int n, double medianS) {
    public double gflops() {
      return 2.0 * n * n * n / medianS / 1e9;
    }
  }

  public static SgemmCeiling measure(List<Integer> sizes, IntFunction<Sgemm> open) {
    List<Size> measured = new ArrayList<>();
    for (int n : sizes) {
      try (Sgemm sgemm = open.apply(n)) {
        long products = Math.max(5, Math.round(1.5e11 / sgemm.flopsPerProduct())); // at ~150 GFLOP/s
        Throughput.Measurement m = Throughput.measure("sgemm", 1, 1, (int) Math.min(products, 200), sgemm::multiply);
        measured.add(new Size(n, m.medianS()));
      }
    }
    return new SgemmCeiling(measured);
  }

  public double gflops() {
    return sizes.stream().mapToDouble(Size::gflops).max().orElse(Double.NaN);
  }

  /** "1024: 152.9, 2048: 142.8" (GFLOP/s per size). */
  public String sizesText() {
    StringJoiner j = new StringJoiner(", ");
    sizes.forEach(s -> j.add(String.format(Locale.ROOT, "%d: %.1f", s.n(), s.gflops())));
    return j.toString();
  }
}
