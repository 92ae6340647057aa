package io.remoteclip.data.caption;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.DataFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The wording of B2C captions. Built in: {@link #SATELLITE} ("picture") and {@link #UAV} ("aerial
 * image"); a YAML or JSON file with the same fields replaces them (missing fields keep the satellite
 * values).
 *
 * @param picture noun for the image ("picture", "aerial image")
 * @param middle location phrase of central objects ("in the middle")
 * @param edge location phrase of the others ("at the edge")
 * @param countTemplates count sentences; {@code {be}} is "is"/"are", {@code {list}} the counted classes,
 *     {@code {picture}} the noun. Caption 3 uses the first, caption 4 the second.
 * @param vague quantifiers used instead of numbers above 10
 * @param presence phrase appended for stuff classes, {@code {list}} = their names
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record PhraseSet(
    String picture, String middle, String edge, List<String> countTemplates, List<String> vague, String presence) {

  public static final PhraseSet SATELLITE = new PhraseSet("picture", "in the middle", "at the edge",
      List.of("There {be} {list} in the {picture}.", "The {picture} contains {list}."),
      List.of("many", "lots of", "a large number of"), "with {list}");

  public static final PhraseSet UAV = new PhraseSet("aerial image", "in the middle", "at the edge",
      List.of("There {be} {list} in this {picture}.", "This {picture} shows {list}."),
      List.of("many", "lots of", "a large number of"), "with {list}");

  public PhraseSet {
    picture = picture == null ? SATELLITE.picture : picture;
    middle = middle == null ? SATELLITE.middle : middle;
    edge = edge == null ? SATELLITE.edge : edge;
    countTemplates = countTemplates == null || countTemplates.size() < 2 ? SATELLITE.countTemplates
        : List.copyOf(countTemplates);
    vague = vague == null || vague.isEmpty() ? SATELLITE.vague : List.copyOf(vague);
    presence = presence == null ? SATELLITE.presence : presence;
  }

  /** {@code satellite}, {@code uav}, or a path to a YAML/JSON phrase file. */
  public static PhraseSet named(String nameOrFile) throws IOException, DataFormatException {
    switch (nameOrFile.toLowerCase(Locale.ROOT)) {
      case "satellite":
        return SATELLITE;
      case "uav":
        return UAV;
      default:
        Path file = Path.of(nameOrFile);
        if (!java.nio.file.Files.isRegularFile(file)) {
          throw new java.nio.file.NoSuchFileException(nameOrFile + " (phrase set: satellite, uav or a YAML/JSON file)");
        }
        io.remoteclip.data.YamlErrors.checkTopLevelKeys(file,
            java.util.Set.of("picture", "middle", "edge", "countTemplates", "vague", "presence"));
        ObjectMapper yaml = io.remoteclip.Json.yaml();
        try {
          return yaml.readValue(file.toFile(), PhraseSet.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          int line = io.remoteclip.data.YamlErrors.line(e);
          throw DataFormatException.at(file, line, "bad phrase set: " + e.getOriginalMessage());
        }
    }
  }
}
