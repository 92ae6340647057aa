package io.remoteclip.onnx;

import io.remoteclip.DataFormatException;
import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.encode.EncoderId;
import io.remoteclip.hub.Checksums;
import io.remoteclip.hub.ResolvedModel;
import io.remoteclip.image.PreprocessConfig;
import io.remoteclip.layout.ModelCheckpoint;
import io.remoteclip.layout.TokenizerSpec;
import io.remoteclip.model.Activation;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ModelFamily;
import io.remoteclip.model.SiglipVisionConfig;
import io.remoteclip.model.VitConfig;
import io.remoteclip.tokenizer.ClipTokenizer;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a checkpoint's image and text towers as ONNX models into a directory: {@code image.onnx},
 * {@code text.onnx} (opset 17, dynamic batch, weights as initialisers, {@code *.onnx.data} beside a model
 * whose weights exceed {@link OnnxModelWriter#DEFAULT_EXTERNAL_THRESHOLD}), the model's tokenizer file (CLIP BPE
 * vocabulary or SigLIP SentencePiece) and {@link OnnxSidecar#FILE_NAME}. The directory appears complete or not at all (written beside it, then renamed).
 */
public final class OnnxExport {
  public static final String FORMAT_VERSION = "1";
  public static final String IMAGE_FILE = "image.onnx";
  public static final String TEXT_FILE = "text.onnx";

  /** What to export and how. {@code externalThreshold}: initialiser bytes above which weights go to external data. */
  public record Options(Activation activation, Path configOverride, Quantization quantization, long externalThreshold) {
    public static Options defaults() {
      return new Options(null, null, Quantization.FP32, OnnxModelWriter.DEFAULT_EXTERNAL_THRESHOLD);
    }

    public Options withQuantization(Quantization q) {
      return new Options(activation, configOverride, q, externalThreshold);
    }

    public Options withActivation(Activation a) {
      return new Options(a, configOverride, quantization, externalThreshold);
    }

    public Options withConfig(Path c) {
      return new Options(activation, c, quantization, externalThreshold);
    }

    public Options withExternalThreshold(long bytes) {
      return new Options(activation, configOverride, quantization, bytes);
    }
  }

  private OnnxExport() {}

  /** Exports {@code resolved} (any layout {@link ModelCheckpoint} reads) into {@code outDir} (created; an earlier export there is replaced). */
  public static OnnxSidecar export(ResolvedModel resolved, Options options, Path outDir, ProgressListener progress)
      throws IOException, RemoteClipException {
    checkTarget(outDir.toAbsolutePath().normalize());
    ModelCheckpoint checkpoint = ModelCheckpoint.read(resolved.weights(), resolved.configFile(options.configOverride()),
        progress);
    ClipConfig config = checkpoint.config(options.activation(), resolved.activation());
    TokenizerSpec tokenizer = checkpoint.tokenizer(config, resolved.vocab());
    if (tokenizer.file() != null) {
      int vocabSize = tokenizer.open().vocabSize();
      if (vocabSize > config.text().vocabSize()) {
        throw new DataFormatException(resolved.vocab() + ": vocabulary has " + vocabSize + " tokens but the model's "
            + "token embedding has " + config.text().vocabSize() + " rows; this vocabulary does not belong to " + resolved.weights());
      }
    }
    PreprocessConfig pre = checkpoint.preprocess(config, resolved.meanArray(), resolved.stdArray(), !resolved.userFiles());
    return exportWithTokenizer(checkpoint.stateDict(), config, encoderId(resolved, config, pre, options.quantization()),
        resolved.name(), tokenizer, pre, options, outDir);
  }

  /**
   * Exports weights already in memory (a random-initialised model for benchmarks, a trainer's state) with a CLIP
   * BPE {@code vocab}, which may be null: the export then has no tokenizer and only its towers are usable.
   */
  public static OnnxSidecar exportWeights(StateDict sd, ClipConfig config, String encoderId, String modelName, Path vocab,
      PreprocessConfig pre, Options options, Path outDir) throws IOException, RemoteClipException {
    return exportWithTokenizer(sd, config, encoderId, modelName, vocab == null ? null
        : new TokenizerSpec(TokenizerSpec.Kind.CLIP_BPE, vocab), pre, options, outDir);
  }

  /**
   * Exports weights already in memory with {@code tokenizer} (null, or one without a file: the export then has no
   * tokenizer and only its towers are usable). A SentencePiece file is copied under its own name, with the
   * {@code tokenizer_config.json} and {@code special_tokens_map.json} beside it.
   */
  public static OnnxSidecar exportWithTokenizer(StateDict sd, ClipConfig config, String encoderId, String modelName,
      TokenizerSpec tokenizer, PreprocessConfig pre, Options options, Path outDir) throws IOException, RemoteClipException {
    Path target = outDir.toAbsolutePath().normalize();
    checkTarget(target);
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".");
    try {
      readableByAll(tmp);
      Quantization q = options.quantization();
      Map<String, String> meta = Map.of("remoteclip.encoder_id", encoderId);
      boolean imageExternal = OnnxModelWriter.write(ClipGraphs.image(sd, config, q), tmp.resolve(IMAGE_FILE),
          options.externalThreshold(), meta);
      boolean textExternal = OnnxModelWriter.write(ClipGraphs.text(sd, config, q), tmp.resolve(TEXT_FILE),
          options.externalThreshold(), meta);
      boolean siglip = config.family() == ModelFamily.SIGLIP;
      TokenizerSpec.Kind kind = tokenizer != null ? tokenizer.kind()
          : siglip ? TokenizerSpec.Kind.SENTENCEPIECE_OPEN_CLIP : TokenizerSpec.Kind.CLIP_BPE;
      Path vocab = tokenizer == null ? null : tokenizer.file();
      String vocabName = null;
      int vocabSize = config.text().vocabSize();
      int sot = vocabSize - 2;
      int eot = vocabSize - 1;
      if (vocab != null && kind == TokenizerSpec.Kind.CLIP_BPE) {
        ClipTokenizer clip = ClipTokenizer.load(vocab);
        vocabName = vocabName(vocab);
        Files.copy(vocab, tmp.resolve(vocabName));
        vocabSize = clip.vocabSize();
        sot = clip.startOfTextId();
        eot = clip.endOfTextId();
      } else if (vocab != null) {
        vocabName = vocab.getFileName().toString();
        Files.copy(vocab, tmp.resolve(vocabName));
        for (String beside : SENTENCEPIECE_COMPANIONS) {
          Path f = vocab.toAbsolutePath().resolveSibling(beside);
          if (!beside.equals(vocabName) && Files.isRegularFile(f)) {
            Files.copy(f, tmp.resolve(beside));
          }
        }
        vocabSize = tokenizer.open().vocabSize();
      }
      if (siglip) {
        sot = -1; // SigLIP rows have no start token; the end token is </s>, read from the tokenizer file
        eot = -1;
      }
      float bias = siglip ? sd.get("logit_bias").toFloats()[0] : 0f;
      OnnxSidecar sidecar = new OnnxSidecar(encoderId, modelName, config.architectureName(), visionType(config),
          config.activation().cliName(), q, config.embedDim(), sd.get("logit_scale").toFloats()[0], pre, vocabName,
          config.text().contextLength(), vocabSize, sot, eot, IMAGE_FILE, TEXT_FILE, imageExternal, textExternal,
          config.family(), bias, kind);
      Files.writeString(tmp.resolve(OnnxSidecar.FILE_NAME), sidecar.toJson());
      replace(tmp, target);
      return sidecar;
    } finally {
      deleteTree(tmp);
    }
  }

  /** Files a SentencePiece tokenizer reads beside its model file (special tokens, context length). */
  private static final List<String> SENTENCEPIECE_COMPANIONS = List.of("tokenizer_config.json", "special_tokens_map.json");

  private static String visionType(ClipConfig config) {
    if (config.vision() instanceof VitConfig) {
      return "vit";
    }
    return config.vision() instanceof SiglipVisionConfig ? "siglip-vit-map" : "modified-resnet";
  }

  /**
   * The {@link EncoderId} of the exported encoder (no band selection): for float32 the DJL engine's own (the
   * features agree to 1e-5, so cached embeddings and indexes are shared), {@code precision=int8} for int8
   * weights (different features).
   */
  public static String encoderId(ResolvedModel resolved, ClipConfig config, PreprocessConfig pre, Quantization q)
      throws IOException {
    String vocabSha = resolved.vocab() == null ? null : Checksums.sha256(resolved.vocab(), ProgressListener.NONE);
    return EncoderId.of(resolved.modelId(), config.activation(), q.cliName(), pre, null, vocabSha).toString();
  }

  /** True when {@code dir} holds an export (its sidecar). */
  public static boolean isExport(Path dir) {
    return Files.isRegularFile(dir.resolve(OnnxSidecar.FILE_NAME));
  }

  private static String vocabName(Path vocab) {
    String n = vocab.getFileName().toString();
    return n.endsWith(".gz") ? "vocab.txt.gz" : "vocab.txt";
  }

  private static void checkTarget(Path target) throws IOException, DataFormatException {
    if (Files.exists(target) && !Files.isDirectory(target)) {
      throw new DataFormatException(target + ": exists and is not a directory");
    }
    if (Files.isDirectory(target) && !isExport(target)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
        if (entries.iterator().hasNext()) {
          throw new DataFormatException(target + ": directory is not empty and holds no earlier export (" + OnnxSidecar.FILE_NAME
              + "); choose a new or empty directory");
        }
      }
    }
  }

  /** Puts the finished {@code tmp} in place of {@code target} (an earlier export or an empty directory). */
  private static void replace(Path tmp, Path target) throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old.");
      Files.delete(old);
      Files.move(target, old);
    }
    Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    if (old != null) {
      deleteTree(old);
    }
  }

  /** createTempDirectory makes owner-only directories; an export should look like any other output. */
  private static void readableByAll(Path dir) throws IOException {
    try {
      Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: keep the default
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
