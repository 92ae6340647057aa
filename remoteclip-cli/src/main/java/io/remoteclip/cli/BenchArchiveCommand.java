package io.remoteclip.cli;

import io.remoteclip.DataFormatException;
import io.remoteclip.cli.common.Ranges;
import io.remoteclip.cli.common.Usage;
import io.remoteclip.geo.Footprint;
import io.remoteclip.geo.LonLatBox;
import io.remoteclip.index.ImageRecord;
import io.remoteclip.npy.Npy;
import io.remoteclip.parquet.EmbeddingRow;
import io.remoteclip.parquet.GeoParquetEmbeddings;
import io.remoteclip.parquet.GeoParquetWriter;
import io.remoteclip.parquet.TableMetadata;
import io.remoteclip.vector.Vectors;
import java.awt.Rectangle;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * An archive of any size for measuring search and serving at scale, grown from a real embeddings table: every
 * row is a row of the table plus Gaussian noise, laid on a grid of tiles over a region so that geo filters
 * select what they would in a real archive. Encoding a million images takes this machine most of a day; the
 * encoder's own output, replicated, keeps the distribution of real embeddings and the model identity that
 * {@code serve} needs for text queries.
 */
@Command(
    name = "archive",
    mixinStandardHelpOptions = true,
    description = {
      "Writes an --rows-row GeoParquet embeddings table for benchmarks at scale, grown from the rows of --from",
      "(a table that 'embed --out X.parquet' wrote): row i is a row of --from drawn at random plus Gaussian",
      "noise of norm about --noise, L2-normalised, and its footprint is tile i of a square grid over --bbox",
      "(row-major from the north-west corner). The table keeps --from's model identity, so 'index",
      "--from-parquet' of it gives an index that 'serve' answers text queries on with that model. --queries",
      "writes held-out rows drawn the same way (.npy), --base the rows themselves (.npy), for 'bench search'."
    },
    footer = {"%nExample:",
        "  remoteclip embed --model vitb32.pt --images ucm/ --out ucm.parquet",
        "  remoteclip bench archive --from ucm.parquet --rows 1000000 --bbox -122.55,37.2,-121.75,38.0 --out archive.parquet"})
