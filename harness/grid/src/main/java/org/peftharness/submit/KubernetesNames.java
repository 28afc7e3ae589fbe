package org.peftharness.submit;

import java.util.Locale;
import java.util.regex.Pattern;
import org.peftharness.core.InvalidInputException;

/** The shapes Kubernetes accepts for names and resource quantities, checked before kubectl is. */
final class KubernetesNames {
  /** RFC 1123 label: object names such as a Job's or a namespace. */
  static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  /** RFC 1123 subdomain: a claim's name may have dots. */
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  /** A quantity in bytes: a plain, binary-suffixed (Gi) or decimal-suffixed (G) number, or an exponent. */
  private static final Pattern MEMORY = Pattern.compile("([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|[eE][0-9]+)?");
  /** What people write by habit instead: 32GB, 32gb, 32 G, 500m. */
  private static final Pattern HABIT = Pattern.compile("([0-9.]+)\\s*([kKmMgGtTpP])[iI]?[bB]?");

  private KubernetesNames() {}

  /** At most {@code max} characters of lowercase letters, digits and inner dashes; "grid" if nothing is left. */
  static String label(String text, int max) {
    String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+", "");
    if (s.length() > max) {
      s = s.substring(0, max);
    }
    s = s.replaceAll("-+$", "");
    return s.isEmpty() ? "grid" : s;
  }

  static void requireLabel(String value, String option) {
    if (value != null && !DNS_LABEL.matcher(value).matches()) {
      throw new InvalidInputException("argument " + option, 0, null, "'" + value
          + "' is not a Kubernetes name: lowercase letters, digits and '-', at most 63, starting and ending with a letter or digit");
    }
  }

  static void requireSubdomain(String value, String option) {
    if (value == null || !DNS_SUBDOMAIN.matcher(value).matches()) {
      throw new InvalidInputException("argument " + option, 0, null, "'" + value
          + "' is not a Kubernetes name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit");
    }
  }

  /** {@code memory} unchanged when Kubernetes reads it as bytes the way the user meant; else an error that says what to write. */
  static String memory(String memory, String option) {
    if (MEMORY.matcher(memory).matches()) {
      return memory;
    }
    // Kubernetes would refuse "32GB" and "32g", and take "500m" as thousandths of a byte: none is what was meant
    var habit = HABIT.matcher(memory.trim());
    String hint = habit.matches()
        ? "; write " + habit.group(1) + habit.group(2).toUpperCase(Locale.ROOT) + "i (binary units) or " + habit.group(1)
            + decimal(habit.group(2)) + " (decimal units)"
        : "; write it like 32Gi, 512Mi or 64G";
    throw new InvalidInputException("argument " + option, 0, null, "'" + memory + "' is not a Kubernetes memory quantity" + hint);
  }

  private static String decimal(String unit) {
    String u = unit.toUpperCase(Locale.ROOT);
    return u.equals("K") ? "k" : u;
  }
}
