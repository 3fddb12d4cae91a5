package dev.portcullis.policy.masking;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Counts the bytes written; passes arrays through whole, which {@link FilterOutputStream} would split into bytes. */
final class CountingOutputStream extends FilterOutputStream {

    private long count;

    CountingOutputStream(OutputStream out) {
        super(out);
    }

    long count() {
        return count;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        count++;
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        out.write(buffer, offset, length);
        count += length;
    }

    @Override
    public void close() throws IOException {
        // the caller owns the target; flushing is all a close may do here
        out.flush();
    }
}
