package io.remoteclip.cli.perf;

import io.remoteclip.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A {@link ProgressListener} that samples the resident set size (and used heap) after each progress
 * update, to show whether a long encoding run grows memory with the number of items.
 */
public final class MemoryTrace implements ProgressListener {
  /** Memory after {@code done} items. */
  public record Sample(long done, long rssBytes, long heapUsedBytes) {}

  private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());

  @Override
  public void update(long done) {
    Runtime rt = Runtime.getRuntime();
    samples.add(new Sample(done, currentRss(), rt.totalMemory() - rt.freeMemory()));
  }

  public List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  /** Up to {@code n} samples spread evenly over the run (first and last included). */
  public List<Sample> spread(int n) {
    List<Sample> all = samples();
    if (all.size() <= n) {
      return all;
    }
    List<Sample> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(all.get((int) Math.round(i * (all.size() - 1) / (double) (n - 1))));
    }
    return out;
  }

  /** Current resident set size (VmRSS) of this process on Linux, else -1. */
  public static long currentRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return -1;
  }
}
