package io.remoteclip.stac;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** A STAC document with a {@code type} and {@code links}: an entity, or an ItemCollection. */
public abstract class StacDocument extends StacObject {
  @JsonProperty private String type;
  @JsonProperty private List<StacLink> links;

  StacDocument() {}

  StacDocument(String type) {
    this.type = type;
  }

  public String type() {
    return type;
  }

  /** The links, in document order (empty, never {@code null}). */
  public List<StacLink> links() {
    return links == null ? List.of() : Collections.unmodifiableList(links);
  }

  /** Links with relation {@code rel}, in document order. */
  public List<StacLink> links(String rel) {
    return links().stream().filter(l -> rel.equals(l.rel())).toList();
  }

  /** The first link with relation {@code rel}. */
  public Optional<StacLink> link(String rel) {
    return links().stream().filter(l -> rel.equals(l.rel())).findFirst();
  }

  void addLink(StacLink link) {
    if (links == null) {
      links = new ArrayList<>();
    }
    links.add(link);
  }
}
