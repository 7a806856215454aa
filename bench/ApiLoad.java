import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Open-model load for bench/api.sh: CLIENTS keep-alive HTTP/1.1 connections, one per simulated client, each sending
 * RATE / CLIENTS requests a second with the clients' phases spread evenly over the second (request i is due at
 * start + i / RATE, on client i mod CLIENTS), whatever happened to earlier ones. Latency runs from the due time, not
 * the send time: a request due while its client still waits for the previous answer queues behind it, and that wait
 * is in its latency (no coordinated omission). A request without a 200 is an error, and so is one still unanswered
 * TIMEOUT after it was due.
 *
 * One thread and one selector drive every connection with a request prepared once, so the generator spends
 * microseconds per request: it shares the app's two cores, and a heavier client would starve the server it
 * measures (the JDK HttpClient with a virtual thread per request took about 0.8 ms of CPU per request here).
 *
 * Usage: java ApiLoad.java URL AUTHORIZATION RATE SECONDS [CLIENTS (1000)]
 * Prints: rate=… clients=… sent=… ok=… errors=… p50_ms=… p95_ms=… p99_ms=… max_ms=…
 */
public class ApiLoad {
    private static final long TIMEOUT = 10_000_000_000L;

    /** One client: its connection, the due times of its requests not yet answered (the head is in flight), and the answer so far. */
    private static final class Client {
        final ArrayDeque<long[]> waiting = new ArrayDeque<>(); // {due nanos, request index}
        SocketChannel channel;
        SelectionKey key;
        byte[] in = new byte[16 * 1024];
        int length;
    }

    private static InetSocketAddress address;
    private static Selector selector;
    private static byte[] request;
    private static long[] latency;
    private static boolean[] ok;
    private static final Map<String, Integer> failures = new TreeMap<>();

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        String authorization = args[1];
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int clientCount = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
        int total = rate * seconds;
        address = new InetSocketAddress(uri.getHost(), uri.getPort());
        request = ("GET " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\nAuthorization: " + authorization
                + "\r\nAccept: application/json\r\nUser-Agent: crosspost-bench\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        latency = new long[total];
        ok = new boolean[total];
        selector = Selector.open();
        Client[] clients = new Client[clientCount];
        for (int c = 0; c < clientCount; c++) {
            clients[c] = new Client();
            connect(clients[c]);
        }
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime() + 200_000_000L;
        int next = 0;
        int answered = 0;
        long end = start + (long) total * interval + TIMEOUT;
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        while (answered < total && System.nanoTime() < end) {
            long now = System.nanoTime();
            for (; next < total && start + next * interval <= now; next++) {
                Client client = clients[next % clientCount];
                client.waiting.add(new long[]{start + next * interval, next});
                if (client.waiting.size() == 1) {
                    send(client);
                }
            }
            long wait = next < total ? start + next * interval - System.nanoTime() : 10_000_000L;
            if (wait > 0) {
                selector.select(Math.max(1, wait / 1_000_000L));
            } else {
                selector.selectNow();
            }
            for (SelectionKey key : selector.selectedKeys()) {
                Client client = (Client) key.attachment();
                answered += read(client, buffer);
            }
            selector.selectedKeys().clear();
        }
        // what has not answered by now is an error, with the time it has waited so far
        long now = System.nanoTime();
        for (Client client : clients) {
            for (long[] w : client.waiting) {
                latency[(int) w[1]] = now - w[0];
                failures.merge("no answer", 1, Integer::sum);
            }
        }
        for (int i = next; i < total; i++) {
            latency[i] = Math.max(0, now - (start + i * interval));
            failures.merge("never sent", 1, Integer::sum);
        }
        int okCount = 0;
        for (boolean b : ok) {
            okCount += b ? 1 : 0;
        }
        long[] sorted = latency.clone();
        Arrays.sort(sorted);
        if (!failures.isEmpty()) {
            System.err.println("failures: " + failures);
        }
        System.out.printf("rate=%d clients=%d sent=%d ok=%d errors=%d p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f%n", rate,
                clientCount, total, okCount, total - okCount, ms(sorted, 0.50), ms(sorted, 0.95), ms(sorted, 0.99),
                sorted[total - 1] / 1e6);
        System.exit(0);
    }

