package io.remoteclip.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.remoteclip.checkpoint.Checkpoints;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ClipConfigs;
import io.remoteclip.onnx.ir.OnnxIr.ModelProto;
import io.remoteclip.testing.BundledModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The streamed model file (initialisers made and written one at a time) is byte for byte what protobuf writes
 * for the whole message built in memory.
 */
class OnnxModelWriterTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(Quantization.class)
  void streamedModelIsTheWholeMessage(Quantization q) throws Exception {
    StateDict sd = Checkpoints.read(BundledModel.weights());
    ClipConfig config = ClipConfigs.infer(sd, ClipConfigs.readModelConfig(BundledModel.dir().resolve("config.json")), null);
    Map<String, String> meta = Map.of("remoteclip.encoder_id", "test");
    for (OnnxGraph graph : new OnnxGraph[] {ClipGraphs.image(sd, config, q), ClipGraphs.text(sd, config, q)}) {
      Path file = tmp.resolve("model.onnx");
      assertFalse(OnnxModelWriter.write(graph, file, Long.MAX_VALUE, meta), "inline");
      byte[] whole = OnnxModelWriter.header(meta).setGraph(graph.toProto(OnnxGraph::inline)).build().toByteArray();
      byte[] streamed = Files.readAllBytes(file);
      assertEquals(whole.length, streamed.length);
      assertArrayEquals(whole, streamed);
      assertEquals(graph.initializers().size(), ModelProto.parseFrom(streamed).getGraph().getInitializerCount());
    }
  }
}
