package io.remoteclip.solr;

import io.remoteclip.index.IndexMetadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The project's SolrCloud configset for one embedding model: {@code solrconfig.xml} and a classic
 * {@code schema.xml} whose vector field has the model's dimension, a similarity on normalised vectors and
 * the HNSW parameters of the embedded index (M 32, beam 200), so both backends rank alike.
 */
public record Configset(int dimension, Similarity similarity, int hnswMaxConnections, int hnswBeamWidth) {
  /** Lucene's vector similarity names as Solr's {@code DenseVectorField} spells them. */
  public enum Similarity {
    DOT_PRODUCT("dot_product"),
    COSINE("cosine");

    final String solrName;

    Similarity(String solrName) {
      this.solrName = solrName;
    }
  }

  /** The embedded index's HNSW graph parameters. */
  public static final int DEFAULT_M = 32;
  public static final int DEFAULT_BEAM = 200;
  /** Lucene 9's limit for vector dimensions. */
  public static final int MAX_DIMENSION = 1024;

  public Configset {
    if (dimension < 1 || dimension > MAX_DIMENSION) {
      throw new IllegalArgumentException("embedding dimension " + dimension + " is outside 1.." + MAX_DIMENSION);
    }
    if (hnswMaxConnections < 2 || hnswBeamWidth < hnswMaxConnections) {
      throw new IllegalArgumentException("HNSW parameters m=" + hnswMaxConnections + ", beam=" + hnswBeamWidth
          + ": need m >= 2 and beam >= m");
    }
  }

  public static Configset forDimension(int dimension) {
    return new Configset(dimension, Similarity.DOT_PRODUCT, DEFAULT_M, DEFAULT_BEAM);
  }

  /**
   * The configset's files by name, for a collection of {@code model}'s vectors: the model identity and
   * dimension are user properties in its config overlay, readable by any client from {@code /config/overlay}.
   */
  public Map<String, byte[]> files(IndexMetadata model) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("solrconfig.xml", resource("solrconfig.xml").getBytes(StandardCharsets.UTF_8));
    files.put("configoverlay.json", overlay(model).getBytes(StandardCharsets.UTF_8));
    files.put("schema.xml", resource("schema.xml")
        .replace("@DIMENSION@", Integer.toString(dimension))
        .replace("@SIMILARITY@", similarity.solrName)
        .replace("@HNSW_M@", Integer.toString(hnswMaxConnections))
        .replace("@HNSW_BEAM@", Integer.toString(hnswBeamWidth))
        .getBytes(StandardCharsets.UTF_8));
    return files;
  }

  /** The files as the zip the Configsets API uploads. */
  public byte[] zip(IndexMetadata model) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (var e : files(model).entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private String overlay(IndexMetadata model) {
    if (model.dimension() != dimension) {
      throw new IllegalArgumentException("model " + model.modelId() + " embeds in " + model.dimension()
          + " dimensions, the configset in " + dimension);
    }
    Map<String, Object> props = new LinkedHashMap<>();
    props.put(SolrCollections.MODEL_PROPERTY, model.modelId());
    if (model.modelRef() != null) {
      props.put(SolrCollections.MODEL_REF_PROPERTY, model.modelRef());
    }
    if (model.vocab() != null) {
      props.put(SolrCollections.VOCAB_PROPERTY, model.vocab());
    }
    props.put(SolrCollections.DIMENSION_PROPERTY, Integer.toString(dimension));
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of("userProps", props));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = Configset.class.getResourceAsStream("configset/" + name)) {
      if (in == null) {
        throw new IllegalStateException("configset/" + name + " missing from the remoteclip-solr jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
