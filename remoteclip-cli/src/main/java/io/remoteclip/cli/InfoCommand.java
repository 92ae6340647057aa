package io.remoteclip.cli;

import io.remoteclip.Json;
import io.remoteclip.cli.common.ConsoleProgress;
import io.remoteclip.cli.common.ModelOptions;
import io.remoteclip.checkpoint.DType;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.checkpoint.TensorData;
import io.remoteclip.hub.ResolvedModel;
import io.remoteclip.image.PreprocessConfig;
import io.remoteclip.layout.ModelCheckpoint;
import io.remoteclip.layout.TokenizerSpec;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ResNetConfig;
import io.remoteclip.model.SiglipVisionConfig;
import io.remoteclip.model.VitConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints the family, layout, architecture, preprocessing and tokenizer inferred from a model's files. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = "Prints what the model's files say as JSON: family (clip, siglip), layout (open_clip, transformers, and "
        + "what was unwrapped or renamed), architecture from the tensor shapes (tower type, widths, layers, heads, patch, "
        + "image size, embed dim, context, vocab, parameter count, dtype), preprocessing and tokenizer.",
    footer = {"%nExample:%n  remoteclip info --model ../shared/golden/vit-tiny/model.pt"})
public final class InfoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @Override
  public Integer call() throws Exception {
    ResolvedModel resolved = modelOptions.choice().resolve(false);
    Path weights = resolved.weights();
    Path configFile = resolved.configFile(modelOptions.choice().config());
    ModelCheckpoint checkpoint = ModelCheckpoint.read(weights, configFile, io.remoteclip.ProgressListener.NONE);
    StateDict sd = checkpoint.stateDict();
    ClipConfig c = checkpoint.config(modelOptions.choice().activation(), resolved.activation());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("file", weights.toString());
    out.put("architecture", c.architectureName());
    Map<String, Object> vision = new LinkedHashMap<>();
    if (c.vision() instanceof VitConfig v) {
      vision.put("type", "vit");
      vision.put("width", v.width());
      vision.put("layers", v.layers());
      vision.put("heads", v.heads());
      vision.put("patch_size", v.patchSize());
    } else if (c.vision() instanceof SiglipVisionConfig v) {
      vision.put("type", "vit-map"); // no class token, attention-pooling head
      vision.put("width", v.width());
      vision.put("layers", v.layers());
      vision.put("heads", v.heads());
      vision.put("patch_size", v.patchSize());
      vision.put("mlp_width", v.mlpWidth());
    } else if (c.vision() instanceof ResNetConfig r) {
      vision.put("type", "modified_resnet");
      vision.put("width", r.width());
      vision.put("layers", r.layers());
      vision.put("heads", r.heads());
    }
    vision.put("image_size", c.vision().imageSize());
    out.put("vision", vision);
    Map<String, Object> text = new LinkedHashMap<>();
    text.put("width", c.text().width());
    text.put("layers", c.text().layers());
    text.put("heads", c.text().heads());
    text.put("context_length", c.text().contextLength());
    text.put("vocab_size", c.text().vocabSize());
    out.put("text", text);
    out.put("embed_dim", c.embedDim());
    out.put("activation", c.activation().cliName());
    out.put("family", c.family().cliName());
    out.put("scores", c.family().scores());
    TensorData scale = sd.asMap().get("logit_scale");
    if (scale != null && scale.numel() == 1) {
      // exp(logit_scale): eval zeroshot --transductive --text-scale on a SigLIP's embeddings files
      out.put("logit_scale_exp", (float) Math.exp(scale.toFloats()[0]));
    }
    Map<String, Object> layout = new LinkedHashMap<>();
    layout.put("format", checkpoint.layout().cliName());
    layout.put("notes", checkpoint.notes());
    out.put("layout", layout);
    PreprocessConfig p = checkpoint.preprocess(c, resolved.meanArray(), resolved.stdArray(), !resolved.userFiles());
    Map<String, Object> pre = new LinkedHashMap<>();
    pre.put("image_size", p.imageSize());
    pre.put("resize", p.resizeMode().openClipName());
    pre.put("interpolation", p.resample().name().toLowerCase(java.util.Locale.ROOT));
    pre.put("mean", p.mean());
    pre.put("std", p.std());
    out.put("preprocess", pre);
    TokenizerSpec tok = checkpoint.tokenizer(c, resolved.vocab());
    Map<String, Object> tokenizer = new LinkedHashMap<>();
    tokenizer.put("kind", tok.kind().cliName());
    tokenizer.put("file", tok.file() == null ? null : tok.file().toString());
    out.put("tokenizer", tokenizer);
    out.put("parameters", sd.parameterCount());
    Map<String, Integer> dtypes = new TreeMap<>();
    for (TensorData t : sd.asMap().values()) {
      dtypes.merge(t.dtype().name().toLowerCase(), 1, Integer::sum);
    }
    out.put("dtype", dominant(sd));
    out.put("tensors_by_dtype", dtypes);
    out.put("tensors", sd.size());
    out.put("config_file", configFile == null ? null : configFile.toString());
    spec.commandLine().getOut().println(Json.prettyString(out));
    return 0;
  }

  private static String dominant(StateDict sd) {
    Map<DType, Long> bytes = new TreeMap<>();
    for (TensorData t : sd.asMap().values()) {
      bytes.merge(t.dtype(), t.numel(), Long::sum);
    }
    return bytes.entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> e.getKey().name().toLowerCase()).orElse("none");
  }
}
