package io.remoteclip.cli.common;

import io.remoteclip.DataFormatException;
import io.remoteclip.parquet.EmbeddingsStac;
import io.remoteclip.stac.StaticCollection;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --stac-collection DIR} of the commands that write GeoParquet embeddings tables: a static STAC Collection
 * describing them ({@link EmbeddingsStac}), written after the tables are committed.
 */
public final class StacCollectionOption {
  @Option(names = "--stac-collection", paramLabel = "DIR",
      description = "Also write a STAC 1.0 Collection describing the GeoParquet table(s): DIR/collection.json and "
          + "DIR/<item>/<item>.json (one item per scene for tables of windows, one per table otherwise), with the "
          + "STAC embeddings extension's emb:* fields and an 'embeddings' asset (relative href) per item. DIR is "
          + "replaced only when it holds an earlier such collection or is empty (scan: with --overwrite).")
  Path dir;

  private final List<EmbeddingsStac.Table> tables = new ArrayList<>();

  public boolean given() {
    return dir != null;
  }

  /** Fails before any work when DIR could not be written. */
  public void check(boolean overwrite) throws IOException, DataFormatException {
    if (dir != null) {
      StaticCollection.requireWritable(dir, overwrite);
    }
  }

  /** A table now committed at its final place, to be described. */
  public void add(EmbeddingsStac.Table table) {
    tables.add(table);
  }

  /** Writes the collection (named after DIR) of the tables added; returns the summary line, or null without DIR. */
  public String write(boolean overwrite) throws IOException, DataFormatException {
    if (dir == null || tables.isEmpty()) {
      return null;
    }
    Path abs = dir.toAbsolutePath().normalize();
    StaticCollection c = EmbeddingsStac.describe(abs.getFileName().toString(), tables, Instant.now());
    c.write(dir, overwrite);
    return "wrote " + dir + ": STAC Collection (" + StaticCollection.COLLECTION_FILE + ") of " + c.items().size()
        + (c.items().size() == 1 ? " item" : " items") + " describing " + tables.size()
        + (tables.size() == 1 ? " table" : " tables");
  }
}
