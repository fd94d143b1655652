package dev.canal.engine;

public interface OutputSink {
    void write(String var1, byte[] var2, int var3, int var4);

    void end();
}
