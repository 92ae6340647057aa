package io.remoteclip.index;

import io.remoteclip.DataFormatException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;

/**
 * How the HNSW graph of an index is written: neighbours per node ({@code m}), build beam width ({@code beam}) and
 * the quantisation of the vectors the graph is searched with ({@code none}: float32; {@code int8}: Lucene's
 * scalar quantisation at 7 bits; {@code int4}: 4 bits, two per byte). Quantised indexes keep the float vectors
 * too, and {@link ImageIndex#search} re-scores the candidates with them. Recorded in each commit's user data and
 * checked when a writer reopens the index: all segments of an index share one format.
 */
public record GraphOptions(String quantize, int m, int beam) {
  /** The vector encodings of the graph: float32, and Lucene's 7-bit and 4-bit scalar quantisation (before DEFAULT,
   * whose construction checks against it). */
  public static final java.util.List<String> QUANTIZATIONS = java.util.List.of("none", "int8", "int4");
  /** What indexes used before the options existed (and still the default): float32, M = 32, beam 200. */
  public static final GraphOptions DEFAULT = new GraphOptions("none", 32, 200);
  public static final int MAX_M = 512;
  public static final int MAX_BEAM = 3200;
  static final String QUANTIZE = "remoteclip.graph.quantize";
  static final String M = "remoteclip.graph.m";
  static final String BEAM = "remoteclip.graph.beam";

  public GraphOptions {
    quantize = quantize == null ? "none" : quantize.toLowerCase(Locale.ROOT);
    if (!QUANTIZATIONS.contains(quantize)) {
      throw new IllegalArgumentException("quantisation " + quantize + " (none, int8 or int4)");
    }
    if (m < 1 || m > MAX_M || beam < 1 || beam > MAX_BEAM) {
      throw new IllegalArgumentException("M " + m + " (1 to " + MAX_M + "), beam " + beam + " (1 to " + MAX_BEAM + ")");
    }
  }

  /** {@code requested}'s non-null values over {@code base}'s. */
  public static GraphOptions merge(GraphOptions base, String quantize, Integer m, Integer beam) {
    return new GraphOptions(quantize != null ? quantize : base.quantize, m != null ? m : base.m,
        beam != null ? beam : base.beam);
  }

  public boolean quantized() {
    return !quantize.equals("none");
  }

  /** The Lucene vectors format that writes this graph. */
  public KnnVectorsFormat format() {
    return format(1, null);
  }

  /**
   * As {@link #format()}, building the graphs of merges on {@code mergeWorkers} threads of {@code mergeExec}
   * (Lucene's concurrent HNSW merge; one worker: the merging thread alone, and {@code mergeExec} may be null).
   */
  public KnnVectorsFormat format(int mergeWorkers, ExecutorService mergeExec) {
    ExecutorService exec = mergeWorkers > 1 ? mergeExec : null;
    int workers = exec == null ? 1 : mergeWorkers;
    return switch (quantize) {
      case "int8" -> new RequantizingHnswVectorsFormat(
          new Lucene99HnswScalarQuantizedVectorsFormat(m, beam, workers, 7, false, null, exec));
      case "int4" -> new Lucene99HnswScalarQuantizedVectorsFormat(m, beam, workers, 4, true, null, exec);
      default -> new Lucene99HnswVectorsFormat(m, beam, workers, exec);
    };
  }

  public Map<String, String> toUserData() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(QUANTIZE, quantize);
    out.put(M, Integer.toString(m));
    out.put(BEAM, Integer.toString(beam));
    return out;
  }

  /** The options a commit records; {@link #DEFAULT} for an index written before they were recorded. */
  public static GraphOptions fromUserData(Path dir, Map<String, String> data) throws DataFormatException {
    if (!data.containsKey(QUANTIZE) && !data.containsKey(M) && !data.containsKey(BEAM)) {
      return DEFAULT;
    }
    try {
      return new GraphOptions(data.getOrDefault(QUANTIZE, DEFAULT.quantize),
          Integer.parseInt(data.getOrDefault(M, Integer.toString(DEFAULT.m))),
          Integer.parseInt(data.getOrDefault(BEAM, Integer.toString(DEFAULT.beam))));
    } catch (IllegalArgumentException e) {
      throw new DataFormatException(dir + ": damaged index metadata (graph options: " + e.getMessage() + ")");
    }
  }

  /** What differs between {@code stored} and this, as "quantisation int8, this run none"; null when nothing does. */
  String difference(GraphOptions stored) {
    if (!stored.quantize.equals(quantize)) {
      return "quantisation " + stored.quantize + ", this run " + quantize;
    }
    if (stored.m != m) {
      return "M " + stored.m + ", this run " + m;
    }
    if (stored.beam != beam) {
      return "beam " + stored.beam + ", this run " + beam;
    }
    return null;
  }

  @Override
  public String toString() {
    return "quantize " + quantize + ", M " + m + ", beam " + beam;
  }
}
