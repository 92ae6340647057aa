package io.remoteclip.cli;

import io.remoteclip.RemoteClipException;
import io.remoteclip.index.ImageRecord;
import io.remoteclip.index.SceneWindowIndexer;
import io.remoteclip.parquet.GeoParquetEmbeddings;
import java.io.IOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An embeddings table's rows as the bulk load iterates them. A row that cannot be read (an I/O error, a
 * non-finite or mis-sized embedding) travels as a {@link ReadFailure} and is thrown again as itself by the
 * caller, so that it keeps its exit code.
 */
final class TableRecords implements Iterator<ImageRecord> {
  private final GeoParquetEmbeddings rows;
  private ImageRecord next;
  private long read;
  private long windows;

  private TableRecords(GeoParquetEmbeddings rows) {
    this.rows = rows;
    this.next = read();
  }

  static TableRecords of(GeoParquetEmbeddings rows) {
    return new TableRecords(rows);
  }

  /** Whether every row read so far (at least one) is a window of a scene ({@code scene.tif#x=..,y=..,w=..,h=..}). */
  boolean allWindows() {
    return read > 0 && windows == read;
  }

  @Override
  public boolean hasNext() {
    return next != null;
  }

  @Override
  public ImageRecord next() {
    if (next == null) {
      throw new NoSuchElementException();
    }
    ImageRecord r = next;
    read++;
    if (SceneWindowIndexer.parse(r.path()).isPresent()) {
      windows++;
    }
    next = read();
    return r;
  }

  private ImageRecord read() {
    try {
      return rows.read();
    } catch (IOException | RemoteClipException e) {
      throw new ReadFailure(e);
    }
  }

  /** A checked failure of a row, carried through {@link Iterator#next()}. */
  static final class ReadFailure extends RuntimeException {
    ReadFailure(Exception cause) {
      super(cause.getMessage(), cause, false, false);
    }

    @Override
    public synchronized Exception getCause() {
      return (Exception) super.getCause();
    }
  }
}
