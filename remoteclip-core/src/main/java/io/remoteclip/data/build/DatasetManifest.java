package io.remoteclip.data.build;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.DataFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A YAML (or JSON) file listing several annotated sources to merge into one training set, the way RET-3 +
 * DET-10 + SEG-4 were merged. Relative paths are resolved against the manifest's directory. Example:
 *
 * <pre>
 * seed: 0
 * dedup_threshold: 4          # -1 turns deduplication off
 * exclude: [ucm-test-images]  # reference (test) images the output must not contain
 * sources:
 *   - {name: nwpu, format: coco, annotations: nwpu/annotations.json, images: nwpu/images}
 *   - {name: dota, format: dota, annotations: dota/labelTxt, images: dota/images, tile: 800, overlap: 200}
 *   - {name: loveda, format: mask, annotations: loveda/ann, images: loveda/img, classes: loveda}
 * </pre>
 * Source keys: {@code name, format, annotations, images, classes, classes_file, phrases, stuff, min_area,
 * tile, overlap, min_inside, tile_format}.
 */
public final class DatasetManifest {

  @JsonIgnoreProperties(ignoreUnknown = false)
  static final class Raw {
    public Long seed;
    @JsonProperty("dedup_threshold") public Integer dedupThreshold;
    public List<String> exclude;
    public List<RawSource> sources;
  }

  @JsonIgnoreProperties(ignoreUnknown = false)
  static final class RawSource {
    public String name;
    public String format;
    public String annotations;
    public String images;
    public String classes;
    @JsonProperty("classes_file") public String classesFile;
    public String phrases;
    public String stuff;
    @JsonProperty("min_area") public String minArea;
    public Integer tile;
    public Integer overlap;
    @JsonProperty("min_inside") public Double minInside;
    @JsonProperty("tile_format") public String tileFormat;
  }

  private final List<SourceSpec> sources;
  private final Long seed;
  private final Integer dedupThreshold;
  private final List<Path> exclude;

  private DatasetManifest(List<SourceSpec> sources, Long seed, Integer dedupThreshold, List<Path> exclude) {
    this.sources = sources;
    this.seed = seed;
    this.dedupThreshold = dedupThreshold;
    this.exclude = exclude;
  }

  public List<SourceSpec> sources() {
    return sources;
  }

  /** Seed from the manifest, or null. */
  public Long seed() {
    return seed;
  }

  public Integer dedupThreshold() {
    return dedupThreshold;
  }

  public List<Path> exclude() {
    return exclude;
  }

  public static DatasetManifest read(Path file) throws IOException, DataFormatException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString());
    }
    ObjectMapper mapper = io.remoteclip.Json.yaml();
    Raw raw;
    try {
      raw = mapper.readValue(file.toFile(), Raw.class);
    } catch (JsonProcessingException e) {
      int line = io.remoteclip.data.YamlErrors.line(e);
      throw DataFormatException.at(file, line, "bad manifest: " + e.getOriginalMessage());
    }
    if (raw == null || raw.sources == null || raw.sources.isEmpty()) {
      throw new DataFormatException(file + ": manifest lists no 'sources'");
    }
    Path dir = file.toAbsolutePath().getParent();
    List<SourceSpec> specs = new ArrayList<>();
    for (int i = 0; i < raw.sources.size(); i++) {
      RawSource r = raw.sources.get(i);
      SourceOptions o = new SourceOptions();
      o.name = r.name;
      o.format = r.format;
      o.annotations = r.annotations == null ? null : dir.resolve(r.annotations);
      o.images = r.images == null ? null : io.remoteclip.remote.RasterLocation.isRemote(r.images)
          ? io.remoteclip.data.annotation.ImageRoot.parse(r.images) : io.remoteclip.data.annotation.ImageRoot.of(dir.resolve(r.images));
      o.classes = r.classes;
      o.classesFile = r.classesFile == null ? null : dir.resolve(r.classesFile);
      o.phrases = r.phrases == null || r.phrases.equals("satellite") || r.phrases.equals("uav") ? r.phrases
          : dir.resolve(r.phrases).toString();
      o.stuff = r.stuff;
      o.minArea = r.minArea;
      o.tile = r.tile;
      o.overlap = r.overlap;
      o.minInside = r.minInside;
      o.tileFormat = r.tileFormat;
      try {
        specs.add(o.toSpec());
      } catch (IllegalArgumentException e) {
        throw new DataFormatException(file + ": sources[" + i + "]" + (r.name == null ? "" : " (" + r.name + ")")
            + ": " + e.getMessage());
      }
    }
    List<Path> exclude = new ArrayList<>();
    if (raw.exclude != null) {
      for (String s : raw.exclude) {
        exclude.add(dir.resolve(s));
      }
    }
    return new DatasetManifest(specs, raw.seed, raw.dedupThreshold, exclude);
  }
}
