package org.peftharness.methods.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.adapter.SessionTransfers.Assignment;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class SessionTransfersTest {
  private static final long MIB = 1L << 20;

  @Test
  void groupsConsecutiveItemsWithinTheRunBudgetAndKeepsTheirOrder() {
    long quarter = SessionTransfers.RUN_BYTES / 4;
    List<Long> sizes = List.of(quarter, quarter, quarter, quarter, 1L, 3 * quarter, quarter, quarter);
    List<List<Long>> runs = SessionTransfers.runs(sizes, Long::longValue);
    // 4 quarters fill a run exactly; the fifth item opens the next, which takes 1 + 3 quarters
    assertThat(runs).containsExactly(List.of(quarter, quarter, quarter, quarter), List.of(1L, 3 * quarter),
        List.of(quarter, quarter));
  }

  @Test
  void aTensorLargerThanARunGoesAlone() {
    long big = SessionTransfers.RUN_BYTES + MIB;
    assertThat(SessionTransfers.runs(List.of(MIB, big, MIB), Long::longValue))
        .containsExactly(List.of(MIB), List.of(big), List.of(MIB));
    assertThat(SessionTransfers.runs(List.<Long>of(), Long::longValue)).isEmpty();
  }

  @Test
  void assignsAndFetchesEveryVariableBitForBitAndReadsEachValueOnlyWhenItsRunComes() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      List<Variable<TFloat32>> vars = new ArrayList<>();
      List<Assignment> assignments = new ArrayList<>();
      List<FloatTensor> values = new ArrayList<>();
      int[] read = {0};
      for (int i = 0; i < 40; i++) {
        long[] shape = {i % 5 + 1, 3};
        Variable<TFloat32> v = tf.withName("v" + i).variable(Shape.of(shape), TFloat32.class);
        Placeholder<TFloat32> feed = tf.withName("v" + i + ".feed").placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
        float[] data = new float[(int) (shape[0] * shape[1])];
        for (int k = 0; k < data.length; k++) {
          data[k] = Float.intBitsToFloat(0x3f800000 + i * 977 + k * 31);
        }
        FloatTensor value = new FloatTensor(shape, data);
        vars.add(v);
        values.add(value);
        assignments.add(new Assignment(feed, tf.assign(v, feed), () -> {
          read[0]++;
          return value;
        }));
      }
      assertThat(read[0]).isZero();
      SessionTransfers.assign(s, assignments);
      assertThat(read[0]).isEqualTo(40);

      List<FloatTensor> fetched = SessionTransfers.fetch(s, vars);
      assertThat(fetched).hasSize(40);
      for (int i = 0; i < 40; i++) {
        assertThat(fetched.get(i).shape()).isEqualTo(values.get(i).shape());
        assertThat(fetched.get(i).data()).isEqualTo(values.get(i).data());
      }
    }
  }
}
