package org.peftharness.methods;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.peftharness.core.tensor.FloatTensor;

/** Small helpers for the tests. */
public final class TestTensors {
  private TestTensors() {}

  public static FloatTensor random(SplittableRandom rng, double scale, long... shape) {
    float[] d = new float[Math.toIntExact(FloatTensor.elementCount(shape))];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (scale * rng.nextGaussian());
    }
    return new FloatTensor(shape, d);
  }

  public static double maxAbsDiff(FloatTensor a, FloatTensor b) {
    assertThat(a.shape()).as("shape").containsExactly(b.shape());
    double m = 0;
    for (int i = 0; i < a.size(); i++) {
      m = Math.max(m, Math.abs((double) a.data()[i] - b.data()[i]));
    }
    return m;
  }

  public static double maxAbs(FloatTensor a) {
    double m = 0;
    for (float f : a.data()) {
      m = Math.max(m, Math.abs(f));
    }
    return m;
  }

  public static void assertClose(FloatTensor actual, FloatTensor expected, double tol, String what) {
    assertThat(maxAbsDiff(actual, expected)).as(what + " max abs diff").isLessThanOrEqualTo(tol);
  }
}
