package io.remoteclip.spark;

import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.geo.Footprint;
import io.remoteclip.image.BandSelection;
import io.remoteclip.image.ImageDecoder;
import io.remoteclip.index.GeoFootprint;
import io.remoteclip.vector.Vectors;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The encode stage: source rows (bytes with their {@code id}) in, {@link Tables#ENCODED} rows out, lazily and
 * batch by batch ({@code --batch-size} images per forward pass, decoded in parallel on a pool shared by the
 * executor's tasks). Holds only the {@link ModelShipment}; the model comes from {@link ExecutorEncoders}.
 */
final class EncodePartition implements MapPartitionsFunction<Row, Row> {
  private static ExecutorService decoders;

  private final ModelShipment model;
  private final boolean normalize;
  private final TaskFault fault;

  EncodePartition(ModelShipment model, boolean normalize, TaskFault fault) {
    this.model = model;
    this.normalize = normalize;
    this.fault = fault;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) throws Exception {
    if (!input.hasNext()) {
      return input;
    }
    ClipEncoder encoder = ExecutorEncoders.get(model);
    return new Batches(input, encoder, decoders(model.decodeThreads()), model.bandSelection());
  }

  private static synchronized ExecutorService decoders(int threads) {
    if (decoders == null) {
      int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
      decoders = Executors.newFixedThreadPool(n, r -> {
        Thread t = new Thread(r, "remoteclip-spark-decoder");
        t.setDaemon(true);
        return t;
      });
    }
    return decoders;
  }

  /** binaryFile's timestamp (java.sql.Timestamp, or Instant with spark.sql.datetime.java8API.enabled) as ms. */
  static Long millis(Object time) {
    if (time instanceof java.sql.Timestamp t) {
      return t.getTime();
    }
    if (time instanceof java.time.Instant i) {
      return i.toEpochMilli();
    }
    return null;
  }

  /** One input row made ready for the model (its pixels and what the table records), or the reason it cannot be. */
  private record Prepared(Row source, int width, int height, Footprint footprint, float[] pixels, String error) {
    static Prepared failed(Row source, String error) {
      return new Prepared(source, 0, 0, null, null, error);
    }
  }

  private final class Batches implements Iterator<Row> {
    private final Iterator<Row> input;
    private final ClipEncoder encoder;
    private final ExecutorService pool;
    private final BandSelection bands;
    private final ArrayDeque<Row> ready = new ArrayDeque<>();
    private long emitted;

    Batches(Iterator<Row> input, ClipEncoder encoder, ExecutorService pool, BandSelection bands) {
      this.input = input;
      this.encoder = encoder;
      this.pool = pool;
      this.bands = bands;
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
      List<Future<Prepared>> jobs = new ArrayList<>(model.batchSize());
      while (jobs.size() < model.batchSize() && input.hasNext()) {
        Row src = input.next();
        jobs.add(pool.submit(() -> prepare(src)));
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
          ready.add(errorRow(p.source(), p.error()));
        } else {
          float[] e = rows[next++];
          ready.add(embeddingRow(p, normalize ? Vectors.normalized(e) : e));
        }
      }
    }

    private Prepared prepare(Row src) {
      String path = src.getAs(Tables.SRC_PATH);
      String readError = src.getAs(Tables.SRC_READ_ERROR);
      if (readError != null) {
        return Prepared.failed(src, readError);
      }
      byte[] bytes = src.getAs(Tables.SRC_CONTENT);
      int[] size = null;
      try {
        size = ImageDecoder.size(io.remoteclip.image.ImageSource.of(path, bytes));
        try (DecodeBudget.Permit share = DecodeBudget.executor().admit(path, size[0], size[1],
            encoder.preprocess().imageSize())) {
          ImageBytes.Decoded d = ImageBytes.decode(bytes, path, bands);
          // only the model input outlives the permit: the decoded image is garbage once preprocessed
          return new Prepared(src, d.image().width(), d.image().height(), d.footprint(), encoder.preprocess(d.image()), null);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting to decode " + path, e);
      } catch (OutOfMemoryError e) {
        // the budget's estimate fell short; the failed allocation is gone, the task goes on
        return Prepared.failed(src, path + ": out of memory decoding " + (size == null ? "it" : size[0] + "x" + size[1])
            + " (raise spark.executor.memory)");
      } catch (Exception e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return Prepared.failed(src, msg.startsWith(path) ? msg : path + ": " + msg);
      }
    }

    private Row embeddingRow(Prepared p, float[] embedding) {
      Row s = p.source();
      GeoFootprint fp = p.footprint() == null ? null : GeoFootprint.of(p.footprint());
      org.locationtech.jts.geom.Polygon geometry = p.footprint() == null ? null
          : io.remoteclip.parquet.Geometries.polygon(p.footprint().lonLatRing());
      double[] box = geometry == null ? null : io.remoteclip.parquet.Geometries.box(geometry);
      return RowFactory.create(s.getAs(Tables.ID), s.getAs(Tables.SRC_PATH), s.getAs(Tables.SRC_LENGTH),
          millis(s.getAs(Tables.SRC_MTIME)), p.width(), p.height(),
          fp == null ? null : fp.toWkt(), fp == null ? null : fp.crs(),
          fp == null || fp.lonLat() == null ? null : SparkArrays.doubles(fp.lonLat()),
          geometry == null ? null : io.remoteclip.parquet.Geometries.wkb(geometry),
          box == null ? null : RowFactory.create(box[0], box[1], box[2], box[3]), model.modelId(), model.modelRef(), normalize,
          SparkArrays.floats(embedding), null);
    }

    private Row errorRow(Row s, String error) {
      return RowFactory.create(s.getAs(Tables.ID), s.getAs(Tables.SRC_PATH), s.getAs(Tables.SRC_LENGTH),
          millis(s.getAs(Tables.SRC_MTIME)), null, null, null, null, null, null, null, model.modelId(), model.modelRef(),
          normalize, null, error);
    }
  }
}
