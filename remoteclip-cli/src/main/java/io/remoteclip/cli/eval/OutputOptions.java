package io.remoteclip.cli.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --json}: one JSON object with every metric instead of the readable table. */
public final class OutputOptions {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Option(names = "--json", description = "Print one JSON object with every metric (percentages 0-100).")
  boolean json;

  public boolean json() {
    return json;
  }

  /** Prints {@code result} as JSON, with NaN and infinities written as null. */
  public static void printJson(PrintWriter out, Map<String, Object> result) {
    try {
      out.println(MAPPER.writeValueAsString(clean(result)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out.flush();
  }

  static Object clean(Object o) {
    if (o instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return null;
    }
    if (o instanceof Map<?, ?> m) {
      Map<Object, Object> c = new LinkedHashMap<>();
      m.forEach((k, v) -> c.put(k, clean(v)));
      return c;
    }
    if (o instanceof List<?> l) {
      List<Object> c = new ArrayList<>();
      l.forEach(v -> c.add(clean(v)));
      return c;
    }
    if (o instanceof double[] a) {
      List<Object> c = new ArrayList<>();
      for (double v : a) {
        c.add(clean(v));
      }
      return c;
    }
    return o;
  }
}
