package io.remoteclip.cli;

import io.remoteclip.cli.common.ZeroShotOptions;
import io.remoteclip.Json;
import io.remoteclip.cli.common.ModelOptions;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.DataFormatException;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.encode.ImageEncoding;
import io.remoteclip.eval.ZeroShotClassifier;
import io.remoteclip.eval.transductive.TransClip;
import io.remoteclip.eval.transductive.TransClipOptions;
import io.remoteclip.model.ModelFamily;
import io.remoteclip.vector.Vectors;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Zero-shot classification of images against free-text labels. */
@Command(
    name = "classify",
    mixinStandardHelpOptions = true,
    description = {
      "Zero-shot classifies images: each label is put into the prompt template(s), the text embeddings are",
      "averaged per label (open_clip's convention: normalise, average, renormalise), and each image gets the",
      "softmax of exp(logit_scale) x cosine over the labels (CLIP models), or per label the sigmoid of",
      "exp(logit_scale) x cosine + logit_bias (SigLIP models; a first line says so, --json has \"scores\").",
      "With --transductive the images are classified jointly (TransCLIP): the scores are the assignments of a",
      "Gaussian mixture fitted over all given images with their k-NN graph, kept near the text predictions."
    },
    footer = {"%nExamples:",
      "  remoteclip classify --labels \"airport,beach,forest,harbor,river\" --top-k 3 ../shared/data/ucm-captions/images/101.jpg",
      "  remoteclip classify --transductive --labels-file classes.txt --json tiles/"})
public final class ClassifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @Mixin ZeroShotOptions zeroShot;

  @Option(names = "--json", description = "One JSON object per image.")
  boolean json;

  @Option(names = "--transductive",
      description = "Classify all the images jointly (TransCLIP; needs at least as many images as labels, and 4).")
  boolean transductive;

  @Parameters(arity = "1..*", paramLabel = "IMAGE",
      description = "Image files or directories, or http(s):// and s3:// URIs of images (fetched whole).")
  List<io.remoteclip.remote.RasterLocation> images;

  @Override
  public Integer call() throws Exception {
    List<String> classes = zeroShot.classes();
    List<String> prompts = zeroShot.prompts();
    int topK = zeroShot.topK();
    PrintWriter out = spec.commandLine().getOut();
    ObjectMapper mapper = Json.mapper();
    try (RemoteImages inputs = RemoteImages.of(images); ClipEncoder encoder = modelOptions.open()) {
      List<Path> files = inputs.files();
      ZeroShotClassifier classifier = ZeroShotClassifier.build(encoder, classes, prompts, encoder.towers());
      ImageEncoding enc = encoder.encodeImageFiles(files, false, io.remoteclip.ProgressListener.NONE);
      float[][] joint = null;
      if (transductive && !enc.files().isEmpty()) {
        // the solver's text prior is a distribution over the labels: a SigLIP's is the softmax of its own logits
        // (its bias cancels), at its own trained scale where the reference uses CLIP's 100
        TransClipOptions options = TransClipOptions.reference().withTextScale(encoder.logitScale().factor());
        joint = TransClip.solve(enc.embeddings(), classifier.classVectors(), options).assignments();
        if (!json) {
          out.printf("transductive zero-shot: %d images classified jointly (TransCLIP)%n", enc.files().size());
        }
      } else if (!json && encoder.towers().family() == ModelFamily.SIGLIP && !enc.files().isEmpty()) {
        out.println("scores: sigmoid of exp(logit_scale) x cosine + logit_bias, one per label (SigLIP; they need not sum to 1)");
      }
      for (int i = 0; i < enc.files().size(); i++) {
        float[] probs = joint != null ? joint[i] : classifier.probabilities(enc.embeddings()[i]);
        int[] order = topIndices(probs, Math.min(topK, classes.size()));
        if (json) {
          Map<String, Object> o = new LinkedHashMap<>();
          o.put("image", inputs.name(enc.files().get(i)));
          o.put("scores", joint != null ? "transclip" : classifier.scores());
          if (joint != null) {
            o.put("transductive", true);
            o.put("jointly_with", enc.files().size());
          }
          List<Map<String, Object>> top = new ArrayList<>();
          for (int k : order) {
            Map<String, Object> p = new LinkedHashMap<>(); // Map.of's order changes from run to run
            p.put("label", classes.get(k));
            p.put("probability", (double) probs[k]);
            top.add(p);
          }
          o.put("predictions", top);
          out.println(mapper.writeValueAsString(o));
        } else {
          StringBuilder sb = new StringBuilder(inputs.name(enc.files().get(i))).append(':');
          for (int k : order) {
            sb.append(String.format(Locale.ROOT, "  %s %.3f", classes.get(k), probs[k]));
          }
          out.println(sb);
        }
      }
      for (ImageEncoding.Failure f : enc.failures()) {
        spec.commandLine().getErr().println("remoteclip: skipped " + inputs.name(f).message());
      }
      out.flush();
      return enc.files().isEmpty() ? ErrorReporter.DATA_ERR : 0;
    }
  }


  static int[] topIndices(float[] v, int k) {
    Integer[] idx = new Integer[v.length];
    for (int i = 0; i < v.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Float.compare(v[b], v[a]));
    int[] out = new int[k];
    for (int i = 0; i < k; i++) {
      out[i] = idx[i];
    }
    return out;
  }
}
