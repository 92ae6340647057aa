package io.remoteclip.cli;

import io.remoteclip.Json;
import io.remoteclip.cli.common.ConsoleProgress;
import io.remoteclip.cli.common.ModelOptions;
import io.remoteclip.checkpoint.Checkpoints;
import io.remoteclip.checkpoint.DType;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.checkpoint.TensorData;
import io.remoteclip.hub.ResolvedModel;
import io.remoteclip.model.Activation;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ClipConfigs;
import io.remoteclip.model.ClipLayout;
import io.remoteclip.model.ResNetConfig;
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

/** Prints the architecture inferred from a checkpoint's tensor shapes. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = "Prints the architecture inferred from the checkpoint's tensor shapes as JSON (tower type, widths, layers, "
        + "heads, patch, image size, embed dim, context, vocab, parameter count, dtype).",
    footer = {"%nExample:%n  remoteclip info --model ../shared/golden/vit-tiny/model.pt"})
public final class InfoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @Override
  public Integer call() throws Exception {
    ResolvedModel resolved = modelOptions.choice().resolve(false);
    Path weights = resolved.weights();
    StateDict sd = Checkpoints.read(weights);
    Path configFile = resolved.configFile(modelOptions.choice().config());
    var cfgJson = ClipConfigs.readModelConfig(configFile);
    Activation explicit = modelOptions.choice().activation();
    ClipConfig c = ClipConfigs.infer(sd, cfgJson, ClipConfigs.chooseActivation(explicit, cfgJson, resolved.activation()));
    ClipLayout.validate(sd, c);
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
