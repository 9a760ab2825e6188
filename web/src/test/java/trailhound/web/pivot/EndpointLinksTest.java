package trailhound.web.pivot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.store.EndpointInfo;

/** Which values name which endpoint (the access side is PivotPagesTest's). */
class EndpointLinksTest {
    private static final long TS = java.time.Instant.parse("2026-11-18T11:06:40Z").toEpochMilli();
    private final EndpointLinks links = new EndpointLinks("WS-01", List.of(
            new EndpointInfo("WS-01", "windows", "ws-01.corp.example", "10.0.0.1", 1),
            new EndpointInfo("DC-01", "windows", "dc-01.corp.example", "10.0.0.10", 1),
            new EndpointInfo("app.eu.example", "linux", null, "2001:db8::10", 1),
            new EndpointInfo("app.us.example", "linux", null, null, 1),
            new EndpointInfo("db-01", "linux", null, null, 1)));

    private List<String> named(Field field, String value) {
        return links.find(field, value, TS).stream().map(EndpointLink::endpoint).toList();
    }

    @Test
    void find_uncHosts_byNameHostNameFirstLabelOrAddress() {
        assertEquals(List.of("DC-01"), named(Field.COMMAND_LINE, "psexec.exe \\\\DC-01 -s cmd"));
        assertEquals(List.of("DC-01"), named(Field.COMMAND_LINE, "net use \\\\dc-01.corp.example\\c$"));
        assertEquals(List.of("DC-01"), named(Field.FILE_PATH, "\\\\DC-01.\\admin$\\x.exe"));
        assertEquals(List.of("DC-01"), named(Field.COMMAND_LINE, "copy a \\\\10.0.0.10\\c$\\a"));
        assertEquals(List.of("DC-01", "db-01"), named(Field.COMMAND_LINE, "\\\\DC-01\\a \\\\db-01\\b \\\\dc-01\\c"), "each once, in order");
        assertEquals(List.of("db-01"), named(Field.REGISTRY_VALUE_DATA, "\"\\\\DB-01\\share\\run.bat\""));
    }

    @Test
    void find_addresses_inIpFieldsButTheLocalOne() {
        assertEquals(List.of("DC-01"), named(Field.REMOTE_IP, "10.0.0.10"));
        assertEquals(List.of("DC-01"), named(Field.LOGON_SOURCE_IP, "10.0.0.10"));
        assertEquals(List.of("app.eu.example"), named(Field.REMOTE_IP, "2001:DB8::10"));
        assertEquals(List.of(), named(Field.LOCAL_IP, "10.0.0.10"));
        assertEquals(List.of(), named(Field.REMOTE_IP, "10.0.0.100"));
    }

    @Test
    void find_nothing_forItself_sharedShortNames_orNamesOutsideUncAndDns() {
        assertEquals(List.of(), named(Field.COMMAND_LINE, "\\\\WS-01\\c$"), "itself");
        assertEquals(List.of(), named(Field.REMOTE_IP, "10.0.0.1"), "itself");
        assertEquals(List.of(), named(Field.COMMAND_LINE, "\\\\app\\share"), "two endpoints are 'app'");
        assertEquals(List.of("app.us.example"), named(Field.COMMAND_LINE, "\\\\APP.US.EXAMPLE\\share"));
        assertEquals(List.of(), named(Field.COMMAND_LINE, "ping DC-01"), "a bare word is not a host reference");
        assertEquals(List.of(), named(Field.USER, "DC-01\\admin"));
        assertEquals(List.of("DC-01"), named(Field.DNS_QUERY, "dc-01.corp.example"));
        assertEquals(List.of(), named(Field.DNS_QUERY, "dc-01.evil.example"), "a domain is matched whole");
    }

    @Test
    void find_window_fiveMinutesEitherSide_inTheGridsUrl() {
        EndpointLink l = links.find(Field.REMOTE_IP, "10.0.0.10", TS + 123).getFirst();
        assertEquals("2026-11-18T11:01:40Z", l.from());
        assertEquals("2026-11-18T11:11:41Z", l.to());
        assertEquals("/endpoints/DC-01/events?q=&from=2026-11-18T11%3A01%3A40Z&to=2026-11-18T11%3A11%3A41Z", l.url());
        assertEquals("remote_ip", l.field());
    }

    @Test
    void find_event_everyField_eachEndpointOnce() {
        Event e = Event.builder().ts(TS).set(Field.TYPE, "network").set(Field.OPERATION, "connect").set(Field.EVENT_UID, "u1")
                .set(Field.COMMAND_LINE, "psexec \\\\DC-01 cmd").set(Field.REMOTE_IP, "10.0.0.10").set(Field.LOCAL_IP, "10.0.0.1").build();
        List<EndpointLink> found = links.find(e);
        assertEquals(1, found.size());
        assertEquals("command_line", found.getFirst().field());
    }
}
