package org.peftharness.core.text;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rule for a name that becomes a file or folder name (a grid's name makes {@code runs/<name>}):
 * letters, digits, '.', '_' and '-', not starting with a dot. That leaves no separator, no
 * {@code ..}, no hidden file and nothing a shell or a file system reads specially, so such a name
 * can never place a file outside the folder it is resolved in.
 */
public final class FolderNames {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
  private static final int MAX_LENGTH = 128;

  private FolderNames() {}

  /** What is wrong with {@code name} as a folder name, or empty when it is fine. */
  public static Optional<String> problem(String name) {
    if (name.isEmpty()) {
      return Optional.of("is empty");
    }
    if (name.length() > MAX_LENGTH) {
      return Optional.of("is " + name.length() + " characters long; a name has at most " + MAX_LENGTH);
    }
    if (!SAFE.matcher(name).matches()) {
      return Optional.of("'" + name + "' is not a plain name: it names a folder, so it takes letters, digits, '.', '_' and '-',"
          + " and does not start with a dot");
    }
    return Optional.empty();
  }
}
