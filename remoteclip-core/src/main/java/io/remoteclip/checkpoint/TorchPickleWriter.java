package io.remoteclip.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the {@code data.pkl} of a state dict as torch 1.13's {@code torch.save} does (protocol 2): an
 * {@code OrderedDict} filled by one SETITEMS, each value
 * {@code _rebuild_tensor_v2(persistent storage id, offset, size, stride, False, OrderedDict())}. Uses only
 * opcodes and globals that torch's {@code weights_only} unpickler accepts.
 */
final class TorchPickleWriter {
  /** One state-dict entry: a view (offsets and strides in elements) of storage {@code storageKey}. */
  record TensorRef(String name, DType dtype, String storageKey, long storageNumel, long offset, long[] size,
      long[] stride) {}

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Map<String, Integer> memo = new HashMap<>();

  private TorchPickleWriter() {}

  /** A state dict (an OrderedDict of tensors) as a value inside a {@link #writeValue wrapper}. */
  record StateDictRefs(List<TensorRef> tensors) {}

  static byte[] write(List<TensorRef> tensors) {
    return writeValue(new StateDictRefs(tensors));
  }

  /**
   * Any nesting of dicts ({@code Map}, string or integer keys), lists, tuples ({@code Object[]}), strings,
   * integers, floats, booleans, None, tensors ({@link TensorRef}, name unused) and state dicts
   * ({@link StateDictRefs}): what open_clip's training checkpoints hold ({@code {"epoch", "name", "state_dict",
   * "optimizer": {"state": {0: {"exp_avg": tensor, ...}}, "param_groups": [...]}}}).
   */
  static byte[] writeValue(Object top) {
    TorchPickleWriter w = new TorchPickleWriter();
    w.op(0x80).op(2); // PROTO 2
    w.value(top);
    w.op('.'); // STOP
    return w.out.toByteArray();
  }

  private void value(Object v) {
    if (v == null) {
      op('N');
    } else if (v instanceof StateDictRefs sd) {
      global("collections", "OrderedDict").op(')').op('R'); // OrderedDict()
      op('(');
      for (TensorRef t : sd.tensors()) {
        string(t.name());
        tensor(t);
      }
      op('u'); // SETITEMS
    } else if (v instanceof TensorRef t) {
      tensor(t);
    } else if (v instanceof Map<?, ?> m) {
      op('}').op('(');
      m.forEach((k, x) -> {
        value(k);
        value(x);
      });
      op('u');
    } else if (v instanceof List<?> l) {
      op(']').op('(');
      l.forEach(this::value);
      op('e'); // APPENDS
    } else if (v instanceof Object[] t) {
      op('(');
      for (Object x : t) {
        value(x);
      }
      op('t');
    } else if (v instanceof String str) {
      string(str);
    } else if (v instanceof Boolean b) {
      op(b ? 0x88 : 0x89);
    } else if (v instanceof Double || v instanceof Float) {
      op('G');
      out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(((Number) v).doubleValue()).array());
    } else if (v instanceof Number n) {
      integer(n.longValue());
    } else {
      throw new IllegalArgumentException("cannot pickle a " + v.getClass().getName());
    }
  }

  private void tensor(TensorRef t) {
    global("torch._utils", "_rebuild_tensor_v2");
    op('(');
    op('(').string("storage").global("torch", t.dtype().torchStorage()).string(t.storageKey()).string("cpu")
        .integer(t.storageNumel()).op('t').op('Q'); // persistent id tuple, BINPERSID
    integer(t.offset()).tuple(t.size()).tuple(t.stride());
    op(0x89); // requires_grad = False
    global("collections", "OrderedDict").op(')').op('R'); // backward_hooks
    op('t').op('R');
  }

  private TorchPickleWriter op(int code) {
    out.write(code);
    return this;
  }

  /** GLOBAL on first use (then BINPUT), BINGET afterwards. */
  private TorchPickleWriter global(String module, String name) {
    String key = module + "\n" + name + "\n";
    Integer slot = memo.get(key);
    if (slot != null) {
      return memoRef('h', 'j', slot);
    }
    op('c');
    out.writeBytes(key.getBytes(StandardCharsets.US_ASCII));
    slot = memo.size();
    memo.put(key, slot);
    return memoRef('q', 'r', slot);
  }

  private TorchPickleWriter memoRef(int shortOp, int longOp, int slot) {
    if (slot < 256) {
      return op(shortOp).op(slot);
    }
    op(longOp);
    out.writeBytes(le(4).putInt(slot).array());
    return this;
  }

  private TorchPickleWriter string(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    op('X');
    out.writeBytes(le(4).putInt(utf8.length).array());
    out.writeBytes(utf8);
    return this;
  }

  /** The shortest of BININT1, BININT2, BININT and LONG1, as Python's pickler chooses. */
  private TorchPickleWriter integer(long v) {
    if (v >= 0 && v < 256) {
      return op('K').op((int) v);
    }
    if (v >= 0 && v < 65536) {
      op('M');
      out.writeBytes(le(2).putShort((short) v).array());
      return this;
    }
    if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      op('J');
      out.writeBytes(le(4).putInt((int) v).array());
      return this;
    }
    byte[] b = le(8).putLong(v).array();
    int n = 8;
    while (n > 1 && ((b[n - 1] == 0 && b[n - 2] >= 0) || (b[n - 1] == -1 && b[n - 2] < 0))) {
      n--; // drop redundant sign bytes
    }
    op(0x8a).op(n);
    out.write(b, 0, n);
    return this;
  }

  private TorchPickleWriter tuple(long[] values) {
    if (values.length == 0) {
      return op(')');
    }
    if (values.length > 3) {
      op('(');
    }
    for (long v : values) {
      integer(v);
    }
    return op(switch (values.length) {
      case 1 -> 0x85;
      case 2 -> 0x86;
      case 3 -> 0x87;
      default -> 't';
    });
  }

  private static ByteBuffer le(int n) {
    return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
  }
}
