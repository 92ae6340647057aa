package io.remoteclip.cli;

import io.remoteclip.cli.common.Ranges;
import io.remoteclip.cli.common.Usage;
import io.remoteclip.cli.common.ConsoleProgress;
import io.remoteclip.cli.common.EngineThreads;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.hub.ResolvedModel;
import io.remoteclip.image.PreprocessConfig;
import io.remoteclip.image.TrainTransform;
import io.remoteclip.model.Activation;
import io.remoteclip.train.Freeze;
import io.remoteclip.train.TrainOptions;
import io.remoteclip.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import io.remoteclip.cli.common.ModelChoice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Contrastive (continual) pre-training or fine-tuning on an image–caption set. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Trains a CLIP with the symmetric InfoNCE loss (learnable logit scale clamped to ln 100), AdamW (betas 0.9/0.98,",
      "eps 1e-6, open_clip's weight-decay exclusions), linear warm-up then cosine decay. Starts from a checkpoint",
      "(--model) or from scratch (--arch). Writes open_clip-loadable .pt checkpoints every epoch (and the best one by",
      "validation retrieval mean recall), a JSON-lines log, and resumable state (--resume). A SigLIP trains with",
      "open_clip's sigmoid loss (SigLipLoss, learned logit scale and bias); a transformers folder in gives",
      "transformers folders out (checkpoints/epoch_N/, best/)."
    },
    footer = {"%nExamples:",
      "  remoteclip train --model RemoteCLIP-ViT-B-32 --train captions.csv --val dataset_rsitmd.json --epochs 5 \\",
      "      --batch-size 64 --lr 1e-5 --wd 0.2 --warmup 100 --augment rs --out runs/rsitmd",
      "  remoteclip train --arch vit:width=256,layers=4,patch=32,text-width=256,text-layers=4,embed=256 \\",
      "      --vocab ../shared/golden/tokenizer/bpe_simple_vocab_16e6.txt.gz \\",
      "      --train ../shared/data/ucm-captions/dataset_ucm.json --val ../shared/data/ucm-captions/dataset_ucm.json \\",
      "      --epochs 10 --batch-size 64 --lr 5e-4 --out runs/ucm-scratch",
      "  remoteclip train --resume runs/ucm-scratch   (same options as the interrupted run)"})
