package io.remoteclip.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.remoteclip.onnx.ir.OnnxIr.AttributeProto;
import io.remoteclip.onnx.ir.OnnxIr.GraphProto;
import io.remoteclip.onnx.ir.OnnxIr.NodeProto;
import io.remoteclip.onnx.ir.OnnxIr.TensorProto;
import io.remoteclip.onnx.ir.OnnxIr.TensorShapeProto;
import io.remoteclip.onnx.ir.OnnxIr.TypeProto;
import io.remoteclip.onnx.ir.OnnxIr.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Builds one ONNX graph: nodes in topological order (each appended after its inputs), initialisers as recipes
 * for their little-endian bytes, run when {@link OnnxModelWriter} writes them (inline or to an external file)
 * and dropped right after: a graph never holds the model's weights, so exporting a model of any size needs
 * memory for one weight at a time. Value names are generated ({@code prefix_N}) so that callers only name the
 * graph's inputs and outputs.
 */
final class OnnxGraph {
  /**
   * An initialiser: ONNX element type ({@link TensorProto.DataType}), shape and the recipe of its raw
   * little-endian bytes.
   */
  record Initializer(String name, TensorProto.DataType type, long[] dims, Supplier<byte[]> bytes) {
    long byteLength() {
      return numel(dims) * switch (type) {
        case FLOAT, INT32 -> 4;
        case INT64, DOUBLE -> 8;
        case INT8, UINT8, BOOL -> 1;
        case FLOAT16, INT16, UINT16 -> 2;
        default -> throw new IllegalArgumentException("no element size for " + type);
      };
    }

    /** The bytes, made now (each call makes them again). */
    byte[] raw() {
      byte[] raw = bytes.get();
      if (raw.length != byteLength()) {
        throw new IllegalStateException(name + ": " + raw.length + " bytes for dims " + Arrays.toString(dims) + " of " + type);
      }
      return raw;
    }
  }

  private final String name;
  private final List<NodeProto> nodes = new ArrayList<>();
  private final List<Initializer> initializers = new ArrayList<>();
  private final List<ValueInfoProto> inputs = new ArrayList<>();
  private final List<ValueInfoProto> outputs = new ArrayList<>();
  private int counter;

  OnnxGraph(String name) {
    this.name = name;
  }

  /** A graph input; each dim is a Long (fixed) or a String (symbolic, e.g. "batch"). */
  void input(String value, TensorProto.DataType type, Object... dims) {
    inputs.add(valueInfo(value, type, dims));
  }

  void output(String value, TensorProto.DataType type, Object... dims) {
    outputs.add(valueInfo(value, type, dims));
  }

  String floats(String hint, float[] values, long... dims) {
    checkSize(values.length, dims);
    byte[] raw = floatBytes(values);
    return initializer(hint, TensorProto.DataType.FLOAT, dims, () -> raw);
  }

  /** A float initialiser whose values are computed when the model is written. */
  String floats(String hint, Supplier<float[]> values, long... dims) {
    return initializer(hint, TensorProto.DataType.FLOAT, dims, () -> {
      float[] v = values.get();
      checkSize(v.length, dims);
      return floatBytes(v);
    });
  }

  /** An initialiser of {@code type} whose little-endian bytes are made when the model is written. */
  String bytes(String hint, TensorProto.DataType type, Supplier<byte[]> raw, long... dims) {
    return initializer(hint, type, dims, raw);
  }

  String int64s(String hint, long[] values, long... dims) {
    checkSize(values.length, dims);
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(values);
    byte[] raw = b.array();
    return initializer(hint, TensorProto.DataType.INT64, dims, () -> raw);
  }

  String int8s(String hint, byte[] values, long... dims) {
    checkSize(values.length, dims);
    return initializer(hint, TensorProto.DataType.INT8, dims, () -> values);
  }

  /** A float scalar constant (shape []). */
  String scalar(float v) {
    return floats("c", new float[] {v});
  }

  /** A 1-d int64 constant (shapes, axes, indices). */
  String longs(long... values) {
    return int64s("i", values, values.length);
  }

  /** An int64 scalar constant (Gather index that drops the axis). */
  String longScalar(long v) {
    return int64s("i", new long[] {v});
  }

