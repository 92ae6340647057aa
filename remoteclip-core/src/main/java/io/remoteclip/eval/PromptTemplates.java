package io.remoteclip.eval;

import io.remoteclip.fs.InputFiles;
import io.remoteclip.DataFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prompt templates for zero-shot classification; {@code {}} stands for the readable class name.
 */
public final class PromptTemplates {
  /** The single prompt of RemoteCLIP's zero-shot tables. */
  public static final List<String> SINGLE = List.of("a satellite photo of {}.");

  /**
   * Remote-sensing ensemble: satellite, aerial and remote-sensing wordings with the quality and size
   * modifiers of CLIP's ImageNet prompts (the 106-prompt family RS-TransCLIP evaluates, condensed).
   */
  public static final List<String> REMOTE_SENSING = List.of(
      "a satellite photo of {}.",
      "a satellite image of {}.",
      "a satellite image of a {}.",
      "a satellite image of the {}.",
      "an aerial image of {}.",
      "an aerial image of a {}.",
      "an aerial image of the {}.",
      "an aerial photo of {}.",
      "a remote sensing image of {}.",
      "a remote sensing image of a {}.",
      "a remote sensing image of the {}.",
      "a remote sensing image of many {}.",
      "a satellite image of many {}.",
      "an aerial image of many {}.",
      "a low resolution satellite image of a {}.",
      "a high resolution satellite image of a {}.",
      "a blurry aerial image of a {}.",
      "a good remote sensing image of a {}.",
      "a bad satellite image of a {}.",
      "a cropped aerial image of the {}.",
      "a close-up remote sensing image of the {}.",
      "a large {} in a satellite image.",
      "a small {} in an aerial image.",
      "{} seen from above.");

  private PromptTemplates() {}

  /** Names accepted by {@link #builtIn}: {@code single}, {@code remote-sensing}. */
  public static List<String> builtIn(String name) {
    return switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "single" -> SINGLE;
      case "remote-sensing", "ensemble" -> REMOTE_SENSING;
      default -> throw new IllegalArgumentException("prompts=" + name + " (built-in sets: single, remote-sensing)");
    };
  }

  /** One template per non-blank line ({@code #} starts a comment line); each must contain {@code {}}. */
  public static List<String> load(Path file) throws IOException, DataFormatException {
    List<String> lines = InputFiles.readLines(file);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String t = lines.get(i).strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      if (!t.contains("{}")) {
        throw DataFormatException.at(file, i + 1, "template has no {} placeholder for the class name: " + t);
      }
      out.add(t);
    }
    if (out.isEmpty()) {
      throw new DataFormatException(file + ": no templates");
    }
    return out;
  }

  /**
   * A built-in set by name ({@link #builtIn}), or a template file, relative to {@code baseDir} (the working
   * directory when null).
   *
   * @throws java.nio.file.NoSuchFileException for a value that looks like a file name (has a / or a .) but is none
   * @throws IllegalArgumentException for an unknown set name
   */
  public static List<String> resolve(String value, Path baseDir) throws IOException, DataFormatException {
    Path file = baseDir == null ? Path.of(value) : baseDir.resolve(value);
    if (Files.isRegularFile(file)) {
      return load(file);
    }
    if (value.contains("/") || value.contains(".")) {
      throw new java.nio.file.NoSuchFileException(file + " (not a template file; built-in prompt sets: single, "
          + "remote-sensing)");
    }
    return builtIn(value);
  }

  public static String fill(String template, String className) {
    return template.replace("{}", className);
  }
}
