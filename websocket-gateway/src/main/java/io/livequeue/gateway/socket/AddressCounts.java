package io.livequeue.gateway.socket;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open sockets per client address, for the per-address cap: one entry per address that has sockets open (not one
 * per socket), removed with its last socket. Taking and giving back a slot is one atomic map update.
 */
final class AddressCounts {

    private final Map<String, Slots> counts = new ConcurrentHashMap<>();

    /** The sockets of one address; changed only inside the map's atomic updates. */
    private static final class Slots {
        final String address;
        volatile int open;

        Slots(String address) {
            this.address = address;
        }
    }

    /**
     * Takes a slot for {@code address} unless it holds {@code cap} already.
     *
     * @return the map's own copy of the address (one string per address, however many sockets it has), or null when
     *     the address is at its cap
     */
    String acquire(String address, int cap) {
        String[] taken = {null};
        counts.compute(address, (key, slots) -> {
            Slots now = slots == null ? new Slots(key) : slots;
            if (now.open < cap) {
                now.open++;
                taken[0] = now.address;
            }
            return now.open == 0 ? null : now;
        });
        return taken[0];
    }

    /** Gives back a slot taken with {@link #acquire}. */
    void release(String address) {
        counts.computeIfPresent(address, (key, slots) -> --slots.open <= 0 ? null : slots);
    }

    /** Sockets open from {@code address}. */
    int count(String address) {
        Slots slots = counts.get(address);
        return slots == null ? 0 : slots.open;
    }

    /** Addresses with at least one socket open. */
    int addresses() {
        return counts.size();
    }
}
