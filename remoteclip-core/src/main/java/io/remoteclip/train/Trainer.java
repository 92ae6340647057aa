package io.remoteclip.train;

import io.remoteclip.Json;
import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remoteclip.DataFormatException;
import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import io.remoteclip.checkpoint.Checkpoints;
import io.remoteclip.checkpoint.DType;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.checkpoint.TensorData;
import io.remoteclip.dataset.CaptionDataset;
import io.remoteclip.dataset.KarpathyCaptions;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.eval.EncoderEvaluations;
import io.remoteclip.eval.RetrievalMetrics;
import io.remoteclip.fs.AtomicFiles;
import io.remoteclip.image.PreprocessConfig;
import io.remoteclip.image.Resample;
import io.remoteclip.image.TrainTransform;
import io.remoteclip.model.Architectures;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ClipConfigs;
import io.remoteclip.model.ModelFamily;
import io.remoteclip.model.ClipInit;
import io.remoteclip.model.ClipModel;
import io.remoteclip.layout.CheckpointLayout;
import io.remoteclip.layout.ModelCheckpoint;
import io.remoteclip.layout.TokenizerSpec;
import io.remoteclip.layout.TransformersFolder;
import io.remoteclip.model.Weights;
import io.remoteclip.tokenizer.ClipTokenizer;
import io.remoteclip.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Continual contrastive pre-training / fine-tuning (SPEC §6): epochs over a caption set with one random
 * caption per image, AdamW + warm-up + cosine, optional accumulation and clipping, per-epoch validation
 * (retrieval mean recall), and resumable checkpoints.
 *
 * <p>Output directory: {@code open_clip_config.json}, {@code log.jsonl} (one JSON object per step and per
 * validation), {@code checkpoints/epoch_N.pt}, {@code checkpoints/best.pt} (highest validation mean recall),
 * and the resumable state {@code checkpoints/state-step<N>.pt} + {@code .optim.safetensors}, pointed to by
 * {@code checkpoints/latest.json}. Every file is written atomically and latest.json last, so a run killed
 * at any moment resumes from the last complete state.
 *
 * <p>A SigLIP trains with open_clip's {@code SigLipLoss} ({@link ContrastiveStep}) and is written in the layout it
 * was read from: from a transformers folder, {@code checkpoints/epoch_N/} and {@code best/} are transformers folders
 * ({@link TransformersFolder}); resumable state stays in open_clip names either way.
 */
public final class Trainer {
  private static final ObjectMapper JSON = Json.mapper();

  private final TrainOptions o;
  private final Consumer<String> info;
  private final ProgressListener progress;
  private long stopAfter = Long.MAX_VALUE;

  public Trainer(TrainOptions options, Consumer<String> info, ProgressListener progress) {
    this.o = options;
    this.info = info;
    this.progress = progress;
  }

  /**
   * Stops cleanly after {@code step} optimizer steps, saving resumable state (time-boxed jobs on
   * preemptible machines; {@code --resume} continues exactly where it stopped).
   */
  public Trainer stopAfter(long step) {
    this.stopAfter = step;
    return this;
  }

