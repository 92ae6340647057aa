package io.remoteclip.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runnable examples of a markdown page (conventions of issue 24): a fenced code block whose opening fence
 * follows, on the line just before it, one marker
 * <pre>
 *   &lt;!-- example: run --&gt;            output compared exactly
 *   &lt;!-- example: run, masked --&gt;    output compared with every number masked
 *   &lt;!-- example: needs shared --&gt;   needs ../shared: run with numbers masked when it is there, else skipped
 *   &lt;!-- example: needs shared, slow --&gt;   needs ../shared and minutes: skipped
 *   &lt;!-- example: needs network --&gt;  needs the network: skipped
 * </pre>
 * Inside a block, a line starting with {@code "$ "} is a command (a trailing {@code \} continues it on the
 * next line); the other lines up to the next command are its expected output (stdout and stderr merged).
 * A malformed marker (an unknown kind, no fence right after it, a block without a command, output before
 * the first command) is an error rather than an example silently not run.
 */
final class DocExamples {
  private DocExamples() {}

  enum Mode {
    RUN("run"), MASKED("run, masked"), NEEDS_SHARED("needs shared"), NEEDS_SHARED_SLOW("needs shared, slow"),
    NEEDS_NETWORK("needs network");

    final String marker;

    Mode(String marker) {
      this.marker = marker;
    }

    /** Run wherever the build runs. */
    boolean runs() {
      return this == RUN || this == MASKED;
    }

    /** Run when ../shared is there (its outputs are of real data and timings: compared masked). */
    boolean runsWithShared() {
      return runs() || this == NEEDS_SHARED;
    }

    /** Compared with every number masked. */
    boolean masks() {
      return this == MASKED || this == NEEDS_SHARED;
    }
  }

  /** One command of a block: its first line (1-based, in the page), its text for bash and what it prints. */
  record Command(int line, String text, List<String> expected) {}

  /** A marked block: the page, the marker's line (1-based), the mode and the commands in order. */
  record Example(String page, int line, Mode mode, List<Command> commands) {
    String where() {
      return page + ":" + line;
    }
  }

  /** A marker or block that breaks the conventions, naming page and line. */
  static final class MalformedExample extends IllegalArgumentException {
    MalformedExample(String page, int line, String message) {
      super(page + ":" + line + ": " + message);
    }
  }

  private static final Pattern MARKER = Pattern.compile("^\\s{0,3}<!--\\s*example\\s*:\\s*(.*?)\\s*-->\\s*$");
  private static final Pattern MARKER_LIKE = Pattern.compile("<!--\\s*example\\s*:");
  private static final Pattern FENCE = Pattern.compile("^(\\s*)(`{3,}|~{3,})(.*)$");
  private static final Pattern CODE_SPAN = Pattern.compile("(`+)[^`].*?\\1");

