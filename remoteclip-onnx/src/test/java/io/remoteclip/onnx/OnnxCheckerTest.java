package io.remoteclip.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.remoteclip.image.PreprocessConfig;
import io.remoteclip.model.Architectures;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ClipInit;
import io.remoteclip.testing.Python;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference ONNX checker (Debian's {@code python3-onnx}, full check with shape inference) accepts every kind
 * of file we write: ViT, ModifiedResNet and SigLIP, fp32 and int8, inline and external data. An independent reader of
 * our hand-written IR definitions: field numbers that did not match the specification would fail here.
 */
class OnnxCheckerTest {
  private static final String SCRIPT = String.join("\n",
      "import sys, onnx",
      "for path in sys.argv[1:]:",
      "    onnx.checker.check_model(path, full_check=True)",
      "    m = onnx.load(path)",
      "    assert m.opset_import[0].version >= 17, path",
      "    print('ok', path, len(m.graph.node), len(m.graph.initializer))");

  @TempDir Path tmp;

  @Test
  void referenceCheckerAcceptsEveryExport() throws Exception {
    String python = Python.withModules("onnx");
    assumeTrue(python != null, "skipped: no python3 with the onnx module (apt-get install -y python3-onnx; .ci/run installs it)");
    List<String> cmd = new ArrayList<>(List.of(python, "-c", SCRIPT));
    int n = 0;
    for (ClipConfig config : List.of(Architectures.parse(OnnxExportTest.VIT, 0), Architectures.parse(OnnxExportTest.RN, 0),
        SiglipOnnxTest.tiny(io.remoteclip.model.Activation.GELU_TANH))) {
      var sd = ClipInit.random(config, 5);
      for (Quantization q : Quantization.values()) {
        for (long threshold : new long[] {OnnxModelWriter.DEFAULT_EXTERNAL_THRESHOLD, 0}) {
          Path dir = tmp.resolve("e" + n++);
          OnnxExport.exportWeights(sd, config, "random", "random", null, PreprocessConfig.openAi(config.vision().imageSize()),
              OnnxExport.Options.defaults().withQuantization(q).withExternalThreshold(threshold), dir);
          cmd.add(dir.resolve(OnnxExport.IMAGE_FILE).toString());
          cmd.add(dir.resolve(OnnxExport.TEXT_FILE).toString());
        }
      }
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(true, p.waitFor(120, TimeUnit.SECONDS), "checker did not finish");
    assertEquals(0, p.exitValue(), out);
    assertEquals(cmd.size() - 3, out.lines().filter(l -> l.startsWith("ok ")).count(), out);
  }
}
