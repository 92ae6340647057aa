package io.remoteclip.encode;

import io.remoteclip.DataFormatException;
import io.remoteclip.FiniteRows;
import io.remoteclip.NonFiniteEmbeddingException;
import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import io.remoteclip.hub.Checksums;
import io.remoteclip.hub.ResolvedModel;
import io.remoteclip.image.BandSelection;
import io.remoteclip.image.DecodedImage;
import io.remoteclip.image.EvalTransform;
import io.remoteclip.image.ImageDecoder;
import io.remoteclip.image.ImageSource;
import io.remoteclip.image.PreprocessConfig;
import io.remoteclip.layout.ModelCheckpoint;
import io.remoteclip.model.Activation;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ClipModel;
import io.remoteclip.model.ClipTowers;
import io.remoteclip.model.Precision;
import io.remoteclip.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A loaded model with its tokenizer and image preprocessing: files and strings in, embedding rows out.
 * Images are decoded and preprocessed on a small thread pool ahead of the model ({@link #embed}, the one
 * streaming path every image takes). Thread-safe.
 */
public final class ClipEncoder implements Encoder, AutoCloseable {
  public static final int DEFAULT_BATCH_SIZE = 32;

  private final ClipTowers model;
  private final TextTokenizer tokenizer;
  private final EvalTransform transform;
  private final BandSelection bands;
  private final ExecutorService decoders;
  private final int batchSize;
  private final EncoderId id;
  private boolean ownsModel = true;

  /** An encoder without a known vocabulary file (the id's vocab is "none"); {@link #open} records it. */
  public ClipEncoder(ClipTowers model, TextTokenizer tokenizer, PreprocessConfig preprocess, BandSelection bands,
      int batchSize, int decodeThreads) {
    this(model, tokenizer, preprocess, bands, batchSize, decodeThreads, null);
  }

  /**
   * An encoder over {@code model} (DJL or another engine's towers) whose id records the vocabulary's SHA-256
   * ({@code vocabSha256}, null: none).
   */
  public ClipEncoder(ClipTowers model, TextTokenizer tokenizer, PreprocessConfig preprocess, BandSelection bands,
      int batchSize, int decodeThreads, String vocabSha256) {
    this.id = EncoderId.of(weightsOf(model.id()), model.activation(), model.numberFormat(), preprocess, bands,
        vocabSha256).withFamily(model.family());
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
   * Loads the model a {@link ResolvedModel} points at, in whatever layout ({@link ModelCheckpoint#read}).
   * Architecture from the weights' shapes; head counts and activation from {@code --config}, else a config next to
   * the weights or the registry's config file; activation: option, then config, then registry, then the family's
   * default. Preprocessing and tokenizer as the layout says.
   */
  public static ClipEncoder open(ResolvedModel resolved, Options options, ProgressListener progress)
      throws IOException, RemoteClipException {
    ModelCheckpoint checkpoint = ModelCheckpoint.read(resolved.weights(), resolved.configFile(options.configOverride()),
        progress);
    ClipConfig config = checkpoint.config(options.activation(), resolved.activation());
    // The model's own id names the weights; the encoder's EncoderId adds activation, precision and the rest.
    ClipModel model = ClipModel.load(checkpoint.stateDict(), config, resolved.modelId(), options.precision());
    try {
      TextTokenizer tokenizer = checkpoint.tokenizer(config, resolved.vocab()).open();
      if (tokenizer.vocabSize() > config.text().vocabSize()) {
        throw new DataFormatException(resolved.vocab() + ": vocabulary has " + tokenizer.vocabSize() + " tokens but the model's "
            + "token embedding has " + config.text().vocabSize() + " rows; this vocabulary does not belong to " + resolved.weights());
      }
      PreprocessConfig pre = checkpoint.preprocess(config, resolved.meanArray(), resolved.stdArray(), !resolved.userFiles());
      String vocabSha = resolved.vocab() == null ? null : Checksums.sha256(resolved.vocab(), ProgressListener.NONE);
      return new ClipEncoder(model, tokenizer, pre, options.bands(), options.batchSize(), options.decodeThreads(), vocabSha);
    } catch (RemoteClipException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** An encoder over a model owned by someone else (e.g. a trainer validating): closing it leaves the model open. */
  public static ClipEncoder borrowing(ClipModel model, TextTokenizer tokenizer, PreprocessConfig preprocess, int batchSize,
      int decodeThreads) {
    ClipEncoder e = new ClipEncoder(model, tokenizer, preprocess, null, batchSize, decodeThreads);
    e.ownsModel = false;
    return e;
  }

  /** The DJL model behind this encoder; {@link #towers()} for engine-neutral use. */
  public ClipModel model() {
    if (model instanceof ClipModel m) {
      return m;
    }
    throw new IllegalStateException("this encoder runs on " + model.getClass().getSimpleName() + ", not on a DJL ClipModel");
  }

  /** The towers this encoder runs (DJL or another engine). */
  public ClipTowers towers() {
    return model;
  }

  /** Images or texts per forward pass. */
  public int batchSize() {
    return batchSize;
  }

  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  public PreprocessConfig preprocess() {
    return transform.config();
  }

  @Override
  public LogitScale logitScale() {
    return LogitScale.of(model);
  }

  /** The string form of {@link #encoderId()}. */
  @Override
  public String modelId() {
    return id.toString();
  }

  /** Everything that decides this encoder's rows (weights, activation, precision, preprocessing, bands, vocabulary). */
  public EncoderId encoderId() {
    return id;
  }

  /** Model ids were {@code weights#activation[#precision]} before {@link EncoderId}; the weights part is kept. */
  private static String weightsOf(String modelId) {
    int hash = modelId.indexOf('#');
    return hash < 0 ? modelId : modelId.substring(0, hash);
  }

  /** Preprocesses one already decoded image (uploads, tiles) to model input. */
  public float[] preprocess(DecodedImage image) {
    return transform.apply(image);
  }

  /** Features of preprocessed images (each {@code 3*S*S} floats), batched; a non-finite one is refused. */
  public float[][] encodePixels(List<float[]> images) {
    return finite(rawPixels(images), i -> "image " + i + " of " + images.size());
  }

  private float[][] rawPixels(List<float[]> images) {
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
    List<Path> ok = new ArrayList<>(files.size());
    List<float[]> rows = new ArrayList<>(files.size());
    List<ImageEncoding.Failure> failures = new ArrayList<>();
    long[] done = {0};
    progress.start("encoding images", files.size());
    try {
      embed(files.iterator(), Path::toString, file -> decode(ImageSource.of(file)), batchSize, batch -> {
        if (strict && !batch.failures().isEmpty()) {
          throw new DataFormatException(batch.failures().get(0).message());
        }
        for (EmbeddingBatch.Failure<Path> f : batch.failures()) {
          failures.add(new ImageEncoding.Failure(f.input(), f.message()));
        }
        for (EmbeddingBatch.Row<Path> r : batch.rows()) {
          ok.add(r.input());
          rows.add(r.embedding());
        }
        done[0] += batch.rows().size() + batch.failures().size();
        progress.update(done[0]);
      });
    } catch (DataFormatException e) {
      throw e;
    } catch (IOException | RemoteClipException e) {
      throw new IllegalStateException(e); // the sink above throws nothing else
    } finally {
      progress.finish();
    }
    return new ImageEncoding(ok, rows.toArray(new float[0][]), failures);
  }

  /**
   * The streaming seam: images in, batches of embeddings out, in input order. Sources are decoded (with this
   * encoder's band selection) and preprocessed on the decode threads, at most {@code 2 * batchSize + 8}
   * ahead of the model, so memory stays bounded however long {@code images} is (it is drawn lazily).
   * Unreadable inputs are reported in the batch's failures, not thrown; what {@code sink} throws ends the
   * stream and is rethrown.
   */
  public void embed(Iterator<? extends ImageSource> images, EmbeddingBatch.Sink<ImageSource> sink)
      throws IOException, RemoteClipException {
    embed(images, ImageSource::name, this::decode, batchSize, sink);
  }

  /**
   * {@link #embed(Iterator, EmbeddingBatch.Sink)} over any input type: {@code decode} turns an input into an
   * image on a decode thread (it may do more work there, such as hashing the file it reads), {@code name}
   * names inputs in failure messages, and batches hold at most {@code batchSize} inputs (rows plus failures).
   */
  public <T> void embed(Iterator<? extends T> inputs, Function<? super T, String> name,
      Lookahead.Step<T, DecodedImage> decode, int batchSize, EmbeddingBatch.Sink<T> sink)
      throws IOException, RemoteClipException {
    int batch = Math.max(1, batchSize);
    Lookahead<T, Prepared> ahead = new Lookahead<>(inputs, decoders, in -> {
      DecodedImage image = decode.apply(in);
      return new Prepared(image.width(), image.height(), transform.apply(image));
    }, name, 2 * batch + 8);
    try {
      while (ahead.hasNext()) {
        List<Lookahead.Item<T, Prepared>> items = ahead.next(batch);
        List<EmbeddingBatch.Failure<T>> failed = new ArrayList<>();
        List<Lookahead.Item<T, Prepared>> ready = new ArrayList<>(items.size());
        for (Lookahead.Item<T, Prepared> item : items) {
          if (item.failed()) {
            failed.add(new EmbeddingBatch.Failure<>(item.index(), item.input(), item.error()));
          } else {
            ready.add(item);
          }
        }
        List<float[]> pixels = new ArrayList<>(ready.size());
        ready.forEach(r -> pixels.add(r.value().pixels()));
        float[][] rows = finite(rawPixels(pixels), i -> name.apply(ready.get(i).input()));
        List<EmbeddingBatch.Row<T>> out = new ArrayList<>(ready.size());
        for (int i = 0; i < ready.size(); i++) {
          Lookahead.Item<T, Prepared> r = ready.get(i);
          out.add(new EmbeddingBatch.Row<>(r.index(), r.input(), r.value().width(), r.value().height(), rows[i]));
        }
        sink.accept(new EmbeddingBatch<>(out, failed));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while encoding images", e);
    } finally {
      ahead.cancel();
    }
  }

  /** One image as model input, with the size it was decoded at. */
  private record Prepared(int width, int height, float[] pixels) {}

  /** The band selection multi-band rasters are read with (null: the default RGB choice). */
  public BandSelection bands() {
    return bands;
  }

  /** Decodes {@code file} as the encoder would (with its band selection for multi-band rasters). */
  public DecodedImage decode(Path file) throws IOException, RemoteClipException {
    return decode(ImageSource.of(file));
  }

  /** Decodes any source as the encoder would (with its band selection for multi-band rasters). */
  public DecodedImage decode(ImageSource source) throws IOException, RemoteClipException {
    return ImageDecoder.decode(source, bands);
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
        int first = start;
        float[][] rows = finite(model.encodeTexts(tokenizer.tokenize(texts.subList(start, start + n))),
            i -> "text '" + texts.get(first + i) + "'");
        System.arraycopy(rows, 0, out, start, n);
        progress.update(start + n);
      }
    } finally {
      progress.finish();
    }
    return out;
  }

  /**
   * {@code rows}, or a {@link NonFiniteEmbeddingException}: a model with NaN weights (a diverged training run)
   * outputs NaN for every input, and NaN embeddings would rank, classify and index silently wrong.
   */
  private float[][] finite(float[][] rows, java.util.function.IntFunction<String> input) {
    int i = FiniteRows.firstNonFinite(rows);
    if (i >= 0) {
      throw new NonFiniteEmbeddingException(FiniteRows.problem(input.apply(i), "the model's embedding")
          + "; are the model's weights NaN?");
    }
    return rows;
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
