package io.remoteclip.onnx;

import io.remoteclip.onnx.ir.OnnxIr.ModelProto;
import io.remoteclip.onnx.ir.OnnxIr.OperatorSetIdProto;
import io.remoteclip.onnx.ir.OnnxIr.StringStringEntryProto;
import io.remoteclip.onnx.ir.OnnxIr.TensorProto;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Serialises an {@link OnnxGraph} as an ONNX model file. A protobuf message cannot exceed 2 GB, so when the
 * initialisers are larger than {@code externalThreshold} every initialiser of at least 1 KiB goes to
 * {@code <model>.data} next to the model (ONNX external data: {@code location}, {@code offset}, {@code length},
 * offsets 64-byte aligned) and the model file holds only the graph.
 */
final class OnnxModelWriter {
  /** IR version 8 is the one that goes with opset 17 (ONNX 1.12). */
  static final long IR_VERSION = 8;
  static final long OPSET = 17;
  /** Below protobuf's 2 GiB message limit, with room for the graph itself. */
  static final long DEFAULT_EXTERNAL_THRESHOLD = 2_000_000_000L;
  private static final int EXTERNAL_MIN_BYTES = 1024;
  private static final int ALIGNMENT = 64;

  private OnnxModelWriter() {}

  /** Writes {@code file} (and {@code file.data} when external); returns true when external data was used. */
  static boolean write(OnnxGraph graph, Path file, long externalThreshold, Map<String, String> metadata) throws IOException {
    boolean external = graph.initializerBytes() > externalThreshold;
    ModelProto.Builder model = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("remoteclip")
        .setProducerVersion(OnnxExport.FORMAT_VERSION).setDomain("io.remoteclip").setModelVersion(1)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
    metadata.forEach((k, v) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    if (!external) {
      model.setGraph(graph.toProto(OnnxGraph::inline));
    } else {
      Path data = file.resolveSibling(file.getFileName() + ".data");
      String location = data.getFileName().toString();
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(data), 1 << 20)) {
        long[] offset = {0};
        model.setGraph(graph.toProto(init -> {
          if (init.raw().length < EXTERNAL_MIN_BYTES) {
            return OnnxGraph.inline(init);
          }
          try {
            long pad = (ALIGNMENT - offset[0] % ALIGNMENT) % ALIGNMENT;
            out.write(new byte[(int) pad]);
            offset[0] += pad;
            long start = offset[0];
            out.write(init.raw());
            offset[0] += init.raw().length;
            return OnnxGraph.header(init).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", location)).addExternalData(entry("offset", Long.toString(start)))
                .addExternalData(entry("length", Integer.toString(init.raw().length))).build();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }));
      } catch (java.io.UncheckedIOException e) {
        throw e.getCause();
      }
    }
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      model.build().writeTo(out);
    }
    return external;
  }

  private static StringStringEntryProto entry(String key, String value) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }
}
