package org.peftharness.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.cli.Main;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import picocli.CommandLine;

/**
 * The image the Kubernetes job runs, checked without building it (no Docker daemon here): it is
 * built with the GPU profile, and the command and folder the manifest names are where the image
 * puts the launcher and the mount.
 */
class DockerfileTest {
  static final Path ROOT = root();

  /** The launcher, relative to the checkout. */
  static final String LAUNCHER = "bin/harness";
  /** Where the launcher looks for the jar, relative to the checkout. */
  static final String JAR = "harness/cli/target/harness.jar";

  /** The checkout: the folder above the current one that holds the launcher (tests may run from the root or the module). */
  static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(LAUNCHER)) && Files.isRegularFile(p.resolve("Dockerfile"))) {
        return p;
      }
    }
    throw new IllegalStateException("no checkout root (a folder with bin/harness and Dockerfile) above " + Path.of("").toAbsolutePath());
  }

  /** One Dockerfile instruction, continuation lines joined. */
  record Instruction(String keyword, String args) {}

  static List<Instruction> instructions() throws IOException {
    List<Instruction> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(ROOT.resolve("Dockerfile"))) {
      String t = line.strip();
      if (t.startsWith("#") || (t.isEmpty() && current.length() == 0)) {
        continue;
      }
      boolean continues = t.endsWith("\\");
      current.append(continues ? t.substring(0, t.length() - 1) : t).append(' ');
      if (!continues) {
        String text = current.toString().strip();
        int space = text.indexOf(' ');
        out.add(new Instruction(text.substring(0, space).toUpperCase(), text.substring(space + 1).strip()));
        current.setLength(0);
      }
    }
    return out;
  }

  /** The instructions of the image's final stage. */
  static List<Instruction> runtimeStage() throws IOException {
    List<Instruction> all = instructions();
    int from = 0;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).keyword().equals("FROM")) {
        from = i;
      }
    }
    return all.subList(from, all.size());
  }

  @Test
  void theImageIsBuiltWithTheGpuProfileAndThatProfileExists() throws Exception {
    List<String> builds = instructions().stream().filter(i -> i.keyword().equals("RUN") && i.args().contains("mvn "))
        .map(Instruction::args).toList();
    assertThat(builds).isNotEmpty().allMatch(b -> b.contains(" -Pgpu ") && b.contains(" package"));

    Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile());
    NodeList profiles = pom.getElementsByTagName("profile");
    String classifier = null;
    for (int i = 0; i < profiles.getLength(); i++) {
      Element p = (Element) profiles.item(i);
      if (p.getElementsByTagName("id").item(0).getTextContent().equals("gpu")) {
        classifier = p.getElementsByTagName("tensorflow.native.classifier").item(0).getTextContent();
      }
    }
    assertThat(classifier).isEqualTo("linux-x86_64-gpu");
  }

  @Test
  void theManifestsCommandIsTheLauncherOnTheImagesPath() throws IOException {
    List<Instruction> stage = runtimeStage();
    String path = stage.stream().filter(i -> i.keyword().equals("ENV")).flatMap(i -> Arrays.stream(i.args().split("\\s+")))
        .filter(kv -> kv.startsWith("PATH=")).findFirst().orElseThrow().substring("PATH=".length());
    List<String> copies = stage.stream().filter(i -> i.keyword().equals("COPY")).map(Instruction::args).toList();
    // the launcher is copied into a folder on PATH under the name the manifest runs
    String launcher = copies.stream().filter(c -> c.matches("--from=build /src/" + LAUNCHER + " /.*")).findFirst().orElseThrow()
        .replaceFirst(".* ", "");
    Path launcherDir = Path.of(launcher).getParent();
    assertThat(Path.of(launcher).getFileName().toString()).isEqualTo(KubernetesJob.COMMAND);
    assertThat(path.split(":")).contains(launcherDir.toString());
    // and finds its jar where it looks for it, from the folder above bin/
    Path home = launcherDir.getParent();
    assertThat(Files.readString(ROOT.resolve(LAUNCHER))).contains("jar=\"$root/" + JAR + "\"");
    assertThat(copies).anyMatch(c -> c.endsWith(" " + home.resolve(JAR)))
        .anyMatch(c -> c.endsWith(" " + home.resolve(JAR).resolveSibling("lib") + "/"));
    assertThat(stage).contains(new Instruction("ENTRYPOINT", "[\"" + KubernetesJob.COMMAND + "\"]"));
  }

  @Test
  void theImageNeverBuildsAndWorksWhereTheClaimIsMounted() throws IOException {
    List<Instruction> stage = runtimeStage();
    assertThat(stage).anyMatch(i -> i.keyword().equals("ENV") && i.args().matches("(.*\\s)?HARNESS_NO_BUILD=1(\\s.*)?"));
    String mountPath = new CommandLine(new Main()).getSubcommands().get("submit").getCommandSpec().findOption("--mount-path")
        .defaultValue();
    assertThat(stage.stream().filter(i -> i.keyword().equals("WORKDIR")).reduce((a, b) -> b).orElseThrow().args())
        .isEqualTo(mountPath);
    assertThat(Files.readAllLines(ROOT.resolve(".dockerignore"))).contains("**/target/", ".git", ".cache/");
  }

  @Test
  void withNoBuildTheLauncherRefusesToBuildAndSaysTheJarIsMissing(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("bin"));
    Path launcher = Files.copy(ROOT.resolve(LAUNCHER), dir.resolve(LAUNCHER));
    Files.writeString(dir.resolve("pom.xml"), "<project/>");
    ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), "--version").redirectErrorStream(true);
    pb.environment().put("HARNESS_NO_BUILD", "1");
    pb.environment().put("HARNESS_CACHE", dir.resolve("cache").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(4);
    assertThat(out).contains("HARNESS_NO_BUILD=1").contains(JAR).contains("missing");
    assertThat(dir.resolve("cache/build.log")).as("no build was tried").doesNotExist();
  }
}
