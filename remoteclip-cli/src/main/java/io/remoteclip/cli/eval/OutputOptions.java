package io.remoteclip.cli.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.remoteclip.eval.protocol.EvalResult;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
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

  /**
   * Prints {@code protocol}, {@code unit}, the context entries (model, dataset, split, data: where the
   * figures came from; null values left out) and then the result's figures, exactly as the benchmark's
   * {@code results.json} holds them under {@code metrics}.
   */
  static void printJson(PrintWriter out, EvalResult result, Map<String, Object> context) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("protocol", result.protocol().id());
    m.put("unit", result.protocol().unit());
    context.forEach((k, v) -> {
      if (v != null) {
        m.put(k, v);
      }
    });
    m.putAll(result.toJson());
    try {
      out.println(MAPPER.writeValueAsString(m));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out.flush();
  }

  /** Context entries in order, skipping nulls: {@code context("model", id, "dataset", path)}. */
  static Map<String, Object> context(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      if (keyValues[i + 1] != null) {
        m.put((String) keyValues[i], keyValues[i + 1].toString());
      }
    }
    return m;
  }
}
