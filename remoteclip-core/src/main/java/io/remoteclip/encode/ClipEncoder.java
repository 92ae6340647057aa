package io.remoteclip.encode;

import io.remoteclip.DataFormatException;
import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import io.remoteclip.checkpoint.Checkpoints;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.encode.Encoder;
import io.remoteclip.hub.ResolvedModel;
import io.remoteclip.image.BandSelection;
import io.remoteclip.image.DecodedImage;
import io.remoteclip.image.EvalTransform;
import io.remoteclip.image.ImageDecoder;
import io.remoteclip.image.PreprocessConfig;
import io.remoteclip.image.Resample;
import io.remoteclip.model.Activation;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ClipConfigs;
import io.remoteclip.model.ClipModel;
import io.remoteclip.model.Precision;
import io.remoteclip.tokenizer.ClipTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loaded model with its tokenizer and image preprocessing: files and strings in, embedding rows out.
 * Images are decoded and preprocessed on a small thread pool ahead of the model. Thread-safe.
 */
public final class ClipEncoder implements Encoder, AutoCloseable {
  public static final int DEFAULT_BATCH_SIZE = 32;

  private final ClipModel model;
  private final ClipTokenizer tokenizer;
  private final EvalTransform transform;
  private final BandSelection bands;
  private final ExecutorService decoders;
  private final int batchSize;
  private boolean ownsModel = true;

