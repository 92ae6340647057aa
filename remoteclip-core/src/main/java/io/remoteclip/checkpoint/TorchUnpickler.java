package io.remoteclip.checkpoint;

import io.remoteclip.CorruptCheckpointException;
import io.remoteclip.UnsupportedFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle interpreter that only builds data: it understands the opcodes {@code torch.save} emits for a
 * state dict (protocols 2 to 5) and a short whitelist of globals ({@code collections.OrderedDict}, the
 * {@code torch._utils._rebuild_*} tensor constructors, the typed storage classes and dtype objects). Any
 * other global is refused when it is named, before anything could call it; nothing is ever executed.
 *
 * <p>Values produced: {@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code null} (None),
 * immutable {@code List} (tuple), {@code ArrayList} (list), {@code LinkedHashMap} (dict / OrderedDict) and
 * {@link TensorData} (a rebuilt tensor, always contiguous: a contiguous view is a byte range left in the file, any
 * other view is gathered onto the heap).
 */
final class TorchUnpickler {
  /**
   * Checks storage {@code key} ({@code numel} elements of {@code dtype}) and gives access to byte ranges of it,
   * read when the tensors are used.
   */
  @FunctionalInterface
  interface StorageSource {
    StoredStorage open(String key, DType dtype, long numel) throws IOException;
  }

  /** One storage of the archive, its bytes still in the file. */
  @FunctionalInterface
  interface StoredStorage {
    /** Bytes {@code [start, start + length)} of the storage, read on demand. */
    TensorData.StoredBytes range(long start, long length);
  }

  /** A whitelisted global, as named in the pickle. */
  private record Global(String module, String name) {
    String qualified() {
      return module + "." + name;
    }
  }

  /** A storage from a persistent id; its bytes are read only for views that must be gathered. */
  private static final class Storage {
    final String key;
    final DType dtype;
    final long numel;
    final StoredStorage stored;
    private ByteBuffer heap;

    Storage(String key, DType dtype, long numel, StoredStorage stored) {
      this.key = key;
      this.dtype = dtype;
      this.numel = numel;
      this.stored = stored;
    }

    String key() {
      return key;
    }

    DType dtype() {
      return dtype;
    }

    long numel() {
      return numel;
    }

    /** The whole storage on the heap, read once for all the strided views of it. */
    ByteBuffer heap(String where) throws IOException {
      if (heap == null) {
        long bytes = numel * dtype.size();
        if (bytes > Integer.MAX_VALUE - 8) {
          throw new UnsupportedFormatException(where + ": strided view of storage " + key + " of " + bytes
              + " bytes (larger than 2 GiB)");
        }
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
        stored.range(0, bytes).readInto(b);
        heap = b.flip();
      }
      return heap;
    }
  }

  private static final Map<String, DType> TORCH_DTYPES = Map.of(
      "float32", DType.FLOAT32, "float", DType.FLOAT32, "float16", DType.FLOAT16, "half", DType.FLOAT16,
      "bfloat16", DType.BFLOAT16, "float64", DType.FLOAT64, "double", DType.FLOAT64, "int64", DType.INT64,
      "long", DType.INT64, "int32", DType.INT32);
  private static final Map<String, DType> TORCH_DTYPES_MORE = Map.of(
      "int", DType.INT32, "int16", DType.INT16, "short", DType.INT16, "int8", DType.INT8, "uint8", DType.UINT8,
      "bool", DType.BOOL);

  private final byte[] pickle;
  private final String where;
  private final StorageSource storages;
  private final Map<String, Storage> loaded = new HashMap<>();
  private final ArrayList<Object> stack = new ArrayList<>();
  private final ArrayList<Integer> marks = new ArrayList<>();
  private final Map<Long, Object> memo = new HashMap<>();
  private int pos;
  private int opStart;

  /**
   * @param where names the pickle in messages, e.g. {@code "/x/model.pt: model/data.pkl"}
   */
  TorchUnpickler(byte[] pickle, String where, StorageSource storages) {
    this.pickle = pickle;
    this.where = where;
    this.storages = storages;
  }

