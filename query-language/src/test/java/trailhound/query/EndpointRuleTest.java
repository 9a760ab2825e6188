package trailhound.query;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointRuleTest {
    private static final EndpointRule.Endpoint WS = new EndpointRule.Endpoint("WS-FIN-01", "ws-fin-01.corp.example", "windows",
            "10.1.2.3", List.of("finance", "VIP"));
    private static final EndpointRule.Endpoint SRV = new EndpointRule.Endpoint("srv-web", null, "linux", "fe80::1", List.of());

    private static boolean m(String rule, EndpointRule.Endpoint e) {
        return EndpointRule.parse(rule).matches(e);
    }

    @Test
    void everyValueFormWorksOnEveryAttribute() {
        assertTrue(m("os:windows AND name:WS-*", WS));
        assertFalse(m("os:windows AND name:WS-*", SRV));
        assertTrue(m("name:*fin*", WS));
        assertTrue(m("hostname:*.corp.example", WS));
        assertTrue(m("name:/ws-[a-z]+-\\d+/", WS));
        assertTrue(m("tag:vip", WS));
        assertTrue(m("tags:(finance OR hr)", WS));
        assertFalse(m("tag:*", SRV));
        assertTrue(m("NOT tag:*", SRV));
        assertTrue(m("ip:10.0.0.0/8", WS));
        assertTrue(m("ip:[10.1.0.0 TO 10.1.255.255]", WS));
        assertFalse(m("ip:10.0.0.0/8", SRV));
        assertTrue(m("ip:fe80::/10", SRV));
        assertTrue(m("os:linux OR tag:finance", WS));
        assertTrue(m("NOT os:windows", SRV));
    }

    @Test
    void mistakesAreSyntaxErrorsNamingTheAttributes() {
        QuerySyntaxException e = assertThrows(QuerySyntaxException.class, () -> EndpointRule.parse("process_name:x"));
        assertTrue(e.getMessage().contains("known fields: name, hostname, os, ip, tag, tags"), e.getMessage());
        assertTrue(assertThrows(QuerySyntaxException.class, () -> EndpointRule.parse("nmae:x")).getMessage().contains("did you mean name"));
        assertThrows(QuerySyntaxException.class, () -> EndpointRule.parse("ip:not-an-ip"));
        assertThrows(QuerySyntaxException.class, () -> EndpointRule.parse(" "));
        assertThrows(QuerySyntaxException.class, () -> EndpointRule.parse("windows"));
    }

    @Test
    void parse_aTermWithoutField_suggestsAValidRuleNotAnEventField() {
        QuerySyntaxException e = assertThrows(QuerySyntaxException.class, () -> EndpointRule.parse("WS-FIN-*"));
        assertTrue(e.getMessage().contains("(e.g. name:WS-FIN-*)"), e.getMessage());
        assertFalse(e.getMessage().contains("process_name"), e.getMessage());
        assertTrue(m("name:WS-FIN-*", WS), "the suggestion is itself a rule that works");
    }
}
