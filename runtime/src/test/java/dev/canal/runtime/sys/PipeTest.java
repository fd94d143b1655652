package dev.canal.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PipeTest {

    @Test
    void bytesWrittenComeOutOfTheReadEnd() {
        try (var pipe = Pipe.create()) {
            pipe.writeEnd().writeFully("step 3: EPERM".getBytes(StandardCharsets.UTF_8));
            byte[] buffer = new byte[32];
            int count = pipe.readEnd().read(buffer, 0, buffer.length);
            assertEquals("step 3: EPERM", new String(buffer, 0, count, StandardCharsets.UTF_8));
        }
    }

    @Test
    void bothEndsAreCloseOnExec() {
        try (var pipe = Pipe.create()) {
            assertTrue(pipe.readEnd().isCloseOnExec());
            assertTrue(pipe.writeEnd().isCloseOnExec());
        }
    }

    @Test
    void closingTheWriteEndIsEndOfFileForTheReader() {
        try (var pipe = Pipe.create()) {
            pipe.writeEnd().close();
            assertEquals(0, pipe.readEnd().read(new byte[8], 0, 8));
        }
    }
}