public final class BenchArchiveCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--from", required = true, paramLabel = "TABLE.parquet",
      description = "Embeddings table this project wrote (its rows are the archive's seeds).")
  String from;

  @Option(converter = Ranges.Positive.class, names = "--rows", required = true, paramLabel = "N",
      description = "Rows of the archive." + Ranges.Positive.HELP)
  int rows;

  @Option(names = "--bbox", required = true, paramLabel = "W,S,E,N",
      description = "Region (WGS84 degrees) the grid of tiles covers.")
  String bbox;

  @Option(converter = Ranges.PositiveDouble.class, names = "--noise", defaultValue = "0.5", paramLabel = "NORM",
      description = "Norm of the noise added to each seed row before normalising (default: ${DEFAULT-VALUE})."
          + Ranges.PositiveDouble.HELP)
  double noise;

  @Option(converter = Ranges.Seed.class, names = "--seed", defaultValue = "42",
      description = "Seed of the draws (default: ${DEFAULT-VALUE})." + Ranges.Seed.HELP)
  long seed;

  @Option(names = "--out", required = true, paramLabel = "ARCHIVE.parquet", description = "The table to write.")
  Path out;

  @Option(names = "--queries", paramLabel = "Q.npy", description = "Also write --query-count held-out rows here.")
  Path queries;

  @Option(converter = Ranges.Positive.class, names = "--query-count", defaultValue = "200", paramLabel = "Q",
      description = "Rows --queries gets (default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int queryCount;

  @Option(names = "--base", paramLabel = "B.npy",
      description = "Also write the archive's rows as float32 .npy (N x D: 4 x N x D bytes, held in memory).")
  Path base;

  @Override
  public Integer call() throws Exception {
    LonLatBox region = Usage.parse(spec, "--bbox", bbox, LonLatBox::parse);
    Usage.require(spec, !region.crossesAntimeridian(), "--bbox " + bbox + ": a region across the antimeridian");
    Seeds seeds = Seeds.read(from, spec.commandLine().getErr());
    int d = seeds.table.dimension();
    SplittableRandom random = new SplittableRandom(seed);
    int side = (int) Math.ceil(Math.sqrt(rows));
    double dLon = (region.east() - region.west()) / side;
    double dLat = (region.north() - region.south()) / side;
    float[][] baseRows = base == null ? null : new float[rows][];
    try (GeoParquetWriter w = GeoParquetWriter.create(out, seeds.table)) {
      for (int i = 0; i < rows; i++) {
        int s = random.nextInt(seeds.rows.size());
        float[] v = draw(seeds.rows.get(s), random);
        double west = region.west() + (i % side) * dLon;
        double north = region.north() - (i / side) * dLat;
        double[][] corners = {{west, north}, {west + dLon, north}, {west + dLon, north - dLat}, {west, north - dLat}};
        Footprint tile = new Footprint(new Rectangle(0, 0, 256, 256), "EPSG:4326", corners, corners);
        w.write(EmbeddingRow.of(seeds.sources.get(s) + "#archive-row=" + i, false, tile, v));
        if (baseRows != null) {
          baseRows[i] = v;
        }
      }
      w.commit();
    }
    if (baseRows != null) {
      Npy.writeMatrix(base, baseRows, d);
    }
    if (queries != null) {
      float[][] q = new float[queryCount][];
      for (int i = 0; i < queryCount; i++) {
        q[i] = draw(seeds.rows.get(random.nextInt(seeds.rows.size())), random);
      }
      Npy.writeMatrix(queries, q, d);
    }
    PrintWriter o = spec.commandLine().getOut();
    o.printf(Locale.ROOT, "wrote %s: %,d rows of %d values from %,d seed rows of %s (noise %.3g, seed %d), tiles of "
        + "%.6f x %.6f degrees over %s%n", out, rows, d, seeds.rows.size(), from, noise, seed, dLon, dLat, region);
    o.flush();
    return 0;
  }

  /** A (unit) seed row plus noise of norm about {@link #noise}, normalised. */
  private float[] draw(float[] seedRow, SplittableRandom random) {
    double sigma = noise / Math.sqrt(seedRow.length);
    float[] v = new float[seedRow.length];
    double norm = 0;
    for (int j = 0; j < v.length; j++) {
      v[j] = (float) (seedRow[j] + sigma * random.nextGaussian());
      norm += (double) v[j] * v[j];
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int j = 0; j < v.length; j++) {
      v[j] *= inv;
    }
    return v;
  }

  /** The rows of the seed table, with its model identity. */
  private record Seeds(TableMetadata table, List<float[]> rows, List<String> sources) {
    static Seeds read(String file, PrintWriter err) throws java.io.IOException, DataFormatException {
      try (GeoParquetEmbeddings t = ParquetTables.open(file, null, null, err)) {
        if (t.tableMetadata() == null) {
          throw new DataFormatException(file + ": no 'remoteclip' footer key: not a table 'embed --out X.parquet' "
              + "wrote (its model identity is what the archive keeps)");
        }
        List<float[]> rows = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (ImageRecord r = t.read(); r != null; r = t.read()) {
          // unit seeds, so that --noise is relative to them whatever the table's norms (embed writes raw,
          // unnormalised embeddings unless --normalize: ViT-B-32's are of norm ~25, where noise 0.5 left siblings
          // at cosine 0.9996 instead of 0.8)
          rows.add(Vectors.normalized(r.embedding()));
          sources.add(r.path());
        }
        return new Seeds(t.tableMetadata(), rows, sources);
      }
    }
  }
}
