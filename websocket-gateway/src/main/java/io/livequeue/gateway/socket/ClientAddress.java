package io.livequeue.gateway.socket;

import io.quarkus.websockets.next.UserData.TypedKey;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Who a client is for the per-address cap: the address the upgrade request came from, as Vert.x reports it (the TCP
 * peer, or the proxy's forwarded client address only when {@code quarkus.http.proxy.*} trusts that proxy: a header
 * the client wrote itself is never taken). An IPv6 client counts by its /64, because one host commonly has a whole
 * /64 to pick addresses from. The key is found once, at the upgrade, and handed to the socket in its user data.
 */
final class ClientAddress {

    /** The socket's key in {@code connection.userData()}, put there by {@link UpgradeCheck}. */
    static final TypedKey<String> KEY = TypedKey.forString("livequeue.client-address");

    private ClientAddress() {
    }

    /** The key of the request's client, or null when the request has no address (nothing is then counted). */
    static String of(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        return remote == null ? null : key(remote.hostAddress());
    }

    /** An IPv4 address as it is; an IPv6 address as its first 64 bits ({@code 2001:db8:1:2::/64}). */
    static String key(String hostAddress) {
        if (hostAddress == null || hostAddress.isEmpty()) {
            return null;
        }
        if (hostAddress.indexOf(':') < 0) {
            return hostAddress;
        }
        try {
            // a literal: parsed, never looked up
            byte[] bytes = InetAddress.getByName(stripBrackets(hostAddress)).getAddress();
            if (bytes.length != 16) {
                return InetAddress.getByAddress(bytes).getHostAddress();
            }
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString((bytes[i] & 0xff) << 8 | (bytes[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        } catch (UnknownHostException | SecurityException e) {
            return hostAddress.toLowerCase(Locale.ROOT);
        }
    }

    private static String stripBrackets(String address) {
        String bare = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
                : address;
        int zone = bare.indexOf('%');
        return zone < 0 ? bare : bare.substring(0, zone);
    }
}
