package org.peftharness.results.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What this build of the harness is: its version, commit, and the versions it runs on. Maven fills
 * in {@code build.properties} when this module is built.
 */
public record BuildInfo(String harnessVersion, String gitCommit, boolean gitDirty, String tensorflowJava,
    String tensorflowNative, String nativeClassifier, String java) {

  /** @param tensorflowNative the native library's version as it reports itself ({@code TensorFlow.version()}) */
  public static BuildInfo current(String tensorflowNative) {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new BuildInfo(
        value(p, "harness.version"),
        value(p, "git.commit"),
        Boolean.parseBoolean(value(p, "git.dirty")),
        value(p, "tensorflow.java.version"),
        tensorflowNative,
        value(p, "tensorflow.native.classifier"),
        System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
  }

  /** A value Maven did not fill in (a build outside git, say) reads as "unknown". */
  private static String value(Properties p, String key) {
    String v = p.getProperty(key);
    return v == null || v.isBlank() || v.startsWith("${") ? "unknown" : v;
  }

  public String[] lines() {
    return new String[] {
      "harness " + harnessVersion,
      "commit " + gitCommit + (gitDirty ? " (with uncommitted changes)" : ""),
      "TensorFlow Java " + tensorflowJava + " (native TensorFlow " + tensorflowNative + ", " + nativeClassifier + ")",
      "Java " + java
    };
  }
}