  /** Runs (or resumes) training; returns the best validation mean recall (NaN without validation). */
  public double run(boolean resume) throws IOException, RemoteClipException {
    Path ckptDir = o.out().resolve("checkpoints");
    Files.createDirectories(ckptDir);
    TrainingSet set = TrainingSet.load(o.train(), o.trainSplit());
    if (set.items().size() < o.batchSize() * o.accum()) {
      throw new DataFormatException(o.train().get(0) + ": " + set.items().size() + " images, fewer than one step of "
          + o.batchSize() * o.accum() + " (batch size x accumulation)");
    }
    CaptionDataset val = o.val() == null ? null : KarpathyCaptions.load(o.val()).split(o.valSplit());
    if (val != null && val.images().isEmpty()) {
      throw new DataFormatException(o.val() + ": no images in split '" + o.valSplit() + "'");
    }

    JsonNode latest = resume ? readLatest(ckptDir) : null;
    StateDict initial;
    Map<String, DType> dtypes;
    ClipConfig config;
    // what the weights came in: a transformers folder is written back as one, and gives the tokenizer pipeline
    ModelCheckpoint source = null;
    Path vocab = o.vocab();
    if (latest != null) {
      initial = Checkpoints.read(ckptDir.resolve(latest.get("model").asText()));
      dtypes = readDtypes(latest);
      if (latest.has("vocab")) { // a SigLIP's SentencePiece file: not the vocabulary --resume resolves by default
        vocab = latest.get("vocab").isNull() ? null : Path.of(latest.get("vocab").asText());
      }
      if (latest.hasNonNull("source_weights")) {
        source = ModelCheckpoint.read(Path.of(latest.get("source_weights").asText()),
            Path.of(latest.get("source_config").asText()), ProgressListener.NONE);
        config = source.config(o.activation(), null);
      } else {
        config = ClipConfigs.infer(initial, ClipConfigs.readModelConfig(o.out().resolve(ModelConfigJson.FILE_NAME)), null);
      }
    } else if (o.model() != null) {
      Path cfgFile = o.configJson() != null ? o.configJson() : ClipConfigs.findConfigNextTo(o.model());
      source = ModelCheckpoint.read(o.model(), cfgFile, ProgressListener.NONE);
      initial = source.stateDict();
      config = source.config(o.activation(), null);
      dtypes = CheckpointExport.dtypes(initial);
    } else {
      config = Architectures.parse(o.arch(), ClipTokenizer.load(vocab).vocabSize());
      if (o.activation() != null) {
        config = config.withActivation(o.activation());
      }
      initial = ClipInit.random(config, o.seed());
      dtypes = CheckpointExport.dtypes(initial);
    }
    boolean transformersOut = source != null && source.layout() == CheckpointLayout.TRANSFORMERS;
    TextTokenizer tokenizer = (source != null ? source.tokenizer(config, vocab)
        : new TokenizerSpec(config.family() == ModelFamily.CLIP ? TokenizerSpec.Kind.CLIP_BPE
            : TokenizerSpec.Kind.SENTENCEPIECE_OPEN_CLIP, vocab)).open();
    if (tokenizer.vocabSize() > config.text().vocabSize()) {
      throw new DataFormatException(vocab + ": vocabulary of " + tokenizer.vocabSize() + " tokens does not fit the model's "
          + config.text().vocabSize() + "-row token embedding");
    }
    PreprocessConfig pre = source == null || config.family() == ModelFamily.CLIP
        ? new PreprocessConfig(config.vision().imageSize(), o.mean(), o.std(), Resample.BICUBIC)
        : source.preprocess(config, o.mean(), o.std(), false);
    if (config.family() == ModelFamily.CLIP) {
      ModelConfigJson.write(o.out().resolve(ModelConfigJson.FILE_NAME), config, o.mean(), o.std());
      // a copy beside the checkpoints, where loaders look for it (head counts are not in the shapes)
      ModelConfigJson.write(ckptDir.resolve(ModelConfigJson.FILE_NAME), config, o.mean(), o.std());
    } else if (!transformersOut && source != null && source.modelConfig() != null) {
      // SigLIP in open_clip's layout: its own model_cfg (timm trunk name, tokenizer, pooling) is what reloads it
      ModelConfigJson.write(o.out().resolve(ModelConfigJson.FILE_NAME), source.modelConfig(), pre.mean(), pre.std());
      ModelConfigJson.write(ckptDir.resolve(ModelConfigJson.FILE_NAME), source.modelConfig(), pre.mean(), pre.std());
    }
    TrainTransform transform = new TrainTransform(pre, o.augment());
    tokenizer = tokenizer.withContextLength(config.text().contextLength());

    int stepsPerEpoch = set.items().size() / (o.batchSize() * o.accum());
    long totalSteps = (long) stepsPerEpoch * o.epochs();
    CosineSchedule schedule = new CosineSchedule(o.lr(), o.warmup(), totalSteps);
    info.accept(String.format(Locale.ROOT, "training %s (%s, %,d parameters) on %d images / %d captions: %d epochs x %d steps, "
            + "batch %d x %d, lr %g, wd %g, warmup %d, augment %s, freeze %s",
        config.architectureName(), config.vision().getClass().getSimpleName().replace("Config", ""), initial.parameterCount(),
        set.items().size(), set.captionCount(), o.epochs(), stepsPerEpoch, o.batchSize(), o.accum(), o.lr(), o.weightDecay(),
        o.warmup(), o.augment().name().toLowerCase(Locale.ROOT), o.freeze().name().toLowerCase(Locale.ROOT)));

    Path log = o.out().resolve("log.jsonl");
    try (ClipModel model = ClipModel.load(initial, config, "training");
        BatchLoader loader = new BatchLoader(set, transform, config.vision().imageSize(), tokenizer, o.batchSize(),
            o.loaderThreads(), 3)) {
      initial = null; // the weights now live in native memory
      AdamW adamW = new AdamW(0.9, 0.98, 1e-6);
      ContrastiveStep step = new ContrastiveStep(model, adamW, o.freeze(), o.weightDecay(), o.clipNorm());
      long globalStep = 0;
      double best = Double.NaN;
      if (latest != null) {
        globalStep = latest.get("step").asLong();
        best = latest.get("best_mean_recall").isNull() ? Double.NaN : latest.get("best_mean_recall").asDouble();
        restoreOptimizer(adamW, step, ckptDir.resolve(latest.get("optimizer").asText()), latest.get("optimizer_steps").asLong());
        truncateLog(log, globalStep);
        info.accept("resumed from " + ckptDir.resolve(latest.get("model").asText()) + " at step " + globalStep);
      } else {
        Files.deleteIfExists(log);
        if (val != null) {
          best = validate(model, tokenizer, pre, val, 0, 0, log);
        }
      }
      progress.start("training", totalSteps);
      progress.update(globalStep);
      long windowStart = System.nanoTime();
      long windowImages = 0;
      for (int epoch = (int) (globalStep / stepsPerEpoch); epoch < o.epochs(); epoch++) {
        EpochPlan plan = new EpochPlan(set, o.seed(), epoch);
        int firstStep = (int) (globalStep - (long) epoch * stepsPerEpoch);
        loader.startEpoch(plan, firstStep * o.accum());
        for (int s = firstStep; s < stepsPerEpoch; s++) {
          double lr = schedule.lr(globalStep);
          double lossSum = 0;
          for (int m = 0; m < o.accum(); m++) {
            BatchLoader.Batch b = loader.get(s * o.accum() + m);
            lossSum += step.accumulate(b.pixels(), b.tokens(), o.accum());
          }
          // NaN weights stay NaN: stop at the step that went wrong, before any checkpoint of them
          if (!Double.isFinite(lossSum)) {
            throw diverged(globalStep + 1, "the loss is not finite (" + lossSum + ")");
          }
          step.update(lr);
          if (!step.parametersFinite()) {
            throw diverged(globalStep + 1, "its update made the weights not finite (NaN or infinity)");
          }
          globalStep++;
          windowImages += (long) o.batchSize() * o.accum();
          double secs = (System.nanoTime() - windowStart) / 1e9;
          Map<String, Object> entry = new LinkedHashMap<>(); // in this order on every run (not Map.of's)
          entry.put("step", globalStep);
          entry.put("epoch", epoch + (s + 1.0) / stepsPerEpoch);
          entry.put("loss", lossSum / o.accum());
          entry.put("logit_scale", (double) model.logitScale());
          entry.put("lr", lr);
          entry.put("images_per_s", windowImages / Math.max(secs, 1e-9));
          appendLog(log, entry);
          progress.update(globalStep);
          if (globalStep >= stopAfter && s + 1 < stepsPerEpoch) {
            saveState(model, config, dtypes, adamW, ckptDir, globalStep, best, source, vocab);
            info.accept("stopped after step " + globalStep + " as asked; resumable state in " + o.out());
            progress.finish();
            return best;
          }
          if (o.saveEverySteps() > 0 && globalStep % o.saveEverySteps() == 0 && s + 1 < stepsPerEpoch) {
            saveState(model, config, dtypes, adamW, ckptDir, globalStep, best, source, vocab);
          }
        }
        windowStart = System.nanoTime();
        windowImages = 0;
        String suffix = transformersOut ? "" : ".pt";
        StateDict sd = CheckpointExport.toStateDict(model.weights(), config, dtypes, ckptDir.resolve("epoch_" + (epoch + 1) + suffix));
        writeCheckpoint(ckptDir.resolve("epoch_" + (epoch + 1) + suffix), sd, source, config);
        if (val != null) {
          double mr = validate(model, tokenizer, pre, val, epoch + 1, globalStep, log);
          if (Double.isNaN(best) || mr > best) {
            best = mr;
            writeCheckpoint(ckptDir.resolve("best" + suffix), sd, source, config);
          }
        }
        saveState(model, config, dtypes, adamW, ckptDir, globalStep, best, source, vocab);
        if (globalStep >= stopAfter && epoch + 1 < o.epochs()) {
          info.accept("stopped after step " + globalStep + " as asked; resumable state in " + o.out());
          break;
        }
      }
      progress.finish();
      return best;
    }
  }

