package io.remoteclip.cli.perf;

import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.TowerFlops;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A tower's measured rate as FLOPs against the measured ceiling; {@code config} null when the architecture is
 * unknown (then only the measurement is printed), text counted at {@code textPositions}.
 */
public record CeilingShare(double ceilingGflops, ClipConfig config, int textPositions) {
  private double flopsPerItem(Throughput.Measurement m) {
    if (config == null) {
      return Double.NaN;
    }
    return m.tower().equals("text") ? TowerFlops.text(config, textPositions) : TowerFlops.image(config);
  }

  public String text(Throughput.Measurement m, String label, int threads) {
    double flops = flopsPerItem(m);
    if (Double.isNaN(flops)) {
      return m.toText(label, threads);
    }
    double gflops = m.itemsPerSecond() * flops / 1e9;
    boolean text = m.tower().equals("text");
    String unit = text ? "text (" + textPositions + " positions)" : "image";
    return m.toText(label, threads) + String.format(Locale.ROOT,
        "%n%-9s %-5s %.2f GFLOP/%s -> %.1f GFLOP/s = %.0f%% of the ceiling (ceiling rate %.2f %s/s)", label, m.tower(),
        flops / 1e9, unit, gflops, 100 * gflops / ceilingGflops, ceilingGflops * 1e9 / flops, text ? "texts" : "images");
  }

  public String json(Throughput.Measurement m, String label, int threads, String format, String engine) {
    double flops = flopsPerItem(m);
    if (Double.isNaN(flops)) {
      return m.toJson(label, threads, format, engine);
    }
    double gflops = m.itemsPerSecond() * flops / 1e9;
    Map<String, Double> extra = new LinkedHashMap<>();
    extra.put("gflop_per_item", flops / 1e9);
    extra.put("gflops", gflops);
    extra.put("ceiling_gflops", ceilingGflops);
    extra.put("ceiling_share", gflops / ceilingGflops);
    return m.toJson(label, threads, format, engine, extra);
  }
}
