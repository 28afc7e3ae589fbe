package org.peftharness.results;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of files and texts, in lower-case hex, for provenance and cell ids. */
public final class Hashes {
  private Hashes() {}

  public static String sha256(Path file) throws IOException {
    MessageDigest d = digest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n = in.read(buf); n > 0; n = in.read(buf)) {
        d.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }

  public static String sha256(String text) {
    return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** A running hash over many strings (each length-prefixed so "ab","c" differs from "a","bc"). */
  public static final class Running {
    private final MessageDigest d = digest();

    public Running add(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      d.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
      d.update((byte) ':');
      d.update(b);
      return this;
    }

    public String hex() {
      return HexFormat.of().formatHex(d.digest());
    }
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