  private RemoteClipException diverged(long step, String what) {
    progress.finish();
    return new RemoteClipException(o.out() + ": training diverged at step " + step + ": " + what
        + "; try a lower learning rate");
  }

  private double validate(ClipModel model, TextTokenizer tokenizer, PreprocessConfig pre, CaptionDataset val, int epoch,
      long step, Path log) throws IOException, RemoteClipException {
    boolean bn = model.weights().batchNormTraining();
    model.weights().setBatchNormTraining(false);
    try (ClipEncoder encoder = ClipEncoder.borrowing(model, tokenizer, pre, o.batchSize(), o.loaderThreads())) {
      RetrievalMetrics m = EncoderEvaluations.retrieval(encoder, val, ProgressListener.NONE);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("step", step);
      entry.put("epoch", epoch);
      entry.put("val_split", o.valSplit());
      entry.putAll(m.summary());
      appendLog(log, entry);
      info.accept(String.format(Locale.ROOT, "epoch %d: validation (%s, %d images) mean recall %.2f (I->T R@1 %.2f, T->I R@1 %.2f)",
          epoch, o.valSplit(), m.images(), m.meanRecall(), m.i2tR1(), m.t2iR1()));
      return m.meanRecall();
    } finally {
      model.weights().setBatchNormTraining(bn);
    }
  }

