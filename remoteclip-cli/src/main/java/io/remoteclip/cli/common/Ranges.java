package io.remoteclip.cli.common;

import io.remoteclip.tokenizer.BpeMerges;
import io.remoteclip.tokenizer.ClipTokenizer;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The values a numeric option accepts, checked while the command line is parsed: a value outside its range is a
 * usage error (exit 2) naming the option and the range, never a failure deep in the library or a thread pool of
 * ten thousand. Every numeric option names one with {@code converter = Ranges.X.class} and shows its
 * {@link Range#text()} in its description ({@link NumericOptions} finds those that do not; both launchers' tests
 * call it, so a new option cannot skip it).
 */
public final class Ranges {
  /** Compute or decoding threads: beyond this, threads only compete for the cores (and thousands stall the JVM). */
  public static final int MAX_THREADS = 256;

  private Ranges() {}

  /** A range of numbers; {@link #text()} is how --help and the error message state it. */
  public abstract static class Range<T extends Number> implements ITypeConverter<T> {
    private final String text;

    Range(String text) {
      this.text = text;
    }

    public final String text() {
      return text;
    }

    abstract T parse(String value);

    abstract boolean contains(T value);

    @Override
    public final T convert(String value) {
      T v;
      try {
        v = parse(value.trim());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a number (allowed: " + text + ")");
      }
      if (!contains(v)) {
        throw new TypeConversionException(value + " (allowed: " + text + ")");
      }
      return v;
    }
  }

  abstract static class IntRange extends Range<Integer> {
    private final int min;
    private final int max;

    IntRange(int min, int max, String text) {
      super(text);
      this.min = min;
      this.max = max;
    }

    @Override
    Integer parse(String value) {
      return Integer.valueOf(value);
    }

    @Override
    boolean contains(Integer v) {
      return v >= min && v <= max;
    }
  }

  abstract static class LongRange extends Range<Long> {
    private final long min;

    LongRange(long min, String text) {
      super(text);
      this.min = min;
    }

    @Override
    Long parse(String value) {
      return Long.valueOf(value);
    }

    @Override
    boolean contains(Long v) {
      return v >= min;
    }
  }

  /** Finite doubles only: NaN and infinities are refused by every double range. */
  abstract static class DoubleRange extends Range<Double> {
    private final double min;
    private final boolean minIncluded;
    private final double max;
    private final boolean maxIncluded;

    DoubleRange(double min, boolean minIncluded, double max, boolean maxIncluded, String text) {
      super(text);
      this.min = min;
      this.minIncluded = minIncluded;
      this.max = max;
      this.maxIncluded = maxIncluded;
    }

    @Override
    Double parse(String value) {
      return Double.valueOf(value);
    }

    @Override
    boolean contains(Double v) {
      return Double.isFinite(v) && (minIncluded ? v >= min : v > min) && (maxIncluded ? v <= max : v < max);
    }
  }

  /** Counts and sizes that must be at least 1. */
  public static final class Positive extends IntRange {
    public static final String RANGE = "at least 1";
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public Positive() {
      super(1, Integer.MAX_VALUE, RANGE);
    }
  }

  /** Counts where 0 means none (or a documented default). */
  public static final class NonNegative extends IntRange {
    public static final String RANGE = "at least 0";
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public NonNegative() {
      super(0, Integer.MAX_VALUE, RANGE);
    }
  }

  /** Thread counts, 0 standing for a default (all cores). */
  public static final class Threads extends IntRange {
    public static final String RANGE = "0 to " + MAX_THREADS;
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public Threads() {
      super(0, MAX_THREADS, RANGE);
    }
  }

  /** Thread counts without a default meaning for 0. */
  public static final class ThreadCount extends IntRange {
    public static final String RANGE = "1 to " + MAX_THREADS;
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public ThreadCount() {
      super(1, MAX_THREADS, RANGE);
    }
  }

  /** HTTP request threads, 0 standing for the server's default. */
  public static final class RequestThreads extends IntRange {
    public static final String RANGE = "0 to " + 4 * MAX_THREADS;
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public RequestThreads() {
      super(0, 4 * MAX_THREADS, RANGE);
    }
  }

  /** Batching windows: a query waits at most this long for others, so no more than a second. */
  public static final class WindowMillis extends IntRange {
    public static final String RANGE = "0 to 1000";
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public WindowMillis() {
      super(0, 1000, RANGE);
    }
  }

  /** TCP ports, 0 picking a free one. */
  public static final class Port extends IntRange {
    public static final String RANGE = "0 to 65535";
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public Port() {
      super(0, 65535, RANGE);
    }
  }

