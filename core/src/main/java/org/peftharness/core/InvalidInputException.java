package org.peftharness.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A user-supplied file or argument is wrong. Carries where (file, line, field) so the CLI can print
 * one precise line and exit with {@link ExitCode#INVALID_INPUT} instead of a stack trace.
 */
public class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final String field;
  private final String problem;

  /**
   * @param source the file (or "argument --x") the fault is in; may be null
   * @param line 1-based line, or 0 when the format has no lines or the line is unknown
   * @param field the field, key or tensor name at fault; may be null
   * @param problem what is wrong, phrased for the user
   */
  public InvalidInputException(String source, int line, String field, String problem) {
    this(source, line, field, problem, null);
  }

  public InvalidInputException(String source, int line, String field, String problem, Throwable cause) {
    super(format(source, line, field, problem), cause);
    this.source = source;
    this.line = line;
    this.field = field;
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  public InvalidInputException(Path file, int line, String field, String problem) {
    this(file == null ? null : file.toString(), line, field, problem, null);
  }

  public InvalidInputException(Path file, String field, String problem) {
    this(file == null ? null : file.toString(), 0, field, problem, null);
  }

  public String source() {
    return source;
  }

  public int line() {
    return line;
  }

  public String field() {
    return field;
  }

  public String problem() {
    return problem;
  }

  /** {@code file:line: field: problem}, leaving out the parts that are unknown. */
  public static String format(String source, int line, String field, String problem) {
    StringBuilder sb = new StringBuilder();
    if (source != null) {
      sb.append(source);
      if (line > 0) {
        sb.append(':').append(line);
      }
      sb.append(": ");
    }
    if (field != null && !field.isEmpty()) {
      sb.append(field).append(": ");
    }
    return sb.append(problem).toString();
  }

  /** Several faults found in one pass (for example a grid file validated as a whole). */
  public static final class Many extends InvalidInputException {
    private static final long serialVersionUID = 1L;
    private final List<InvalidInputException> all;

    public Many(List<InvalidInputException> all) {
      super((String) null, 0, null, joined(all));
      this.all = List.copyOf(all);
    }

    public List<InvalidInputException> all() {
      return all;
    }

    private static String joined(List<InvalidInputException> all) {
      if (all.isEmpty()) {
        throw new IllegalArgumentException("no faults");
      }
      StringBuilder sb = new StringBuilder();
      for (InvalidInputException e : all) {
        if (sb.length() > 0) {
          sb.append(System.lineSeparator());
        }
        sb.append(e.getMessage());
      }
      return sb.toString();
    }
  }
}
