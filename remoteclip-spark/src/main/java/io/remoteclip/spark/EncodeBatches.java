package io.remoteclip.spark;

import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.geo.Footprint;
import io.remoteclip.index.GeoFootprint;
import io.remoteclip.parquet.Geometries;
import io.remoteclip.vector.Vectors;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * What the encode stages share: prepared images in, {@link Tables#ENCODED} rows out, lazily and batch by batch
 * ({@code --batch-size} images per forward pass). The preparations of a batch run on a pool (files: decoded in
 * parallel) or one after the other in the task's thread (scene windows: one scene reader per task).
 */
final class EncodeBatches implements Iterator<Row> {
  /** One image made ready for the model (its pixels and what the table records), or the reason it cannot be. */
  record Prepared(String id, String path, Long length, Long mtimeMs, int width, int height, Footprint footprint,
      float[] pixels, String error, SceneItem item) {
    /** Not from a STAC item. */
    Prepared(String id, String path, Long length, Long mtimeMs, int width, int height, Footprint footprint,
        float[] pixels, String error) {
      this(id, path, length, mtimeMs, width, height, footprint, pixels, error, null);
    }

    static Prepared failed(String id, String path, Long length, Long mtimeMs, String error) {
      return new Prepared(id, path, length, mtimeMs, 0, 0, null, null, error);
    }
  }

  private final Iterator<? extends Supplier<Prepared>> input;
  private final ClipEncoder encoder;
  private final ExecutorService pool;
  private final ModelShipment model;
  private final boolean normalize;
  private final TaskFault fault;
  private final ArrayDeque<Row> ready = new ArrayDeque<>();
  private long emitted;

  /** @param pool where a batch's preparations run; null: in this thread, in order */
  EncodeBatches(Iterator<? extends Supplier<Prepared>> input, ClipEncoder encoder, ExecutorService pool, ModelShipment model,
      boolean normalize, TaskFault fault) {
    this.input = input;
    this.encoder = encoder;
    this.pool = pool;
    this.model = model;
    this.normalize = normalize;
    this.fault = fault;
  }

  @Override
  public boolean hasNext() {
    if (ready.isEmpty() && input.hasNext()) {
      encodeNextBatch();
    }
    return !ready.isEmpty();
  }

  @Override
  public Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Row r = ready.removeFirst();
    emitted++;
    if (fault != null) {
      fault.afterRow(TaskContext.get(), emitted);
    }
    return r;
  }

  /**
   * An OutOfMemoryError leaving a task makes Spark exit the executor JVM (code 52), with the driver in local
   * mode; as an ordinary failure (no OOM in its causes, which Spark also inspects) the job fails, and says why.
   */
  private void encodeNextBatch() {
    try {
      encodeBatch();
    } catch (OutOfMemoryError e) {
      throw new IllegalStateException("executor out of memory (" + SparkErrors.firstLine(e) + ") encoding a batch of up to "
          + model.batchSize() + " images; give executors more memory (spark.executor.memory) or use a smaller --batch-size");
    }
  }

  private void encodeBatch() {
    List<Prepared> batch = pool == null ? prepareHere() : prepareOnPool();
    List<float[]> pixels = new ArrayList<>(batch.size());
    for (Prepared p : batch) {
      if (p.error() == null) {
        pixels.add(p.pixels());
      }
    }
    float[][] rows = pixels.isEmpty() ? new float[0][] : encoder.encodePixels(pixels);
    int next = 0;
    for (Prepared p : batch) {
      if (p.error() != null) {
        ready.add(errorRow(p));
      } else {
        float[] e = rows[next++];
        ready.add(embeddingRow(p, normalize ? Vectors.normalized(e) : e));
      }
    }
  }

  private List<Prepared> prepareHere() {
    List<Prepared> batch = new ArrayList<>(model.batchSize());
    while (batch.size() < model.batchSize() && input.hasNext()) {
      batch.add(input.next().get());
    }
    return batch;
  }

  private List<Prepared> prepareOnPool() {
    List<Future<Prepared>> jobs = new ArrayList<>(model.batchSize());
    while (jobs.size() < model.batchSize() && input.hasNext()) {
      Supplier<Prepared> job = input.next();
      jobs.add(pool.submit((Callable<Prepared>) job::get));
    }
    List<Prepared> batch = new ArrayList<>(jobs.size());
    for (Future<Prepared> f : jobs) {
      try {
        batch.add(f.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while decoding images", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("image decoding failed unexpectedly", e.getCause());
      }
    }
    return batch;
  }

  /** A row of the table, with its footprint as GeoParquet's WKB geometry and bbox covering column (WGS84). */
  private Row embeddingRow(Prepared p, float[] embedding) {
    GeoFootprint fp = p.footprint() == null ? null : GeoFootprint.of(p.footprint());
    org.locationtech.jts.geom.Polygon geometry = p.footprint() == null ? null
        : Geometries.polygon(p.footprint().lonLatRing());
    double[] box = geometry == null ? null : Geometries.box(geometry);
    SceneItem item = p.item();
    return RowFactory.create(p.id(), p.path(), item == null ? null : item.productId(),
        item == null ? null : item.collection(), item == null ? null : item.asset(),
        item == null ? null : item.sqlTimestamp(), p.length(), p.mtimeMs(), p.width(), p.height(),
        fp == null ? null : fp.toWkt(), fp == null ? null : fp.crs(),
        fp == null || fp.lonLat() == null ? null : SparkArrays.doubles(fp.lonLat()),
        geometry == null ? null : Geometries.wkb(geometry),
        box == null ? null : RowFactory.create(box[0], box[1], box[2], box[3]), model.modelId(), model.modelRef(), normalize,
        SparkArrays.floats(embedding), null);
  }

  private Row errorRow(Prepared p) {
    return errorRow(p, model, normalize);
  }

  /** The {@link Tables#ENCODED} row of an image that could not be embedded (also a scene the plan could not read). */
  static Row errorRow(Prepared p, ModelShipment model, boolean normalize) {
    return RowFactory.create(p.id(), p.path(), null, null, null, null, p.length(), p.mtimeMs(),
        null, null, null, null, null, null, null, model.modelId(), model.modelRef(), normalize, null, p.error());
  }
}
