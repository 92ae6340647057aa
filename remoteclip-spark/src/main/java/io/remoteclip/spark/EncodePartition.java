package io.remoteclip.spark;

import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.image.BandSelection;
import io.remoteclip.image.ImageDecoder;
import io.remoteclip.spark.EncodeBatches.Prepared;
import java.util.Iterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;

/**
 * The encode stage of whole files: source rows (bytes with their {@code id}) in, {@link Tables#ENCODED} rows out
 * ({@link EncodeBatches}, decoded in parallel on a pool shared by the executor's tasks). Holds only the
 * {@link ModelShipment}; the model comes from {@link ExecutorEncoders}.
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
    BandSelection bands = model.bandSelection();
    Iterator<Supplier<Prepared>> jobs = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return input.hasNext();
      }

      @Override
      public Supplier<Prepared> next() {
        Row src = input.next();
        return () -> prepare(src, encoder, bands);
      }
    };
    return new EncodeBatches(jobs, encoder, decoders(model.decodeThreads()), model, normalize, fault);
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

  private Prepared prepare(Row src, ClipEncoder encoder, BandSelection bands) {
    String path = src.getAs(Tables.SRC_PATH);
    String readError = src.getAs(Tables.SRC_READ_ERROR);
    if (readError != null) {
      return failed(src, readError);
    }
    byte[] bytes = src.getAs(Tables.SRC_CONTENT);
    int[] size = null;
    try {
      size = ImageDecoder.size(io.remoteclip.image.ImageSource.of(path, bytes));
      try (DecodeBudget.Permit share = DecodeBudget.executor().admit(path, size[0], size[1],
          encoder.preprocess().imageSize())) {
        ImageBytes.Decoded d = ImageBytes.decode(bytes, path, bands);
        // only the model input outlives the permit: the decoded image is garbage once preprocessed
        return new Prepared(src.getAs(Tables.ID), path, src.getAs(Tables.SRC_LENGTH), millis(src.getAs(Tables.SRC_MTIME)),
            d.image().width(), d.image().height(), d.footprint(), encoder.preprocess(d.image()), null, item(src));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to decode " + path, e);
    } catch (OutOfMemoryError e) {
      // the budget's estimate fell short; the failed allocation is gone, the task goes on
      return failed(src, path + ": out of memory decoding " + (size == null ? "it" : size[0] + "x" + size[1])
          + " (raise spark.executor.memory)");
    } catch (Exception e) {
      String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
      return failed(src, msg.startsWith(path) ? msg : path + ": " + msg);
    }
  }

  /** The STAC item of an image named by {@code --stac}, else null. */
  private static SceneItem item(Row src) {
    String product = src.getAs(Tables.PRODUCT_ID);
    Object time = src.getAs(Tables.TIMESTAMP);
    java.time.Instant at = time instanceof java.sql.Timestamp t ? t.toInstant() : time instanceof java.time.Instant i ? i : null;
    return product == null ? null
        : new SceneItem(product, src.getAs(Tables.STAC_COLLECTION), src.getAs(Tables.STAC_ASSET), at);
  }

  private static Prepared failed(Row src, String error) {
    return Prepared.failed(src.getAs(Tables.ID), src.getAs(Tables.SRC_PATH), src.getAs(Tables.SRC_LENGTH),
        millis(src.getAs(Tables.SRC_MTIME)), error);
  }
}
