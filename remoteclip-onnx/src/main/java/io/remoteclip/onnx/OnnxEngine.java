package io.remoteclip.onnx;

import io.remoteclip.DataFormatException;
import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.hub.Checksums;
import io.remoteclip.hub.ResolvedModel;
import io.remoteclip.layout.TokenizerSpec;
import io.remoteclip.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@link ClipEncoder}s on ONNX Runtime: from an export directory, or from any model the project reads by
 * exporting it once into the cache ({@code <cache>/onnx/<name>-<key>/}, keyed by the model's identity, the
 * options that change the graph and the export format) and loading that.
 */
public final class OnnxEngine {
  /** Engine options: intra-op threads (0 = all cores), device, weight format of an on-the-fly export. */
  public record Options(int threads, OnnxDevice device, Quantization quantization) {
    public static Options defaults() {
      return new Options(0, OnnxDevice.CPU, Quantization.FP32);
    }
  }

  private OnnxEngine() {}

  /** An encoder over the export in {@code dir}. */
  public static ClipEncoder openExport(Path dir, ClipEncoder.Options encoding, Options engine)
      throws IOException, RemoteClipException {
    OnnxTowers towers = OnnxTowers.open(dir, engine.threads(), engine.device());
    try {
      String vocab = towers.sidecar().vocabFile();
      if (vocab == null) {
        throw new DataFormatException(dir + ": export has no tokenizer (exported from weights alone); only its towers are usable");
      }
      Path vocabFile = dir.resolve(vocab);
      // the pipeline the model was exported with (CLIP BPE, or SentencePiece as open_clip or transformers run it)
      TextTokenizer tokenizer = new TokenizerSpec(towers.sidecar().tokenizer(), vocabFile).open();
      // the export's vocabulary is a copy of the model's: same SHA-256, so the same encoder identity as on DJL
      return new ClipEncoder(towers, tokenizer, towers.sidecar().preprocess(), encoding.bands(), encoding.batchSize(),
          encoding.decodeThreads(), Checksums.sha256(vocabFile, ProgressListener.NONE));
    } catch (RemoteClipException | RuntimeException e) {
      towers.close();
      throw e;
    }
  }

  /** An encoder over {@code resolved}, exported into {@code cacheRoot} on first use. */
  public static ClipEncoder open(ResolvedModel resolved, ClipEncoder.Options encoding, Options engine, Path cacheRoot,
      ProgressListener progress) throws IOException, RemoteClipException {
    Path dir = cachedExport(resolved, encoding, engine.quantization(), cacheRoot, progress);
    return openExport(dir, encoding, engine);
  }

  /** The cached export of {@code resolved} (written now if missing). */
  public static Path cachedExport(ResolvedModel resolved, ClipEncoder.Options encoding, Quantization q, Path cacheRoot,
      ProgressListener progress) throws IOException, RemoteClipException {
    String key = String.join("\n", OnnxExport.FORMAT_VERSION, resolved.modelId(), String.valueOf(resolved.vocab()),
        String.valueOf(encoding.activation()), String.valueOf(resolved.configFile(encoding.configOverride())), q.cliName());
    String hash = Checksums.sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    Path dir = cacheRoot.resolve("onnx").resolve(safe(resolved.name()) + "-" + q.cliName() + "-" + hash);
    if (OnnxExport.isExport(dir)) {
      return dir;
    }
    OnnxExport.Options options = OnnxExport.Options.defaults().withQuantization(q).withActivation(encoding.activation())
        .withConfig(encoding.configOverride());
    OnnxExport.export(resolved, options, dir, progress);
    // Every weight went through the heap on its way to the file, so the heap grew with the model (ViT-L-14: about
    // 600 MB resident, garbage now). A full collection hands it back to the system before ONNX Runtime allocates
    // the weights natively: the first run of a model then peaks where a run on the cached export does.
    System.gc();
    return dir;
  }

  private static String safe(String name) {
    String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return s.isEmpty() ? "model" : s;
  }
}