  /** Appends a node with one output and returns the output's name. */
  String op(String opType, List<String> in, AttributeProto... attrs) {
    return ops(opType, 1, in, attrs)[0];
  }

  String op(String opType, String a, AttributeProto... attrs) {
    return op(opType, List.of(a), attrs);
  }

  String op(String opType, String a, String b, AttributeProto... attrs) {
    return op(opType, List.of(a, b), attrs);
  }

  /** Appends a node with {@code outputs} outputs. Empty-string inputs are ONNX's "optional input absent". */
  String[] ops(String opType, int outputCount, List<String> in, AttributeProto... attrs) {
    int id = counter++;
    String[] out = new String[outputCount];
    for (int i = 0; i < outputCount; i++) {
      out[i] = opType.toLowerCase() + "_" + id + (outputCount > 1 ? "_" + i : "");
    }
    nodes.add(NodeProto.newBuilder().setName(opType + "_" + id).setOpType(opType).addAllInput(in)
        .addAllOutput(Arrays.asList(out)).addAllAttribute(Arrays.asList(attrs)).build());
    return out;
  }

  /** Makes {@code value} available under the graph-output name {@code to} (an Identity node). */
  String outputAs(String value, String to) {
    nodes.add(NodeProto.newBuilder().setName("Identity_" + counter++).setOpType("Identity").addInput(value).addOutput(to).build());
    return to;
  }

  static AttributeProto attr(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
  }

  static AttributeProto attr(String name, float v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
  }

  static AttributeProto attrs(String name, long... v) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long x : v) {
      b.addInts(x);
    }
    return b.build();
  }

  long initializerBytes() {
    long n = 0;
    for (Initializer i : initializers) {
      n += i.byteLength();
    }
    return n;
  }

  List<Initializer> initializers() {
    return initializers;
  }

  /** Counts of each op type, for tests and the sidecar. */
  long count(String opType) {
    return nodes.stream().filter(n -> n.getOpType().equals(opType)).count();
  }

  /** The graph with each initialiser made by {@code tensor} (inline bytes or an external reference). */
  GraphProto toProto(java.util.function.Function<Initializer, TensorProto> tensor) {
    GraphProto.Builder g = GraphProto.newBuilder().setName(name).addAllNode(nodes).addAllInput(inputs).addAllOutput(outputs);
    for (Initializer i : initializers) {
      g.addInitializer(tensor.apply(i));
    }
    return g.build();
  }

  /** The graph's fields that protobuf writes before the initialisers (nodes, name). */
  GraphProto beforeInitializers() {
    return GraphProto.newBuilder().addAllNode(nodes).setName(name).build();
  }

  /** The graph's fields that protobuf writes after the initialisers (inputs, outputs). */
  GraphProto afterInitializers() {
    return GraphProto.newBuilder().addAllInput(inputs).addAllOutput(outputs).build();
  }

  /** An inline initialiser: the bytes are wrapped, not copied. */
  static TensorProto inline(Initializer i) {
    return header(i).setRawData(wrap(i.raw())).build();
  }

  static TensorProto.Builder header(Initializer i) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(i.name()).setDataType(i.type().getNumber());
    for (long d : i.dims()) {
      t.addDims(d);
    }
    return t;
  }

  private static ByteString wrap(byte[] raw) {
    return UnsafeByteOperations.unsafeWrap(raw);
  }

  private String initializer(String hint, TensorProto.DataType type, long[] dims, Supplier<byte[]> raw) {
    String n = hint + "_" + counter++;
    initializers.add(new Initializer(n, type, dims.clone(), raw));
    return n;
  }

  private static byte[] floatBytes(float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return b.array();
  }

  private static long numel(long[] dims) {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    return n;
  }

  private static void checkSize(int length, long[] dims) {
    long n = numel(dims);
    if (n != length) {
      throw new IllegalArgumentException("values=" + length + " for dims=" + Arrays.toString(dims));
    }
  }

  private static ValueInfoProto valueInfo(String value, TensorProto.DataType type, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof String s) {
        dim.setDimParam(s);
      } else {
        dim.setDimValue(((Number) d).longValue());
      }
      shape.addDim(dim);
    }
    TypeProto t = TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)).build();
    return ValueInfoProto.newBuilder().setName(value).setType(t).build();
  }
}
