package io.remoteclip.cli;

import io.remoteclip.DataFormatException;
import io.remoteclip.geo.Footprint;
import io.remoteclip.geo.Georeferencing;
import io.remoteclip.geo.Scene;
import io.remoteclip.parquet.EmbeddingRow;
import io.remoteclip.parquet.GeoParquetWriter;
import io.remoteclip.parquet.TableMetadata;
import io.remoteclip.scan.ScanOutputs;
import io.remoteclip.scan.ScanResult;
import java.io.IOException;
import java.nio.file.Path;
import org.opengis.referencing.operation.TransformException;

/**
 * {@code scan}'s {@code windows.parquet}: every window of the scan (not only the selected ones) with its
 * footprint and embedding, as GeoParquet ({@link GeoParquetWriter}), so the scan can be indexed or searched again
 * without re-encoding ({@code index --from-parquet}).
 */
final class ScanWindowsTable implements ScanOutputs.Extra {
  static final String NAME = "windows.parquet";

  private final Scene scene;
  private final ScanResult result;
  private final TableMetadata table;
  private final io.remoteclip.stac.StacScene stac;
  private io.remoteclip.parquet.TableSummary written;

  /** {@code table}: the scan's model, without the window grid (added here); {@code stac}: the scene's item or null. */
  ScanWindowsTable(Scene scene, ScanResult result, TableMetadata table, io.remoteclip.stac.StacScene stac) {
    this.scene = scene;
    this.stac = stac;
    this.result = result;
    this.table = table.withWindows(result.grid().window(), result.grid().stride());
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The table once its scan's outputs are in place in {@code dir}, for {@code --stac-collection}. */
  io.remoteclip.parquet.EmbeddingsStac.Table described(Path dir) {
    return new io.remoteclip.parquet.EmbeddingsStac.Table(dir.resolve(NAME), table, written);
  }

  @Override
  public void write(Path staged) throws IOException, DataFormatException {
    Georeferencing geo = scene.georeferencing().orElse(null);
    String source = scene.location().source();
    java.time.Instant acquired = scene.acquisitionTime().orElse(null);
    try (GeoParquetWriter w = GeoParquetWriter.create(staged, table, true)) {
      for (int i = 0; i < result.embeddings().length; i++) {
        if (result.embeddings()[i] == null) {
          continue; // outside --bbox: not read
        }
        w.write(EmbeddingOutput.row(source, stac, acquired, true, Footprint.of(result.grid().window(i), geo),
            result.embeddings()[i]));
      }
      w.commit();
      written = w.summary();
    } catch (TransformException e) {
      throw new DataFormatException(scene.name() + ": cannot reproject window corners to WGS84: " + e.getMessage(), e);
    }
  }
}
