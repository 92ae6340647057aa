package io.remoteclip.docs;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Every command of a picocli tree (recursively, aliases once, {@code help} left out). */
final class Commands {
  private Commands() {}

  /** The subcommands of {@code root} in declaration order, depth first (the root itself left out). */
  static List<CommandLine> all(CommandLine root) {
    List<CommandLine> out = new ArrayList<>();
    walk(root, out, new IdentityHashMap<>());
    return out;
  }

  private static void walk(CommandLine cmd, List<CommandLine> out, Map<CommandLine, Boolean> seen) {
    for (CommandLine sub : cmd.getSubcommands().values()) {
      if (sub.getCommandName().equals("help") || seen.put(sub, true) != null) {
        continue;
      }
      out.add(sub);
      walk(sub, out, seen);
    }
  }

  /** Qualified names: {@code "eval zeroshot"} without the launcher's name, or with it ({@code "remoteclip-spark embed"}). */
  static List<String> names(CommandLine root, boolean withLauncher) {
    String launcher = root.getCommandName() + " ";
    return all(root).stream().map(c -> c.getCommandSpec().qualifiedName(" "))
        .map(n -> withLauncher || !n.startsWith(launcher) ? n : n.substring(launcher.length())).toList();
  }
}
