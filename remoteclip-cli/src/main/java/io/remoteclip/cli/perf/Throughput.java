package io.remoteclip.cli.perf;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Times a batch operation: warm-up, then timed iterations; items/s at the median, plus memory peaks. */
public final class Throughput {
  private Throughput() {}

  /** A measured run; times in seconds. */
  public record Measurement(String tower, int batch, double medianS, double minS, double maxS, long peakHeapBytes,
      long peakRssBytes) {
    public double itemsPerSecond() {
      return batch / medianS;
    }

    public String toJson(String arch, int threads, String precision) {
      return toJson(arch, threads, precision, "djl-pytorch");
    }

    /** As {@link #toJson(String, int, String)} for another engine ({@code onnxruntime}). */
    public String toJson(String arch, int threads, String precision, String engine) {
      return toJson(arch, threads, precision, engine, Map.of());
    }

    /** As above, with more numeric keys after the baseline's (in the map's order). */
    public String toJson(String arch, int threads, String precision, String engine, Map<String, Double> extra) {
      StringBuilder json = new StringBuilder(String.format(Locale.ROOT,
          "{\"arch\": \"%s\", \"batch_size\": %d, \"threads\": %d, \"engine\": \"%s\", \"precision\": \"%s\", "
              + "\"tower\": \"%s\", \"median_s\": %.6f, \"items_per_s\": %.3f, \"min_s\": %.6f, \"max_s\": %.6f, "
              + "\"peak_heap_mb\": %.1f, \"peak_rss_mb\": %.1f",
          arch, batch, threads, engine, precision, tower, medianS, itemsPerSecond(), minS, maxS, peakHeapBytes / 1e6,
          peakRssBytes / 1e6));
      extra.forEach((k, v) -> json.append(String.format(Locale.ROOT, ", \"%s\": %.6g", k, v)));
      return json.append('}').toString();
    }

    public String toText(String arch, int threads) {
      return String.format(Locale.ROOT,
          "%-9s %-5s batch %3d threads %d: %8.2f %s/s (median %.3fs, min %.3fs, max %.3fs) peak heap %.0f MB, peak RSS %.0f MB",
          arch, tower, batch, threads, itemsPerSecond(), tower.equals("text") ? "texts" : "images", medianS, minS, maxS,
          peakHeapBytes / 1e6, peakRssBytes / 1e6);
    }
  }

  public static Measurement measure(String tower, int batch, int warmup, int iters, Runnable op) {
    for (int i = 0; i < warmup; i++) {
      op.run();
    }
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < iters; i++) {
      long t = System.nanoTime();
      op.run();
      times.add((System.nanoTime() - t) / 1e9);
    }
    List<Double> sorted = new ArrayList<>(times);
    Collections.sort(sorted);
    int n = sorted.size();
    double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return new Measurement(tower, batch, median, sorted.get(0), sorted.get(n - 1), peakHeap(), peakRss());
  }

  /** Sum of the peak usage of the heap memory pools since start. */
  public static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /** Peak resident set size (VmHWM) of this process on Linux, else -1. */
  public static long peakRss() {
    return statusBytes("VmHWM:");
  }

  private static long statusBytes(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return -1;
  }

  /**
   * Restarts this process's VmHWM at its current resident size (Linux 4.0+, /proc/self/clear_refs), so that a later
   * {@link #peakRss()} is the peak of what ran since; false where that is not possible.
   */
  public static boolean resetPeakRss() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
      return true;
    } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  /** Resident set size (VmRSS) of this process on Linux now, else -1. */
  public static long currentRss() {
    return statusBytes("VmRSS:");
  }

  /** CPU time of this process, all threads (JIT and garbage collector included), in ns; -1 where unknown. */
  public static long processCpuNanos() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
