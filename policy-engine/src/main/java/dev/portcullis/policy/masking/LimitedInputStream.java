package dev.portcullis.policy.masking;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read and fails as soon as there are more than the limit. It never asks the source for more than one
 * byte past the limit, so an oversized body costs at most the limit to refuse.
 */
final class LimitedInputStream extends FilterInputStream {

    private final long limit;
    private long count;
    private boolean exceeded;

    LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    long count() {
        return count;
    }

    long limit() {
        return limit;
    }

    boolean exceeded() {
        return exceeded;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        long allowed = limit - count + 1;
        int n = in.read(buffer, offset, (int) Math.min(length, allowed));
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // skipping would count nothing, so skipped bytes are read and counted like any other
        long skipped = 0;
        byte[] scratch = new byte[(int) Math.min(n, 8192)];
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(n - skipped, scratch.length));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void mark(int readLimit) {
        // not supported: a reset would count bytes twice
    }

    @Override
    public void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    @Override
    public void close() {
        // the caller owns the source
    }

    private void counted(int n) {
        count += n;
        if (count > limit) {
            exceeded = true;
            throw new BodyTooLargeException(limit);
        }
    }
}
