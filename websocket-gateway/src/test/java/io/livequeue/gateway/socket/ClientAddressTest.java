package io.livequeue.gateway.socket;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The key the per-address cap counts a client by. */
class ClientAddressTest {

    @Test
    void anIpv4AddressIsItsOwnKey() {
        assertThat(ClientAddress.key("203.0.113.7")).isEqualTo("203.0.113.7");
    }

    @Test
    void anIpv6AddressCountsByItsSlash64() {
        String key = ClientAddress.key("2001:db8:1:2:aaaa:bbbb:cccc:dddd");
        assertThat(key).isEqualTo("2001:db8:1:2::/64");
        assertThat(ClientAddress.key("2001:0db8:0001:0002:0:0:0:1")).isEqualTo(key);
        assertThat(ClientAddress.key("[2001:db8:1:2::99%eth0]")).isEqualTo(key);
        assertThat(ClientAddress.key("2001:db8:1:3::1")).isNotEqualTo(key);
    }

    @Test
    void anIpv4MappedIpv6AddressIsTheIpv4Address() {
        assertThat(ClientAddress.key("::ffff:203.0.113.7")).isEqualTo("203.0.113.7");
    }

    @Test
    void noAddressIsNoKeyAndNothingIsLookedUp() {
        assertThat(ClientAddress.key(null)).isNull();
        assertThat(ClientAddress.key("")).isNull();
        // not a literal: kept as it is (lower case), never resolved
        assertThat(ClientAddress.key("Not:An:Address")).isEqualTo("not:an:address");
    }
}
