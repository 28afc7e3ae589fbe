package org.peftharness.cell;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListMemoryBytes;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;

import java.util.OptionalLong;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;

/**
 * The memory TensorFlow can use on this process's first GPU, from the C API's device list
 * ({@code TF_DeviceListMemoryBytes}, tensorflow/c/c_api.h: the device's {@code memory_limit}, what
 * its allocator was given at start-up, somewhat below the card's size); empty on a CPU build or a
 * machine without a GPU. Asked through an empty session, as TensorFlowDevices does.
 */
public final class GpuMemory {
  private GpuMemory() {}

  public static OptionalLong firstGpuBytes() {
    try (PointerScope scope = new PointerScope()) {
      TF_Status status = TF_Status.newStatus();
      TF_Session session = TF_Session.newSession(TF_Graph.newGraph(), TF_SessionOptions.newSessionOptions(), status);
      status.throwExceptionIfNotOK();
      TF_DeviceList devices = TF_SessionListDevices(session, status);
      status.throwExceptionIfNotOK();
      try {
        for (int i = 0; i < TF_DeviceListCount(devices); i++) {
          if (TF_DeviceListType(devices, i, status).getString().equals("GPU")) {
            long bytes = TF_DeviceListMemoryBytes(devices, i, status);
            status.throwExceptionIfNotOK();
            return OptionalLong.of(bytes);
          }
        }
        return OptionalLong.empty();
      } finally {
        TF_DeleteDeviceList(devices);
      }
    }
  }
}
