package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsFolder;

/**
 * The launcher writes nothing to the home folder: JNA unpacks its native library under {@code
 * user.home/.cache/JNA} and the JVM writes its font cache under {@code user.home/.java/fonts} unless
 * told otherwise, and Java takes {@code user.home} from the password file, not {@code $HOME}. Runs
 * {@code bin/harness} (a copy, beside a jar that only names this test's class path, so nothing is
 * built) with an empty {@code $HOME} and an empty {@code user.home}, through a forward pass and a
 * report with plots, and finds both still empty and the cache holding only its own folders.
 */
class NothingWrittenToHomeTest {
  static final Path ROOT = Path.of(System.getProperty("harness.root", "../.."));

  @TempDir Path tmp;

  @Test
  void theLauncherKeepsJnaAndTheFontCacheInTheCache() throws Exception {
    String javacpp = System.getProperty("org.bytedeco.javacpp.cachedir");
    String djl = System.getProperty("DJL_CACHE_DIR");
    assumeTrue(javacpp != null && djl != null, "the build's caches are not set (run through Maven)");
    Path checkout = tmp.resolve("checkout");
    Path launcher = Files.createDirectories(checkout.resolve("bin")).resolve("harness");
    Files.copy(ROOT.resolve("bin/harness"), launcher);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    classPathJar(Files.createDirectories(checkout.resolve("harness/cli/target")).resolve("harness.jar"));
    Path cache = Files.createDirectories(tmp.resolve("cache"));
    // the unpacked TensorFlow and tokenizer libraries of the build, not a second copy of them
    Files.createSymbolicLink(cache.resolve("javacpp"), Path.of(javacpp).toAbsolutePath());
    Files.createSymbolicLink(cache.resolve("djl"), Path.of(djl).toAbsolutePath());
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path results = tmp.resolve("results");
    new ResultsFolder(results).commit("c1", List.of(new ResultRow("g", "c1", 0, "minilm", "lora", 8, "sst2", 1, CellStatus.OK,
        "accuracy", "glue-label", 1, 0.9, 100, true, 1000L, 22_000_000L, 100.0, 10.0, "2026-11-29T10:00:00Z",
        "2026-11-29T10:00:10Z", "0.1.0-SNAPSHOT", "abc1234", null)));

    run(launcher, cache, home, "inspect", "forward", "--model", "minilm", "--text", "hi");
    run(launcher, cache, home, "report", results.toString(), "--out", tmp.resolve("report").toString());

    assertThat(tmp.resolve("report/report.html")).exists();
    assertThat(tree(home)).isEmpty();
    try (Stream<Path> s = Files.list(cache)) {
      assertThat(s.map(p -> p.getFileName().toString())).isSubsetOf("javacpp", "djl", "jna", "home");
    }
  }

  /** Runs the launcher as a user would whose home and {@code user.home} are {@code home}. */
  static void run(Path launcher, Path cache, Path home, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", launcher.toString()));
    cmd.addAll(List.of(args));
    Path log = cache.resolveSibling("launcher-" + args[0] + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.remove("XDG_CACHE_HOME");
    env.put("HOME", home.toString());
    env.put("HARNESS_CACHE", cache.toString());
    env.put("HARNESS_NO_BUILD", "1");
    // what a password file would give: the launcher's own setting must win over it
    env.put("HARNESS_JAVA_OPTS", "-Xmx2g -Duser.home=" + home);
    env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator + env.getOrDefault("PATH", ""));
    Process p = pb.start();
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("the launcher ended").isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
  }

  /** A jar of no classes whose manifest runs the harness on this test's class path. */
  static void classPathJar(Path jar) throws IOException {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
    m.getMainAttributes().put(Attributes.Name.CLASS_PATH, Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(e -> Path.of(e).toAbsolutePath().toUri().toString()).collect(Collectors.joining(" ")));
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
      j.flush();
    }
  }

  static List<String> tree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }
}