    private static void connect(Client client) throws IOException {
        client.channel = SocketChannel.open(address);
        client.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        client.channel.configureBlocking(false);
        client.key = client.channel.register(selector, SelectionKey.OP_READ, client);
        client.length = 0;
    }

    /** Writes the head request of the client's queue (the request is small enough for one write to a fresh socket buffer). */
    private static void send(Client client) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(request);
        while (out.hasRemaining()) {
            client.channel.write(out);
        }
    }

    /** Reads what arrived; returns 1 when it completed the answer to the client's head request. */
    private static int read(Client client, ByteBuffer buffer) throws IOException {
        buffer.clear();
        int n;
        try {
            n = client.channel.read(buffer);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) { // the server closed the connection: the request in flight failed; reconnect for the rest
            client.key.cancel();
            client.channel.close();
            int done = finish(client, false, "connection closed");
            connect(client);
            if (!client.waiting.isEmpty()) {
                send(client);
            }
            return done;
        }
        buffer.flip();
        if (client.length + n > client.in.length) {
            client.in = Arrays.copyOf(client.in, Math.max(client.in.length * 2, client.length + n));
        }
        buffer.get(client.in, client.length, n);
        client.length += n;
        int end = complete(client.in, client.length);
        if (end < 0) {
            return 0;
        }
        int status = (client.in[9] - '0') * 100 + (client.in[10] - '0') * 10 + (client.in[11] - '0');
        System.arraycopy(client.in, end, client.in, 0, client.length - end);
        client.length -= end;
        int done = finish(client, status == 200, "status " + status);
        if (!client.waiting.isEmpty()) {
            send(client);
        }
        return done;
    }

    private static int finish(Client client, boolean good, String why) {
        long[] head = client.waiting.poll();
        if (head == null) {
            return 0;
        }
        int i = (int) head[1];
        latency[i] = System.nanoTime() - head[0];
        ok[i] = good && latency[i] <= TIMEOUT;
        if (!ok[i]) {
            failures.merge(good ? "over the timeout" : why, 1, Integer::sum);
        }
        return 1;
    }

    /** The length of the first whole response in bytes (head plus a Content-Length or chunked body), or -1 if it is not all here. */
    private static int complete(byte[] b, int length) {
        int head = indexOf(b, length, 0, CRLFCRLF);
        if (head < 0) {
            return -1;
        }
        int bodyStart = head + 4;
        int contentLength = -1;
        boolean chunked = false;
        for (int line = indexOf(b, head, 0, CRLF) + 2; line > 1 && line < head; line = indexOf(b, head + 2, line, CRLF) + 2) {
            if (startsWithIgnoreCase(b, line, "content-length:")) {
                contentLength = parse(b, line + 15, 10);
            } else if (startsWithIgnoreCase(b, line, "transfer-encoding:")) {
                chunked = true; // the only coding a server sends us
            }
        }
        if (contentLength >= 0) {
            return length >= bodyStart + contentLength ? bodyStart + contentLength : -1;
        }
        if (!chunked) {
            return bodyStart; // no body (e.g. 204/304)
        }
        int at = bodyStart;
        while (true) {
            int eol = indexOf(b, length, at, CRLF);
            if (eol < 0) {
                return -1;
            }
            int chunk = parse(b, at, 16);
            if (chunk == 0) {
                int trailerEnd = indexOf(b, length, eol, CRLFCRLF);
                return trailerEnd < 0 ? -1 : trailerEnd + 4;
            }
            at = eol + 2 + chunk + 2;
            if (at > length) {
                return -1;
            }
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CRLFCRLF = {'\r', '\n', '\r', '\n'};

    /** The number in base radix at from, after any spaces, up to the first byte that is not a digit. */
    private static int parse(byte[] b, int from, int radix) {
        int i = from;
        while (b[i] == ' ') {
            i++;
        }
        int value = 0;
        for (int digit; (digit = Character.digit(b[i], radix)) >= 0; i++) {
            value = value * radix + digit;
        }
        return value;
    }

    private static boolean startsWithIgnoreCase(byte[] b, int from, String s) {
        for (int j = 0; j < s.length(); j++) {
            if (from + j >= b.length || Character.toLowerCase(b[from + j]) != s.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, int length, int from, byte[] s) {
        outer:
        for (int i = from; i <= length - s.length; i++) {
            for (int j = 0; j < s.length; j++) {
                if (b[i + j] != s[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
