package org.peftharness.results.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A cell's point of its grid's sweeps as results.csv's {@code sweep} column records it,
 * {@code init=random lr=1.0e-4}: key=value settings separated by spaces, method options first,
 * then train settings (harness/grid Sweep and Cell.sweepText). Empty when the grid swept nothing.
 */
public record SweepPoint(List<Setting> settings) {
  public static final SweepPoint NONE = new SweepPoint(List.of());

  /** One swept setting; {@code value} is the text the grid wrote, e.g. {@code 1.0e-4}. */
  public record Setting(String key, String value) {
    /** The value as a number, or null when it is not one ({@code init=random}). */
    public Double number() {
      try {
        return Double.parseDouble(value);
      } catch (NumberFormatException e) {
        return null;
      }
    }

    String text() {
      return value.isEmpty() ? key : key + "=" + value;
    }
  }

  /**
   * Points in a fixed order: setting by setting, numbers by value (so {@code lr=1e-4} comes before
   * {@code lr=5e-4} however the grid spelled them), other values as text; a shorter point first.
   */
  public static final Comparator<SweepPoint> ORDER = (a, b) -> {
    for (int i = 0; i < Math.min(a.settings.size(), b.settings.size()); i++) {
      Setting x = a.settings.get(i);
      Setting y = b.settings.get(i);
      int c = x.key().compareTo(y.key());
      if (c == 0) {
        Double nx = x.number();
        Double ny = y.number();
        c = nx != null && ny != null ? Double.compare(nx, ny) : x.value().compareTo(y.value());
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.settings.size(), b.settings.size());
  };

  /** Reads a sweep column; null or blank gives {@link #NONE}. A word without '=' is kept as a key with an empty value. */
  public static SweepPoint parse(String text) {
    if (text == null || text.isBlank()) {
      return NONE;
    }
    List<Setting> out = new ArrayList<>();
    for (String word : text.trim().split("\\s+")) {
      int eq = word.indexOf('=');
      out.add(eq < 0 ? new Setting(word, "") : new Setting(word.substring(0, eq), word.substring(eq + 1)));
    }
    return new SweepPoint(List.copyOf(out));
  }

  public boolean isEmpty() {
    return settings.isEmpty();
  }

  /** The method options of the point ({@code init=random}): what makes a variant of a method. */
  public SweepPoint methodOptions() {
    return filter(s -> !TrainSettings.isTrainSetting(s.key()));
  }

  /** The train settings of the point ({@code lr=1.0e-4}): what validation may tune. */
  public SweepPoint trainSettings() {
    return filter(s -> TrainSettings.isTrainSetting(s.key()));
  }

  /** The point without the setting {@code key}. */
  public SweepPoint without(String key) {
    return filter(s -> !s.key().equals(key));
  }

  /** The setting {@code key} of the point, or null when the point does not sweep it. */
  public Setting get(String key) {
    return settings.stream().filter(s -> s.key().equals(key)).findFirst().orElse(null);
  }

  /** As the sweep column writes it: {@code init=random lr=1.0e-4}; empty for none. */
  public String text() {
    return settings.stream().map(Setting::text).collect(Collectors.joining(" "));
  }

  private SweepPoint filter(Predicate<Setting> keep) {
    return new SweepPoint(settings.stream().filter(keep).toList());
  }
}