  /** Sides of the square matrices of a throughput measurement: large enough to be compute-bound, small enough to fit. */
  public static final class MatrixSide extends IntRange {
    public static final String RANGE = "64 to 8192";
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public MatrixSide() {
      super(64, 8192, RANGE);
    }
  }

  /** Nodes of a development SolrCloud on one machine. */
  public static final class Nodes extends IntRange {
    public static final String RANGE = "1 to 16";
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public Nodes() {
      super(1, 16, RANGE);
    }
  }

  /** Hamming distances between 64-bit perceptual hashes, as the deduplicator accepts them. */
  public static final class Hamming extends IntRange {
    public static final String RANGE = "0 to 32";
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public Hamming() {
      super(0, 32, RANGE);
    }
  }

  /** A Hamming distance, or -1 for off. */
  public static final class HammingOrOff extends IntRange {
    public static final String RANGE = "-1 to 32";
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public HammingOrOff() {
      super(-1, 32, RANGE);
    }
  }

  /** Token rows: start and end tokens at least, at most what the tokenizer allows. */
  public static final class ContextLength extends IntRange {
    public static final String RANGE = "2 to " + ClipTokenizer.MAX_CONTEXT_LENGTH;
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public ContextLength() {
      super(2, ClipTokenizer.MAX_CONTEXT_LENGTH, RANGE);
    }
  }

  /** BPE merges to learn: at most CLIP's vocabulary. */
  public static final class Merges extends IntRange {
    public static final String RANGE = "0 to " + BpeMerges.CLIP_MERGES;
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public Merges() {
      super(0, BpeMerges.CLIP_MERGES, RANGE);
    }
  }

  /** Seeds: every integer is one. */
  public static final class Seed extends LongRange {
    public static final String RANGE = "any integer";
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public Seed() {
      super(Long.MIN_VALUE, RANGE);
    }
  }

  /** Waits in seconds, up to a day. */
  public static final class WaitSeconds extends IntRange {
    public static final String RANGE = "0 to 86400";
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public WaitSeconds() {
      super(0, 86400, RANGE);
    }
  }

  /** Step counts and byte sizes that must be at least 1. */
  public static final class PositiveLong extends LongRange {
    public static final String RANGE = "at least 1";
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public PositiveLong() {
      super(1, RANGE);
    }
  }

  /** Byte sizes where 0 is allowed. */
  public static final class NonNegativeLong extends LongRange {
    public static final String RANGE = "at least 0";
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public NonNegativeLong() {
      super(0, RANGE);
    }
  }

  /** Rates, strengths, durations: finite and above 0. */
  public static final class PositiveDouble extends DoubleRange {
    public static final String RANGE = "a finite number above 0";
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public PositiveDouble() {
      super(0, false, Double.MAX_VALUE, true, RANGE);
    }
  }

  /** Finite and 0 or more (0 often meaning off). */
  public static final class NonNegativeDouble extends DoubleRange {
    public static final String RANGE = "a finite number, 0 or more";
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public NonNegativeDouble() {
      super(0, true, Double.MAX_VALUE, true, RANGE);
    }
  }

  /** Shares of a whole that may be all of it: above 0, at most 1. */
  public static final class Fraction extends DoubleRange {
    public static final String RANGE = "above 0, at most 1";
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public Fraction() {
      super(0, false, 1, true, RANGE);
    }
  }

  /** Shares that split rows in two, both parts non-empty: strictly between 0 and 1. */
  public static final class SplitFraction extends DoubleRange {
    public static final String RANGE = "between 0 and 1, exclusive";
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public SplitFraction() {
      super(0, false, 1, false, RANGE);
    }
  }

  /** Scores and thresholds of any sign, but finite. */
  public static final class FiniteDouble extends DoubleRange {
    public static final String RANGE = "a finite number";
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public FiniteDouble() {
      super(-Double.MAX_VALUE, true, Double.MAX_VALUE, true, RANGE);
    }
  }

  /** HNSW neighbours per node (M). */
  public static final class GraphM extends IntRange {
    public static final String RANGE = "1 to " + io.remoteclip.index.GraphOptions.MAX_M;
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public GraphM() {
      super(1, io.remoteclip.index.GraphOptions.MAX_M, RANGE);
    }
  }

  /** HNSW build beam width (efConstruction). */
  public static final class GraphBeam extends IntRange {
    public static final String RANGE = "1 to " + io.remoteclip.index.GraphOptions.MAX_BEAM;
    /** Ends the option's description, so that --help shows the range. */
    public static final String HELP = " Range: " + RANGE + ".";

    public GraphBeam() {
      super(1, io.remoteclip.index.GraphOptions.MAX_BEAM, RANGE);
    }
  }
}