  /** A checkpoint in the layout training started from: a transformers folder, else an open_clip {@code .pt}. */
  private static void writeCheckpoint(Path target, StateDict sd, ModelCheckpoint source, ClipConfig config)
      throws IOException, RemoteClipException {
    if (source != null && source.layout() == CheckpointLayout.TRANSFORMERS) {
      TransformersFolder.write(target, sd, source, config.family(), "train");
    } else {
      Checkpoints.write(target, sd);
    }
  }

  private void saveState(ClipModel model, ClipConfig config, Map<String, DType> dtypes, AdamW adamW, Path dir, long step,
      double best, ModelCheckpoint source, Path vocab) throws IOException {
    String stem = "state-step" + step;
    // resumable state stays in float32 whatever the input dtype, so a resumed run continues bit for bit
    Checkpoints.write(dir.resolve(stem + ".pt"), CheckpointExport.toStateDict(model.weights(), config, Map.of(), dir.resolve(stem)));
    Map<String, TensorData> moments = new LinkedHashMap<>();
    adamW.firstMoments().forEach((k, v) -> moments.put("exp_avg." + k, floats(v)));
    adamW.secondMoments().forEach((k, v) -> moments.put("exp_avg_sq." + k, floats(v)));
    Checkpoints.write(dir.resolve(stem + ".optim.safetensors"), new StateDict(moments, dir.resolve(stem)));
    ObjectNode latest = JSON.createObjectNode();
    latest.put("step", step);
    latest.put("optimizer_steps", adamW.stepCount());
    latest.put("model", stem + ".pt");
    latest.put("optimizer", stem + ".optim.safetensors");
    if (Double.isNaN(best)) {
      latest.putNull("best_mean_recall");
    } else {
      latest.put("best_mean_recall", best);
    }
    if (source != null && source.layout() == CheckpointLayout.TRANSFORMERS) {
      // a resumed run writes the same folders, so it needs the folder training started from
      latest.put("source_weights", source.stateDict().source().toAbsolutePath().toString());
      latest.put("source_config", source.configFile().toAbsolutePath().toString());
    }
    if (config.family() != ModelFamily.CLIP) {
      latest.put("vocab", vocab == null ? null : vocab.toAbsolutePath().toString());
    }
    ObjectNode types = latest.putObject("dtypes");
    dtypes.forEach((k, v) -> types.put(k, v.name()));
    AtomicFiles.writeString(dir.resolve("latest.json"), Json.pretty().writeValueAsString(latest));
    try (var files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String n = p.getFileName().toString();
        if (n.startsWith("state-step") && !n.startsWith(stem + ".")) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static TensorData floats(NDArray a) {
    return TensorData.ofFloats(Weights.read(a), a.getShape().getShape());
  }

  private static JsonNode readLatest(Path dir) throws IOException, DataFormatException {
    Path f = dir.resolve("latest.json");
    if (!Files.exists(f)) {
      throw new DataFormatException(f + ": no resumable state (was the run written to this directory?)");
    }
    JsonNode n = JSON.readTree(f.toFile());
    for (String k : new String[] {"step", "optimizer_steps", "model", "optimizer", "dtypes"}) {
      if (n == null || !n.has(k)) {
        throw new DataFormatException(f + ": missing '" + k + "'");
      }
    }
    return n;
  }

  private static Map<String, DType> readDtypes(JsonNode latest) {
    Map<String, DType> out = new LinkedHashMap<>();
    latest.get("dtypes").fields().forEachRemaining(e -> out.put(e.getKey(), DType.valueOf(e.getValue().asText())));
    return out;
  }

  private static void restoreOptimizer(AdamW adamW, ContrastiveStep step, Path file, long optimizerSteps) throws IOException {
    StateDict sd = Checkpoints.read(file);
    Map<String, NDArray> first = new LinkedHashMap<>();
    Map<String, NDArray> second = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : step.trainable().entrySet()) {
      TensorData m = sd.asMap().get("exp_avg." + e.getKey());
      TensorData v = sd.asMap().get("exp_avg_sq." + e.getKey());
      if (m != null && v != null) {
        first.put(e.getKey(), Weights.toNDArray(m, e.getValue().getManager()));
        second.put(e.getKey(), Weights.toNDArray(v, e.getValue().getManager()));
      }
    }
    adamW.restore(first.isEmpty() ? 0 : optimizerSteps, first, second);
  }

  private static void truncateLog(Path log, long step) throws IOException {
    if (!Files.exists(log)) {
      return;
    }
    List<String> keep = new ArrayList<>();
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      try {
        JsonNode n = JSON.readTree(line);
        if (n.has("step") && n.get("step").asLong() <= step) {
          keep.add(line);
        }
      } catch (IOException e) {
        // a line cut by the kill: drop it
      }
    }
    AtomicFiles.writeString(log, keep.isEmpty() ? "" : String.join("\n", keep) + "\n");
  }

  private static void appendLog(Path log, Map<String, ?> entry) throws IOException {
    Files.writeString(log, JSON.writeValueAsString(entry) + "\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
  }
}
