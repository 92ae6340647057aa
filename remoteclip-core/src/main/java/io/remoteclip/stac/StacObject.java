package io.remoteclip.stac;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A STAC JSON object that keeps the members its class does not name: extension fields ({@code eo:*},
 * {@code proj:*}, …) and anything a newer STAC version adds are written back as they were read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class StacObject {
  private final Map<String, JsonNode> other = new LinkedHashMap<>();

  /** The members this class does not name, in document order. */
  @JsonAnyGetter
  public Map<String, JsonNode> other() {
    return Collections.unmodifiableMap(other);
  }

  @JsonAnySetter
  void other(String name, JsonNode value) {
    other.put(name, value);
  }
}