  /** The marked examples of {@code text}, in page order; {@code page} names it in messages. */
  static List<Example> parse(String page, String text) {
    List<String> lines = text.lines().toList();
    List<Example> out = new ArrayList<>();
    Mode pending = null;
    int pendingLine = 0;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      Matcher fence = FENCE.matcher(l);
      if (fence.matches()) {
        if (pending == null && MARKER_LIKE.matcher(l).find()) {
          throw new MalformedExample(page, i + 1, "an example marker must be alone on its line: " + l.strip());
        }
        int close = closingFence(lines, i, fence.group(1).length(), fence.group(2));
        if (close < 0) {
          throw new MalformedExample(page, i + 1, "code block never closed");
        }
        if (pending != null) {
          out.add(new Example(page, pendingLine, pending,
              commands(page, lines.subList(i + 1, close), i + 2, fence.group(1).length(), pendingLine)));
          pending = null;
        }
        i = close;
        continue;
      }
      if (pending != null) {
        throw new MalformedExample(page, pendingLine,
            "'<!-- example: " + pending.marker + " -->' must be on the line just before a code block's opening fence");
      }
      Matcher m = MARKER.matcher(l);
      if (m.matches()) {
        pending = mode(page, i + 1, m.group(1));
        pendingLine = i + 1;
      } else if (MARKER_LIKE.matcher(CODE_SPAN.matcher(l).replaceAll("")).find()) {
        // a marker in a code span is text about markers (the conventions themselves); elsewhere it is a mistake
        throw new MalformedExample(page, i + 1, "an example marker must be alone on its line: " + l.strip());
      }
    }
    if (pending != null) {
      throw new MalformedExample(page, pendingLine, "example marker at the end of the page, no code block after it");
    }
    return out;
  }

  private static Mode mode(String page, int line, String kind) {
    String k = kind.replaceAll("\\s*,\\s*", ", ").replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    for (Mode m : Mode.values()) {
      if (m.marker.equals(k)) {
        return m;
      }
    }
    throw new MalformedExample(page, line, "unknown example marker '" + kind
        + "' (run | run, masked | needs shared | needs shared, slow | needs network)");
  }

  /** Index of the line closing the fence opened at {@code open}, or -1. */
  private static int closingFence(List<String> lines, int open, int indent, String fence) {
    Pattern close = Pattern.compile("^\\s{0," + Math.max(3, indent) + "}" + Pattern.quote(fence.substring(0, 1))
        + "{" + fence.length() + ",}\\s*$");
    for (int j = open + 1; j < lines.size(); j++) {
      if (close.matcher(lines.get(j)).matches()) {
        return j;
      }
    }
    return -1;
  }

  private static List<Command> commands(String page, List<String> body, int firstLine, int indent, int markerLine) {
    List<Command> out = new ArrayList<>();
    StringBuilder text = null;
    int cmdLine = 0;
    List<String> expected = null;
    boolean continued = false;
    for (int k = 0; k < body.size(); k++) {
      String l = unindent(body.get(k), indent);
      int lineNo = firstLine + k;
      if (continued) {
        text.append('\n').append(l);
        continued = l.endsWith("\\");
        continue;
      }
      if (l.startsWith("$ ")) {
        if (text != null) {
          out.add(new Command(cmdLine, text.toString(), trimmed(expected)));
        }
        text = new StringBuilder(l.substring(2));
        cmdLine = lineNo;
        expected = new ArrayList<>();
        continued = l.endsWith("\\");
      } else if (text == null) {
        if (MARKER_LIKE.matcher(l).find()) {
          throw new MalformedExample(page, lineNo, "example marker inside the code block (it goes on the line before the fence)");
        }
        if (!l.isBlank()) {
          throw new MalformedExample(page, lineNo, "output before the first '$ ' command of the example");
        }
      } else {
        expected.add(l);
      }
    }
    if (continued) {
      throw new MalformedExample(page, cmdLine, "command ends in '\\' at the end of its block");
    }
    if (text == null) {
      throw new MalformedExample(page, markerLine, "marked example without a '$ ' command");
    }
    out.add(new Command(cmdLine, text.toString(), trimmed(expected)));
    return List.copyOf(out);
  }

  private static String unindent(String l, int indent) {
    int n = 0;
    while (n < indent && n < l.length() && l.charAt(n) == ' ') {
      n++;
    }
    return l.substring(n);
  }

  /** Trailing whitespace of each line and trailing empty lines dropped (what the comparison ignores). */
  static List<String> trimmed(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      out.add(l.stripTrailing());
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return List.copyOf(out);
  }

  /** Output text as compared: split into lines, then {@link #trimmed}. */
  static List<String> lines(String output) {
    return trimmed(output.lines().toList());
  }

  /**
   * A number: optional sign, digits (with , or _ grouping), optional fraction, optional exponent; not inside
   * a word ({@code top1}, {@code sha256}, {@code ViT-B-32}'s {@code B} stay).
   */
  private static final Pattern NUMBER = Pattern.compile(
      "(?<![A-Za-z0-9_.])[-+]?(?:\\d+(?:[,_]\\d{3})*(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?");
  static final String NUMBER_MASK = "<#>";

  /**
   * A line with every number replaced by one placeholder and runs of blanks collapsed to one space (a
   * column padded to a number's width moves with it): {@code "took 1.25e-3 s  (-4%)"} → {@code "took <#> s (<#>%)"}.
   */
  static String masked(String line) {
    return NUMBER.matcher(line).replaceAll(NUMBER_MASK).replaceAll("[ \\t]+", " ").strip();
  }

  static List<String> masked(List<String> lines) {
    return lines.stream().map(DocExamples::masked).toList();
  }
}
