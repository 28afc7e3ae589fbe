package org.peftharness.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The command line that starts this harness again, for worker processes and scheduled jobs. */
final class SelfCommand {
  /**
   * System properties a harness process needs to behave like this one (caches, offline switches,
   * shared data; JNA's and the font cache's folders, which the launcher keeps out of the home folder).
   */
  private static final List<String> FORWARDED = List.of("harness.", "org.bytedeco.", "ai.djl.", "DJL_", "jna.", "user.home");

  private SelfCommand() {}

  /**
   * The {@code ./harness} launcher when this process was started by it (jobs then get its caches
   * and settings), else this very JVM: same java, memory options, forwarded properties, class path.
   */
  static List<String> harness() {
    String launcher = System.getProperty("harness.launcher");
    return launcher != null ? List.of(launcher) : jvm();
  }

  static List<String> jvm() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("-Xm") || a.startsWith("-Xss")) {
        cmd.add(a);
      }
    }
    for (Map.Entry<Object, Object> p : System.getProperties().entrySet()) {
      String k = p.getKey().toString();
      if (FORWARDED.stream().anyMatch(k::startsWith)) {
        cmd.add("-D" + k + "=" + p.getValue());
      }
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    return cmd;
  }
}