  /** Runs the pickle to its STOP opcode and returns the top-level object. */
  Object load() throws IOException {
    while (true) {
      if (pos >= pickle.length) {
        throw corrupt("pickle ends without STOP");
      }
      opStart = pos;
      int op = pickle[pos++] & 0xff;
      switch (op) {
        case 0x80 -> { // PROTO
          int proto = u8();
          if (proto < 2 || proto > 5) {
            throw new UnsupportedFormatException(where + ": pickle protocol " + proto + " vs supported 2..5");
          }
        }
        case 0x95 -> skip(8); // FRAME: only a read-ahead hint
        case '.' -> { // STOP
          if (stack.size() != 1) {
            throw corrupt("STOP with " + stack.size() + " objects on the stack");
          }
          return stack.get(0);
        }
        case '(' -> marks.add(stack.size()); // MARK
        case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
        case ']' -> push(new ArrayList<>()); // EMPTY_LIST
        case ')' -> push(List.of()); // EMPTY_TUPLE
        case 't' -> push(tuple(popMark())); // TUPLE
        case 0x85 -> push(tuple(popN(1))); // TUPLE1
        case 0x86 -> push(tuple(popN(2))); // TUPLE2
        case 0x87 -> push(tuple(popN(3))); // TUPLE3
        case 'X' -> push(utf8(u32())); // BINUNICODE
        case 0x8c -> push(utf8(u8())); // SHORT_BINUNICODE
        case 0x8d -> push(utf8(u64())); // BINUNICODE8
        case 'J' -> push((long) buffer(4).getInt()); // BININT
        case 'K' -> push((long) u8()); // BININT1
        case 'M' -> push((long) (buffer(2).getShort() & 0xffff)); // BININT2
        case 0x8a -> push(long1()); // LONG1
        case 'G' -> push(buffer(8).order(ByteOrder.BIG_ENDIAN).getDouble()); // BINFLOAT
        case 0x88 -> push(Boolean.TRUE); // NEWTRUE
        case 0x89 -> push(Boolean.FALSE); // NEWFALSE
        case 'N' -> push(null); // NONE
        case 'c' -> push(global(line(), line())); // GLOBAL
        case 0x93 -> { // STACK_GLOBAL
          Object name = pop();
          Object module = pop();
          push(global(string(module, "STACK_GLOBAL module"), string(name, "STACK_GLOBAL name")));
        }
        case 'R' -> { // REDUCE
          Object args = pop();
          Object callable = pop();
          push(call(callable, asList(args, "REDUCE arguments")));
        }
        case 0x81 -> { // NEWOBJ: cls.__new__(cls, *args)
          Object args = pop();
          Object cls = pop();
          push(newObject(cls, asList(args, "NEWOBJ arguments")));
        }
        case 'b' -> build(); // BUILD
        case 'Q' -> push(persistentLoad(pop())); // BINPERSID
        case 'q' -> memo.put((long) u8(), peek()); // BINPUT
        case 'r' -> memo.put(u32(), peek()); // LONG_BINPUT
        case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
        case 'h' -> push(memoGet(u8())); // BINGET
        case 'j' -> push(memoGet(u32())); // LONG_BINGET
        case 's' -> { // SETITEM
          Object value = pop();
          Object key = pop();
          dict(peek()).put(checkKey(key), value);
        }
        case 'u' -> { // SETITEMS
          List<Object> items = popMark();
          if (items.size() % 2 != 0) {
            throw corrupt("SETITEMS with an odd number of items");
          }
          Map<Object, Object> d = dict(peek());
          for (int i = 0; i < items.size(); i += 2) {
            d.put(checkKey(items.get(i)), items.get(i + 1));
          }
        }
        case 'a' -> { // APPEND
          Object value = pop();
          list(peek()).add(value);
        }
        case 'e' -> { // APPENDS
          List<Object> items = popMark();
          list(peek()).addAll(items);
        }
        case '0' -> pop(); // POP
        case '1' -> popMark(); // POP_MARK
        case '2' -> push(peek()); // DUP
        default -> throw new UnsupportedFormatException(String.format(
            "%s: unsupported pickle opcode 0x%02x at offset %d (not a plain torch.save state dict?)", where, op, opStart));
      }
    }
  }

