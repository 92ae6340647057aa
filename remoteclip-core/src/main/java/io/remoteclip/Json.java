package io.remoteclip;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The one configured JSON mapper of the library and the CLI. An {@link ObjectMapper} is thread-safe once
 * configured and expensive to build, so every reader and writer shares this one instead of making its own,
 * and a setting changed here (Jackson's defaults today) holds for every file and report alike.
 */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

  private Json() {}

  /** The shared mapper; do not reconfigure it (copy it with {@code mapper().copy()} for other settings). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** The shared mapper for YAML configuration files (data-set manifests, phrase sets); JSON is valid YAML. */
  public static ObjectMapper yaml() {
    return YAML;
  }

  /** A writer that indents (the format of every JSON file and {@code --json} report the project writes). */
  public static ObjectWriter pretty() {
    return PRETTY;
  }

  /** {@code value} as indented JSON. */
  public static String prettyString(Object value) throws JsonProcessingException {
    return PRETTY.writeValueAsString(value);
  }
}
