package io.remoteclip.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The documentation pages of the repository and the command names their section headings carry. */
final class DocPages {
  private DocPages() {}

  /** README.md, then docs/*.md in name order (the ones that exist). */
  static List<Path> pages(Path repo) throws IOException {
    List<Path> out = new ArrayList<>();
    if (Files.isRegularFile(repo.resolve("README.md"))) {
      out.add(repo.resolve("README.md"));
    }
    out.addAll(docs(repo));
    return out;
  }

  /** docs/*.md in name order. */
  static List<Path> docs(Path repo) throws IOException {
    Path docs = repo.resolve("docs");
    if (!Files.isDirectory(docs)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(docs)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".md") && Files.isRegularFile(p)).sorted().toList();
    }
  }

  private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,4}\\s+(.*)$");
  private static final Pattern FENCE = Pattern.compile("^\\s*(`{3,}|~{3,})");
  private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");

  /** The backticked spans of the section headings (# to ####, outside code blocks) of a page's text. */
  static Set<String> headingNames(String text) {
    Set<String> out = new LinkedHashSet<>();
    String fence = null;
    for (String l : text.lines().toList()) {
      Matcher f = FENCE.matcher(l);
      if (f.find()) {
        String mark = f.group(1);
        if (fence == null) {
          fence = mark;
        } else if (mark.charAt(0) == fence.charAt(0) && mark.length() >= fence.length() && l.strip().equals(mark)) {
          fence = null;
        }
        continue;
      }
      if (fence != null) {
        continue;
      }
      Matcher h = HEADING.matcher(l);
      if (h.matches()) {
        Matcher c = CODE_SPAN.matcher(h.group(1));
        while (c.find()) {
          out.add(c.group(1).strip());
        }
      }
    }
    return out;
  }
}