  private Object global(String module, String name) throws IOException {
    Global g = new Global(module, name);
    boolean allowed = switch (g.qualified()) {
      case "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor_v3",
          "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> true;
      default -> module.equals("torch") && (DType.fromTorchStorage(name) != null || torchDtype(name) != null);
    };
    if (!allowed) {
      throw new UnsupportedFormatException(where + ": unknown class " + g.qualified() + " in pickle at offset "
          + opStart + "; refusing to execute it (only state dicts of tensors are read)");
    }
    return g;
  }

  private static DType torchDtype(String name) {
    DType t = TORCH_DTYPES.get(name);
    return t != null ? t : TORCH_DTYPES_MORE.get(name);
  }

  private Object call(Object callable, List<Object> args) throws IOException {
    if (!(callable instanceof Global g)) {
      throw corrupt("REDUCE on a " + typeName(callable) + ", not a class");
    }
    switch (g.qualified()) {
      case "collections.OrderedDict" -> {
        LinkedHashMap<Object, Object> d = new LinkedHashMap<>();
        if (!args.isEmpty()) { // OrderedDict([(k, v), ...])
          for (Object pair : asList(args.get(0), "OrderedDict items")) {
            List<Object> kv = asList(pair, "OrderedDict item");
            if (kv.size() != 2) {
              throw corrupt("OrderedDict item of length " + kv.size());
            }
            d.put(checkKey(kv.get(0)), kv.get(1));
          }
        }
        return d;
      }
      case "torch._utils._rebuild_tensor_v2" -> {
        // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        requireArgs(g, args, 6, 7);
        Storage s = storage(args.get(0));
        return tensor(s, s.dtype(), args);
      }
      case "torch._utils._rebuild_tensor_v3" -> {
        // (storage, storage_offset, size, stride, requires_grad, backward_hooks, dtype[, metadata])
        requireArgs(g, args, 7, 8);
        Storage s = storage(args.get(0));
        DType dtype = args.get(6) instanceof Global d ? torchDtype(d.name()) : null;
        if (dtype != s.dtype()) {
          throw new UnsupportedFormatException(where + ": tensor dtype " + typeName(args.get(6)) + " differs from its storage "
              + s.dtype() + " at offset " + opStart);
        }
        return tensor(s, dtype, args);
      }
      case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
        requireArgs(g, args, 3, 4);
        if (!(args.get(0) instanceof TensorData t)) {
          throw corrupt(g.qualified() + " of a " + typeName(args.get(0)));
        }
        return t;
      }
      default -> throw new UnsupportedFormatException(
          where + ": calling " + g.qualified() + " at offset " + opStart + " is not supported");
    }
  }

  private Object newObject(Object cls, List<Object> args) throws IOException {
    if (cls instanceof Global g && g.qualified().equals("collections.OrderedDict") && args.isEmpty()) {
      return new LinkedHashMap<>();
    }
    throw new UnsupportedFormatException(where + ": NEWOBJ of " + (cls instanceof Global g ? g.qualified() : typeName(cls))
        + " at offset " + opStart + " is not supported");
  }

  /** BUILD sets an object's state: OrderedDict {@code _metadata} and parameter state carry no weights. */
  private void build() throws IOException {
    pop();
    Object target = peek();
    if (!(target instanceof Map || target instanceof TensorData)) {
      throw new UnsupportedFormatException(
          where + ": BUILD on a " + typeName(target) + " at offset " + opStart + " is not supported");
    }
  }

  /** Persistent id {@code ("storage", torch.XStorage, key, location, numel)}. */
  private Storage persistentLoad(Object pid) throws IOException {
    List<Object> t = asList(pid, "persistent id");
    if (t.size() != 5 || !"storage".equals(t.get(0))) {
      throw new UnsupportedFormatException(where + ": persistent id of " + t.size() + " items at offset " + opStart
          + " vs expected (\"storage\", StorageClass, key, location, numel)");
    }
    DType dtype = t.get(1) instanceof Global g ? DType.fromTorchStorage(g.name()) : null;
    if (dtype == null) {
      throw new UnsupportedFormatException(where + ": storage type " + typeName(t.get(1)) + " at offset " + opStart);
    }
    String key = string(t.get(2), "storage key");
    long numel = integer(t.get(4), "storage size");
    Storage s = loaded.get(key);
    if (s == null) {
      s = new Storage(key, dtype, numel, storages.open(key, dtype, numel));
      loaded.put(key, s);
    } else if (s.dtype() != dtype || s.numel() != numel) {
      throw corrupt("storage " + key + " used as " + dtype + "[" + numel + "] and as " + s.dtype() + "[" + s.numel() + "]");
    }
    return s;
  }

  private TensorData tensor(Storage s, DType dtype, List<Object> args) throws IOException {
    long offset = integer(args.get(1), "storage_offset");
    long[] size = longs(args.get(2), "size");
    long[] stride = longs(args.get(3), "stride");
    try {
      StridedView.ByteRange range = StridedView.check(dtype, s.numel(), offset, size, stride);
      if (range != null && range.length() == 0) {
        return new TensorData(dtype, size, ByteBuffer.allocate(0));
      }
      if (range != null) {
        return TensorData.stored(dtype, size, s.stored.range(range.start(), range.length()));
      }
      return new TensorData(dtype, size, StridedView.materialize(s.heap(where), dtype, s.numel(), offset, size, stride));
    } catch (IllegalArgumentException e) {
      throw corrupt("tensor on storage " + s.key() + " (size " + Arrays.toString(size) + ", stride "
          + Arrays.toString(stride) + ", offset " + offset + "): " + e.getMessage());
    }
  }

  private Storage storage(Object o) throws IOException {
    if (o instanceof Storage s) {
      return s;
    }
    throw corrupt("tensor rebuilt from a " + typeName(o) + ", not a storage");
  }

  private void requireArgs(Global g, List<Object> args, int min, int max) throws IOException {
    if (args.size() < min || args.size() > max) {
      throw corrupt(g.qualified() + " with " + args.size() + " arguments vs expected " + min + ".." + max);
    }
  }

  /**
   * Dict keys must be immutable scalars: a list or tuple key could contain itself (pickles can build cycles),
   * and hashing it would never end.
   */
  private Object checkKey(Object key) throws IOException {
    if (key == null || key instanceof String || key instanceof Long || key instanceof Double || key instanceof Boolean) {
      return key;
    }
    throw corrupt("dict key of type " + typeName(key) + " is not supported");
  }

  // ---- stack and memo

  private void push(Object o) {
    stack.add(o);
  }

  private Object pop() throws IOException {
    if (stack.size() <= floor()) {
      throw corrupt("stack underflow");
    }
    return stack.remove(stack.size() - 1);
  }

  private Object peek() throws IOException {
    if (stack.size() <= floor()) {
      throw corrupt("stack underflow");
    }
    return stack.get(stack.size() - 1);
  }

  private int floor() {
    return marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
  }

  private List<Object> popN(int n) throws IOException {
    if (stack.size() - floor() < n) {
      throw corrupt("stack underflow");
    }
    List<Object> sub = stack.subList(stack.size() - n, stack.size());
    List<Object> items = new ArrayList<>(sub);
    sub.clear();
    return items;
  }

  private List<Object> popMark() throws IOException {
    if (marks.isEmpty()) {
      throw corrupt("no MARK on the stack");
    }
    int m = marks.remove(marks.size() - 1);
    List<Object> sub = stack.subList(m, stack.size());
    List<Object> items = new ArrayList<>(sub);
    sub.clear();
    return items;
  }

  private Object memoGet(long index) throws IOException {
    if (!memo.containsKey(index)) {
      throw corrupt("memo entry " + index + " read before it was written");
    }
    return memo.get(index);
  }

  // ---- operand decoding

  private int u8() throws IOException {
    need(1);
    return pickle[pos++] & 0xff;
  }

  private long u32() throws IOException {
    return buffer(4).getInt() & 0xffffffffL;
  }

  private long u64() throws IOException {
    long v = buffer(8).getLong();
    if (v < 0) {
      throw corrupt("length " + Long.toUnsignedString(v));
    }
    return v;
  }

  private ByteBuffer buffer(int n) throws IOException {
    need(n);
    ByteBuffer b = ByteBuffer.wrap(pickle, pos, n).order(ByteOrder.LITTLE_ENDIAN);
    pos += n;
    return b;
  }

  private void skip(int n) throws IOException {
    need(n);
    pos += n;
  }

  private void need(long n) throws IOException {
    if (n > pickle.length - pos) {
      throw corrupt("truncated pickle: operand of " + n + " bytes runs past the end");
    }
  }

  /** LONG1: n bytes of a little-endian two's-complement integer; wider than 64 bits is refused. */
  private Long long1() throws IOException {
    int n = u8();
    if (n > 8) {
      throw new UnsupportedFormatException(where + ": integer of " + n + " bytes at offset " + opStart);
    }
    need(n);
    long v = 0;
    for (int i = n - 1; i >= 0; i--) {
      v = (v << 8) | (pickle[pos + i] & 0xff);
    }
    if (n > 0 && n < 8 && (pickle[pos + n - 1] & 0x80) != 0) {
      v -= 1L << (8 * n); // sign-extend
    }
    pos += n;
    return v;
  }

  private String utf8(long n) throws IOException {
    need(n);
    try {
      String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(pickle, pos, (int) n)).toString();
      pos += (int) n;
      return s;
    } catch (CharacterCodingException e) {
      throw corrupt("invalid UTF-8 string");
    }
  }

  /** GLOBAL operand: ASCII up to a newline. */
  private String line() throws IOException {
    int start = pos;
    while (pos < pickle.length && pickle[pos] != '\n') {
      pos++;
    }
    if (pos >= pickle.length) {
      throw corrupt("truncated GLOBAL name");
    }
    return new String(pickle, start, pos++ - start, StandardCharsets.US_ASCII);
  }

  // ---- type checks

  private static List<Object> tuple(List<Object> items) {
    return Collections.unmodifiableList(items);
  }

  @SuppressWarnings("unchecked")
  private List<Object> asList(Object o, String what) throws IOException {
    if (o instanceof List<?> l) {
      return (List<Object>) l;
    }
    throw corrupt(what + " is a " + typeName(o) + ", not a tuple");
  }

  @SuppressWarnings("unchecked")
  private Map<Object, Object> dict(Object o) throws IOException {
    if (o instanceof Map<?, ?> m) {
      return (Map<Object, Object>) m;
    }
    throw corrupt("SETITEM on a " + typeName(o));
  }

  @SuppressWarnings("unchecked")
  private List<Object> list(Object o) throws IOException {
    if (o instanceof ArrayList<?> l) {
      return (List<Object>) l;
    }
    throw corrupt("APPEND on a " + typeName(o));
  }

  private String string(Object o, String what) throws IOException {
    if (o instanceof String s) {
      return s;
    }
    throw corrupt(what + " is a " + typeName(o) + ", not a string");
  }

  private long integer(Object o, String what) throws IOException {
    if (o instanceof Long l) {
      return l;
    }
    throw corrupt(what + " is a " + typeName(o) + ", not an integer");
  }

  private long[] longs(Object o, String what) throws IOException {
    List<Object> items = asList(o, what);
    long[] out = new long[items.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = integer(items.get(i), what);
    }
    return out;
  }

  static String typeName(Object o) {
    if (o == null) {
      return "None";
    }
    if (o instanceof Global g) {
      return "class " + g.qualified();
    }
    if (o instanceof Storage) {
      return "storage";
    }
    if (o instanceof TensorData) {
      return "tensor";
    }
    if (o instanceof Map) {
      return "dict";
    }
    if (o instanceof ArrayList) {
      return "list";
    }
    if (o instanceof List) {
      return "tuple";
    }
    if (o instanceof String) {
      return "str";
    }
    if (o instanceof Long) {
      return "int";
    }
    if (o instanceof Double) {
      return "float";
    }
    if (o instanceof Boolean) {
      return "bool";
    }
    return o.getClass().getSimpleName();
  }

  private CorruptCheckpointException corrupt(String problem) {
    return new CorruptCheckpointException(where + ": malformed pickle at offset " + opStart + ": " + problem);
  }
}
