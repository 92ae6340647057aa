package io.remoteclip.onnx;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.remoteclip.onnx.ir.OnnxIr.GraphProto;
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
 *
 * <p>Initialisers are made and written one at a time, never all together: inline ones are streamed into the
 * model message, whose length prefixes are computed from their sizes beforehand. The bytes are those
 * protobuf writes for the whole message (fields in number order), without a copy of the weights in memory.
 */
final class OnnxModelWriter {
  /** IR version 8 is the one that goes with opset 17 (ONNX 1.12). */
  static final long IR_VERSION = 8;
  static final long OPSET = 17;
  /** Below protobuf's 2 GiB message limit, with room for the graph itself. */
  static final long DEFAULT_EXTERNAL_THRESHOLD = 2_000_000_000L;
  private static final int EXTERNAL_MIN_BYTES = 1024;
  private static final int ALIGNMENT = 64;
  private static final int GRAPH_FIELD = ModelProto.GRAPH_FIELD_NUMBER;
  private static final int INITIALIZER_FIELD = GraphProto.INITIALIZER_FIELD_NUMBER;
  private static final int RAW_DATA_FIELD = TensorProto.RAW_DATA_FIELD_NUMBER;

  private OnnxModelWriter() {}

  /** Writes {@code file} (and {@code file.data} when external); returns true when external data was used. */
  static boolean write(OnnxGraph graph, Path file, long externalThreshold, Map<String, String> metadata) throws IOException {
    boolean external = graph.initializerBytes() > externalThreshold;
    ModelProto.Builder model = header(metadata);
    if (!external) {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
        writeInline(model, graph, out);
      }
      return false;
    }
    Path data = file.resolveSibling(file.getFileName() + ".data");
    String location = data.getFileName().toString();
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(data), 1 << 20)) {
      long[] offset = {0};
      model.setGraph(graph.toProto(init -> {
        if (init.byteLength() < EXTERNAL_MIN_BYTES) {
          return OnnxGraph.inline(init);
        }
        try {
          long pad = (ALIGNMENT - offset[0] % ALIGNMENT) % ALIGNMENT;
          out.write(new byte[(int) pad]);
          offset[0] += pad;
          long start = offset[0];
          out.write(init.raw());
          offset[0] += init.byteLength();
          return OnnxGraph.header(init).setDataLocation(TensorProto.DataLocation.EXTERNAL)
              .addExternalData(entry("location", location)).addExternalData(entry("offset", Long.toString(start)))
              .addExternalData(entry("length", Long.toString(init.byteLength()))).build();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }));
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      model.build().writeTo(out);
    }
    return true;
  }

  /** The model message without its graph: IR version, producer, opset, {@code metadata}. */
  static ModelProto.Builder header(Map<String, String> metadata) {
    ModelProto.Builder model = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("remoteclip")
        .setProducerVersion(OnnxExport.FORMAT_VERSION).setDomain("io.remoteclip").setModelVersion(1)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
    metadata.forEach((k, v) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return model;
  }

  /**
   * {@code model} with {@code graph} as field 7, initialisers inline, written as protobuf would write the whole
   * message: ModelProto fields 1–6, the graph (nodes, name, initialisers, inputs, outputs), fields 8 and 14.
   */
  static void writeInline(ModelProto.Builder model, OnnxGraph graph, OutputStream out) throws IOException {
    ModelProto before = model.clone().clearGraph().clearOpsetImport().clearMetadataProps().build();
    ModelProto after = ModelProto.newBuilder().addAllOpsetImport(model.getOpsetImportList())
        .addAllMetadataProps(model.getMetadataPropsList()).build();
    GraphProto head = graph.beforeInitializers();
    GraphProto tail = graph.afterInitializers();
    long graphLength = head.getSerializedSize() + tail.getSerializedSize();
    for (OnnxGraph.Initializer init : graph.initializers()) {
      graphLength += fieldLength(INITIALIZER_FIELD, tensorLength(init));
    }
    CodedOutputStream coded = CodedOutputStream.newInstance(out, 1 << 16);
    before.writeTo(coded);
    coded.writeTag(GRAPH_FIELD, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    coded.writeUInt64NoTag(graphLength);
    head.writeTo(coded);
    for (OnnxGraph.Initializer init : graph.initializers()) {
      byte[] raw = init.raw();
      coded.writeTag(INITIALIZER_FIELD, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      coded.writeUInt64NoTag(tensorLength(init));
      OnnxGraph.header(init).build().writeTo(coded);
      coded.writeByteArray(RAW_DATA_FIELD, raw);
    }
    tail.writeTo(coded);
    after.writeTo(coded);
    coded.flush();
  }

  /** Serialised size of an inline initialiser's TensorProto: dims, type, name, then raw_data. */
  private static long tensorLength(OnnxGraph.Initializer init) {
    return OnnxGraph.header(init).build().getSerializedSize() + fieldLength(RAW_DATA_FIELD, init.byteLength());
  }

  /** Tag, length varint and payload of a length-delimited field. */
  private static long fieldLength(int field, long payload) {
    return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt64SizeNoTag(payload) + payload;
  }

  private static StringStringEntryProto entry(String key, String value) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }
}