public final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ModelChoice model;

  @Option(names = "--arch", paramLabel = "NAME", description = "Train from scratch instead of continuing from --model: "
      + "ViT-B-32, ViT-B-16, ViT-L-14, ViT-L-14-336, ViT-H-14, RN50, RN101 or a custom spec "
      + "(vit:width=..,layers=..,patch=..,text-width=..,text-layers=..,embed=..).")
  String arch;

  @Option(names = "--train", required = true, paramLabel = "FILE",
      description = "captions.csv (filepath<TAB>title, header row) or a Karpathy caption JSON; repeat to combine sources.")
  java.util.List<Path> train;

  @Option(names = "--train-split", defaultValue = "train", description = "Split of a Karpathy JSON to train on (default: ${DEFAULT-VALUE}).")
  String trainSplit;

  @Option(names = "--val", paramLabel = "JSON", description = "Karpathy caption JSON for per-epoch retrieval validation.")
  Path val;

  @Option(names = "--val-split", defaultValue = "val", description = "Split of --val (default: ${DEFAULT-VALUE}).")
  String valSplit;

  @Option(converter = Ranges.Positive.class, names = "--epochs", defaultValue = "1",
      description = "Passes over the training data." + Ranges.Positive.HELP) int epochs;
  @Option(converter = Ranges.Positive.class, names = "--batch-size", defaultValue = "32",
      description = "Image-caption pairs per micro-batch." + Ranges.Positive.HELP) int batchSize;
  @Option(converter = Ranges.Positive.class, names = "--accum", defaultValue = "1",
      description = "Micro-batches per optimizer step (gradients summed)." + Ranges.Positive.HELP) int accum;
  @Option(converter = Ranges.PositiveDouble.class, names = "--lr", defaultValue = "5e-4",
      description = "Peak learning rate (AdamW, cosine schedule)." + Ranges.PositiveDouble.HELP) double lr;
  @Option(converter = Ranges.NonNegativeDouble.class, names = "--wd", defaultValue = "0.2",
      description = "AdamW weight decay." + Ranges.NonNegativeDouble.HELP) double wd;
  @Option(converter = Ranges.NonNegative.class, names = "--warmup", defaultValue = "0",
      description = "Warm-up steps." + Ranges.NonNegative.HELP) int warmup;
  @Option(converter = Ranges.NonNegativeDouble.class, names = "--grad-clip", defaultValue = "0",
      description = "Clip the global gradient norm (0: off)." + Ranges.NonNegativeDouble.HELP) double gradClip;

  @Option(names = "--augment", defaultValue = "clip", description = "clip (RandomResizedCrop 0.9-1.0), rs (+ flips, 90° rotations) or none.")
  String augment;

  @Option(names = "--freeze", description = "image (locked-image tuning) or text.") String freeze;

  @Option(names = "--out", required = true, paramLabel = "DIR") Path out;

  @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run whose --out was DIR.") Path resume;

  @Option(converter = Ranges.Seed.class, names = "--seed", defaultValue = "0",
      description = "Seed of the shuffling, augmentation and initialisation." + Ranges.Seed.HELP) long seed;

  @Option(converter = Ranges.NonNegative.class, names = "--save-every", defaultValue = "0", paramLabel = "STEPS",
      description = "Also save resumable state every N steps." + Ranges.NonNegative.HELP)
  int saveEvery;

  @Option(converter = Ranges.Threads.class, names = "--threads", defaultValue = "0",
      description = "Compute threads (0 = all cores)." + Ranges.Threads.HELP) int threads;

  @Option(converter = Ranges.PositiveLong.class, names = "--stop-after", paramLabel = "STEPS",
      description = "Stop cleanly after this many optimizer steps "
      + "(time-boxed jobs); --resume continues." + Ranges.PositiveLong.HELP)
  Long stopAfter;

  @Override
  public Integer call() throws Exception {
    EngineThreads.configure(threads);
    if (epochs <= 0 || batchSize <= 1 || accum <= 0 || lr <= 0 || wd < 0 || warmup < 0) {
      throw Usage.error(spec, "need --epochs > 0, --batch-size > 1, --accum > 0, --lr > 0, --wd >= 0, --warmup >= 0");
    }
    Path outDir = resume != null ? resume : out;
    if (resume != null && out != null && !resume.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
      throw Usage.error(spec, "--resume " + resume + " and --out " + out + " differ; resume writes into the run's own directory");
    }
    if (resume == null && Files.exists(outDir.resolve("checkpoints/latest.json"))) {
      throw Usage.error(spec, outDir + " already holds a run; use --resume " + outDir + " or another --out");
    }
    Usage.require(spec, arch == null || !model.explicit(), "--model and --arch exclude each other (continue a "
        + "checkpoint, or train from scratch)");
    TrainTransform.Preset preset = Usage.parse(spec, "--augment", augment, TrainTransform.Preset::parse);
    Freeze frozen = freeze == null ? Freeze.NONE
        : Usage.parse(spec, "--freeze", freeze, f -> Freeze.valueOf(f.toUpperCase(Locale.ROOT)));
    ModelResolver resolver = ModelResolver.fromEnvironment();
    Path weights = null;
    Path vocabFile = model.vocab();
    float[] mean = PreprocessConfig.OPENAI_MEAN;
    float[] std = PreprocessConfig.OPENAI_STD;
    Activation act = model.activation();
    Path cfg = model.config();
    if (arch == null) {
      ResolvedModel r = model.resolve();
      weights = r.weights();
      vocabFile = r.vocab();
      mean = r.meanArray();
      std = r.stdArray();
      cfg = r.configFile(cfg);
      act = io.remoteclip.model.ClipConfigs.chooseActivation(act, io.remoteclip.model.ClipConfigs.readModelConfig(cfg),
          r.activation());
    } else if (vocabFile == null) {
      vocabFile = resolver.defaultVocabulary(ConsoleProgress.stderr());
    }
    TrainOptions options;
    try {
      options = new TrainOptions(weights, arch, vocabFile, cfg, act, mean, std, train, trainSplit, val, valSplit,
          epochs, batchSize, accum, lr, wd, warmup, gradClip, preset, frozen, outDir, seed, saveEvery,
          Math.max(1, Runtime.getRuntime().availableProcessors()));
    } catch (IllegalArgumentException e) { // a non-finite hyper-parameter
      throw Usage.error(spec, e.getMessage());
    }
    PrintWriter err = spec.commandLine().getErr();
    double best = new Trainer(options, line -> {
      err.println(line);
      err.flush();
    }, ConsoleProgress.stderr()).stopAfter(stopAfter == null ? Long.MAX_VALUE : stopAfter).run(resume != null);
    spec.commandLine().getOut().printf(Locale.ROOT, "finished: checkpoints in %s%s%n", outDir.resolve("checkpoints"),
        Double.isNaN(best) ? "" : String.format(Locale.ROOT, "; best validation mean recall %.2f (%s)", best,
            Files.isDirectory(outDir.resolve("checkpoints/best")) ? "best/" : "best.pt"));
    return 0;
  }
}
