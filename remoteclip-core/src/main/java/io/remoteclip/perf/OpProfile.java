package io.remoteclip.perf;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the DJL engine's time goes: PyTorch's own profiler around a piece of work, its Chrome trace kept in a
 * file, and the time per operator summed from it. Operators nest (conv2d calls convolution calls
 * mkldnn_convolution), so each one's self time is its duration minus that of the operators it called.
 */
public final class OpProfile {
  /** One operator over the profiled work: calls, self time and total (inclusive) time in milliseconds. */
  public record OpTime(String op, long calls, double selfMs, double totalMs) {}

  private OpProfile() {}

  /** Runs {@code work} under the profiler, writes the trace to {@code trace}; operators by self time, largest first. */
  public static List<OpTime> record(Runnable work, Path trace) throws IOException {
    JniUtils.startProfile(false, false, false);
    try {
      work.run();
    } finally {
      JniUtils.stopProfile(trace.toAbsolutePath().toString());
    }
    return summarise(new ObjectMapper().readTree(trace.toFile()));
  }

  /** Self and total time per operator name from a Chrome trace ({@code traceEvents} or a bare array of events). */
  static List<OpTime> summarise(JsonNode root) {
    JsonNode events = root.isArray() ? root : root.path("traceEvents");
    Map<Long, List<JsonNode>> byThread = new HashMap<>();
    for (JsonNode e : events) {
      if ("X".equals(e.path("ph").asText()) && e.has("dur")) {
        byThread.computeIfAbsent(e.path("tid").asLong(), t -> new ArrayList<>()).add(e);
      }
    }
    Map<String, double[]> sums = new HashMap<>(); // calls, self µs, total µs
    for (List<JsonNode> thread : byThread.values()) {
      // a parent starts no later and lasts no shorter than its children: sort so that parents come first
      thread.sort(Comparator.<JsonNode>comparingDouble(e -> e.path("ts").asDouble())
          .thenComparing(e -> -e.path("dur").asDouble()));
      Deque<double[]> open = new ArrayDeque<>(); // end time, index into names
      List<String> names = new ArrayList<>();
      List<double[]> times = new ArrayList<>(); // self, total
      for (JsonNode e : thread) {
        double start = e.path("ts").asDouble();
        double dur = e.path("dur").asDouble();
        while (!open.isEmpty() && open.peek()[0] <= start) {
          open.pop();
        }
        if (!open.isEmpty()) {
          times.get((int) open.peek()[1])[0] -= dur;
        }
        names.add(e.path("name").asText());
        times.add(new double[] {dur, dur});
        open.push(new double[] {start + dur, names.size() - 1});
      }
      for (int i = 0; i < names.size(); i++) {
        double[] s = sums.computeIfAbsent(names.get(i), n -> new double[3]);
        s[0]++;
        s[1] += times.get(i)[0];
        s[2] += times.get(i)[1];
      }
    }
    List<OpTime> ops = new ArrayList<>();
    sums.forEach((name, s) -> ops.add(new OpTime(name, (long) s[0], s[1] / 1e3, s[2] / 1e3)));
    ops.sort(Comparator.comparingDouble(OpTime::selfMs).reversed());
    return ops;
  }
}
