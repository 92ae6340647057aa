package io.remoteclip.cli.common;

import io.remoteclip.index.GraphOptions;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The HNSW graph options of a Lucene index ({@code --index-quantize}, {@code --m}, {@code --beam}), shared by
 * {@code index} and {@code bench search} so that both build the same index from the same words. A null value
 * means: what the index records, {@link GraphOptions#DEFAULT} for a new one.
 */
public final class GraphOptionsMixin {
  @Option(names = "--index-quantize", paramLabel = "none|int8|int4",
      description = "Lucene index: vectors of the HNSW graph, none (float32), int8 or int4 (scalar-quantised; the "
          + "float vectors are kept and re-score the candidates). Recorded in the index; default: what the index "
          + "records, none for a new one.")
  public String quantize;

  @Option(converter = Ranges.GraphM.class, names = "--m", paramLabel = "M",
      description = "Lucene index: graph neighbours per node (default: what the index records, 32 for a new one)."
          + Ranges.GraphM.HELP)
  public Integer m;

  @Option(converter = Ranges.GraphBeam.class, names = "--beam", paramLabel = "B",
      description = "Lucene index: build beam width, efConstruction (default: what the index records, 200 for a new one)."
          + Ranges.GraphBeam.HELP)
  public Integer beam;

  /** True when any of the three was given. */
  public boolean given() {
    return quantize != null || m != null || beam != null;
  }

  /** A usage error for a quantisation the index does not know. */
  public void requireValid(CommandSpec spec) {
    Usage.require(spec, quantize == null || GraphOptions.QUANTIZATIONS.contains(quantize.toLowerCase(Locale.ROOT)),
        "--index-quantize " + quantize + ": none, int8 or int4");
  }
}
