package io.remoteclip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which {@code io.remoteclip} package uses which, read from the Java sources (imports and fully qualified names,
 * comments left out), and the package cycles in that graph (strongly connected components of two or more).
 */
public final class PackageGraph {
  private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
  /** A reference to a class: lower-case package segments, then an upper-case class name. */
  private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.remoteclip(?:\\.[a-z_][a-z0-9_]*)*)\\.[A-Z]");
  private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

  private final Map<String, Set<String>> edges = new TreeMap<>();

  private PackageGraph() {}

  /** The graph of every {@code .java} file under {@code sourceRoot}. */
  public static PackageGraph of(Path sourceRoot) {
    PackageGraph g = new PackageGraph();
    try (Stream<Path> files = Files.walk(sourceRoot)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        g.add(Files.readString(f, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return g;
  }

  private void add(String source) {
    String code = COMMENT.matcher(source).replaceAll(" ");
    Matcher pm = PACKAGE.matcher(code);
    if (!pm.find()) {
      return;
    }
    String from = pm.group(1);
    Set<String> to = edges.computeIfAbsent(from, k -> new TreeSet<>());
    Matcher m = REFERENCE.matcher(code);
    while (m.find()) {
      if (!m.group(1).equals(from)) {
        to.add(m.group(1));
      }
    }
  }

  /** The packages {@code pkg} uses. */
  public Set<String> uses(String pkg) {
    return edges.getOrDefault(pkg, Set.of());
  }

  /** Every set of packages that reach each other, e.g. {@code [io.remoteclip.cli, io.remoteclip.cli.eval]}. */
  public List<Set<String>> cycles() {
    // Tarjan's strongly connected components
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<Set<String>> out = new ArrayList<>();
    int[] counter = {0};
    for (String v : edges.keySet()) {
      if (!index.containsKey(v)) {
        connect(v, index, low, stack, onStack, out, counter);
      }
    }
    return out;
  }

  private void connect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
      Set<String> onStack, List<Set<String>> out, int[] counter) {
    index.put(v, counter[0]);
    low.put(v, counter[0]++);
    stack.push(v);
    onStack.add(v);
    for (String w : uses(v)) {
      if (!index.containsKey(w)) {
        connect(w, index, low, stack, onStack, out, counter);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> component = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) {
        out.add(component);
      }
    }
  }

  /** For a failure message: each cycle with the edges inside it. */
  public String describe(List<Set<String>> cycles) {
    StringBuilder sb = new StringBuilder();
    for (Set<String> c : cycles) {
      sb.append("cycle ").append(c).append(':');
      for (String a : c) {
        for (String b : uses(a)) {
          if (c.contains(b)) {
            sb.append(' ').append(a).append(" -> ").append(b).append(';');
          }
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