  public ClipEncoder(ClipModel model, ClipTokenizer tokenizer, PreprocessConfig preprocess, BandSelection bands,
      int batchSize, int decodeThreads) {
    this.model = model;
    this.tokenizer = tokenizer.withContextLength(model.contextLength());
    this.transform = new EvalTransform(preprocess);
    this.bands = bands;
    this.batchSize = batchSize;
    AtomicInteger n = new AtomicInteger();
    ThreadFactory daemons = r -> {
      Thread t = new Thread(r, "image-decoder-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.decoders = Executors.newFixedThreadPool(Math.max(1, decodeThreads), daemons);
  }

  /** Options that are not part of the model files. */
  public record Options(Activation activation, Path configOverride, BandSelection bands, int batchSize, int decodeThreads,
      Precision precision) {
    public Options {
      precision = precision == null ? Precision.FP32 : precision;
    }

    public static Options defaults() {
      return new Options(null, null, null, DEFAULT_BATCH_SIZE, Runtime.getRuntime().availableProcessors(), Precision.FP32);
    }

    public Options withActivation(Activation a) {
      return new Options(a, configOverride, bands, batchSize, decodeThreads, precision);
    }

    public Options withConfig(Path c) {
      return new Options(activation, c, bands, batchSize, decodeThreads, precision);
    }

    public Options withBands(BandSelection b) {
      return new Options(activation, configOverride, b, batchSize, decodeThreads, precision);
    }

    public Options withBatchSize(int b) {
      return new Options(activation, configOverride, bands, b, decodeThreads, precision);
    }

    public Options withDecodeThreads(int n) {
      return new Options(activation, configOverride, bands, batchSize, n, precision);
    }

    /** Number format of the towers (bf16: faster on CPUs with native bf16, features within a stated tolerance). */
    public Options withPrecision(Precision p) {
      return new Options(activation, configOverride, bands, batchSize, decodeThreads, p);
    }
  }

  /**
   * Loads the model a {@link ResolvedModel} points at. Architecture from the weights' shapes; head counts and
   * activation from {@code --config}, else a config next to the weights or the registry's config file;
   * activation: option, then config, then registry.
   */
  public static ClipEncoder open(ResolvedModel resolved, Options options, ProgressListener progress)
      throws IOException, RemoteClipException {
    StateDict sd = Checkpoints.read(resolved.weights(), progress);
    var cfgJson = ClipConfigs.readModelConfig(resolved.configFile(options.configOverride()));
    ClipConfig config = ClipConfigs.infer(sd, cfgJson,
        ClipConfigs.chooseActivation(options.activation(), cfgJson, resolved.activation()));
    String id = resolved.modelId() + "#" + config.activation().cliName()
        + (options.precision() == Precision.FP32 ? "" : "#" + options.precision().cliName());
    ClipModel model = ClipModel.load(sd, config, id, options.precision());
    sd = null; // the heap copy of the weights can go before the first batch
    try {
      ClipTokenizer tokenizer = ClipTokenizer.load(resolved.vocab());
      if (tokenizer.vocabSize() > config.text().vocabSize()) {
        throw new DataFormatException(resolved.vocab() + ": vocabulary has " + tokenizer.vocabSize() + " tokens but the model's "
            + "token embedding has " + config.text().vocabSize() + " rows; this vocabulary does not belong to " + resolved.weights());
      }
      PreprocessConfig pre = new PreprocessConfig(config.vision().imageSize(), resolved.meanArray(), resolved.stdArray(),
          Resample.BICUBIC);
      return new ClipEncoder(model, tokenizer, pre, options.bands(), options.batchSize(), options.decodeThreads());
    } catch (RemoteClipException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** An encoder over a model owned by someone else (e.g. a trainer validating): closing it leaves the model open. */
  public static ClipEncoder borrowing(ClipModel model, ClipTokenizer tokenizer, PreprocessConfig preprocess, int batchSize,
      int decodeThreads) {
    ClipEncoder e = new ClipEncoder(model, tokenizer, preprocess, null, batchSize, decodeThreads);
    e.ownsModel = false;
    return e;
  }

  public ClipModel model() {
    return model;
  }

  /** Images or texts per forward pass. */
  public int batchSize() {
    return batchSize;
  }

  public ClipTokenizer tokenizer() {
    return tokenizer;
  }

  public PreprocessConfig preprocess() {
    return transform.config();
  }

  @Override
  public String modelId() {
    return model.id();
  }

  /** Preprocesses one already decoded image (uploads, tiles) to model input. */
  public float[] preprocess(DecodedImage image) {
    return transform.apply(image);
  }

  /** Features of preprocessed images (each {@code 3*S*S} floats), batched. */
  public float[][] encodePixels(List<float[]> images) {
    int per = 3 * model.imageSize() * model.imageSize();
    float[][] out = new float[images.size()][];
    for (int start = 0; start < images.size(); start += batchSize) {
      int n = Math.min(batchSize, images.size() - start);
      float[] batch = new float[n * per];
      for (int i = 0; i < n; i++) {
        System.arraycopy(images.get(start + i), 0, batch, i * per, per);
      }
      float[][] rows = model.encodeImages(batch, n);
      System.arraycopy(rows, 0, out, start, n);
    }
    return out;
  }

  /**
   * Encodes image files in input order; unreadable files are collected as failures (or, with
   * {@code strict}, the first one is thrown as a {@link DataFormatException}).
   */
  public ImageEncoding encodeImageFiles(List<Path> files, boolean strict, ProgressListener progress)
      throws DataFormatException {
    progress.start("encoding images", files.size());
    ImageBatches batches = new ImageBatches(files, decoders, this::load, 2 * batchSize + 8);
    List<Path> ok = new ArrayList<>(files.size());
    List<float[]> rows = new ArrayList<>(files.size());
    List<ImageEncoding.Failure> failures = new ArrayList<>();
    long done = 0;
    try {
      while (batches.hasNext()) {
        List<ImageBatches.Item> items = batches.next(batchSize);
        List<float[]> pixels = new ArrayList<>(items.size());
        for (ImageBatches.Item item : items) {
          if (item.error() != null) {
            if (strict) {
              throw new DataFormatException(item.error());
            }
            failures.add(new ImageEncoding.Failure(item.file(), item.error()));
          } else {
            ok.add(item.file());
            pixels.add(item.pixels());
          }
        }
        if (!pixels.isEmpty()) {
          for (float[] row : encodePixels(pixels)) {
            rows.add(row);
          }
        }
        done += items.size();
        progress.update(done);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while encoding images", e);
    } finally {
      batches.cancel();
      progress.finish();
    }
    return new ImageEncoding(ok, rows.toArray(new float[0][]), failures);
  }

  private float[] load(Path file) throws IOException, RemoteClipException {
    return transform.apply(decode(file));
  }

  /** Decodes {@code file} as the encoder would (with its band selection for multi-band rasters). */
  public DecodedImage decode(Path file) throws IOException, RemoteClipException {
    return ImageDecoder.decode(file, bands);
  }

  /** {@link Encoder}: every image must be readable. */
  @Override
  public float[][] encodeImages(List<Path> images, ProgressListener progress) throws DataFormatException {
    return encodeImageFiles(images, true, progress).embeddings();
  }

  @Override
  public float[][] encodeTexts(List<String> texts, ProgressListener progress) {
    progress.start("encoding texts", texts.size());
    float[][] out = new float[texts.size()][];
    try {
      for (int start = 0; start < texts.size(); start += batchSize) {
        int n = Math.min(batchSize, texts.size() - start);
        float[][] rows = model.encodeTexts(tokenizer.tokenize(texts.subList(start, start + n)));
        System.arraycopy(rows, 0, out, start, n);
        progress.update(start + n);
      }
    } finally {
      progress.finish();
    }
    return out;
  }

  public float[][] encodeTexts(List<String> texts) {
    return encodeTexts(texts, ProgressListener.NONE);
  }

  @Override
  public void close() {
    decoders.shutdownNow();
    if (ownsModel) {
      model.close();
    }
  }
}
