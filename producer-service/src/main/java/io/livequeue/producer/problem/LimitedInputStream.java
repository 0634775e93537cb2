package io.livequeue.producer.problem;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body read through a limit: the read that takes it over {@code limit} bytes throws
 * {@link BodyTooLargeException}, so a body sent in chunks is refused as soon as it is too large, never held whole.
 * {@link #close()} leaves the request alone once the limit was hit: the rest of the body is not read (the answer closes
 * the connection).
 */
public final class LimitedInputStream extends FilterInputStream {

    private final long limit;
    private long count;
    private boolean over;
    private boolean ended;

    public LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    /** Bytes read so far. */
    public long count() {
        return count;
    }

    /** Whether the body was read to its end. */
    public boolean ended() {
        return ended;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        } else {
            ended = true;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            counted(n);
        } else if (n < 0) {
            ended = true;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        if (skipped > 0) {
            counted(skipped);
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() throws IOException {
        if (!over) {
            super.close();
        }
    }

    private void counted(long n) {
        count += n;
        if (count > limit) {
            over = true;
            throw new BodyTooLargeException(limit);
        }
    }
}
