package trailhound.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import trailhound.query.IocTree.Condition;
import trailhound.query.IocTree.Group;
import trailhound.query.IocTree.Item;
import trailhound.query.IocTree.Operator;
import trailhound.schema.Field;

class IocTreeTest {
    static final String SHA = "5F2B7C3A9E0D1F4B6A8C2E7D9B1A3C5E7F9D0B2A4C6E8F1A3B5D7C9E0F2A4B6C";

    @Test
    void toQuery_itemsAndGroups_parseAsTheLanguage() {
        IocTree tree = new Group(Operator.OR, List.of(
                new Item(IndicatorType.SHA256, Condition.IS, " " + SHA + " "),
                new Group(Operator.AND, List.of(
                        new Item(IndicatorType.PROCESS_NAME, Condition.IS, "powershell.exe"),
                        new Item(IndicatorType.COMMAND_LINE, Condition.CONTAINS, "-enc \"x\" AND *"))),
                new Item(IndicatorType.REGISTRY_KEY, Condition.CONTAINS, "\\CurrentVersion\\Run"),
                new Item(IndicatorType.FILE_NAME, Condition.IS, "svcmon.exe"),
                new Item(IndicatorType.IP, Condition.IS, "fe80::1")));
        assertEquals("(hash_sha256:" + SHA + " OR (process_name:powershell.exe AND command_line:*-enc\\ \\\"x\\\"\\ AND\\ \\**)"
                + " OR registry_key:*\\\\CurrentVersion\\\\Run* OR (path:*\\\\svcmon.exe OR path:*/svcmon.exe) OR ip:fe80::1)",
                tree.toQuery());
        QueryLanguage.parse(tree.toQuery()); // valid text
        assertEquals(6, tree.items().size());
    }

    @Test
    void item_exactValueWithSpaces_isAQuotedPhrase() {
        Item item = new Item(IndicatorType.COMMAND_LINE, Condition.IS, "\"C:\\a b.exe\" /x");
        assertEquals("command_line:\"\\\"C:\\\\a b.exe\\\" /x\"", item.toQuery());
        QueryLanguage.parse(item.toQuery());
    }

    @Test
    void matches_caseInsensitive_asTheQuery() {
        Map<Field, String> event = Map.of(Field.PROCESS_PATH, "C:\\ProgramData\\DRM\\SvcMon.EXE", Field.COMMAND_LINE, "X -ENC abc",
                Field.REMOTE_IP, "185.141.63.120");
        assertTrue(new Item(IndicatorType.FILE_NAME, Condition.IS, "svcmon.exe").matches(event::get));
        assertFalse(new Item(IndicatorType.FILE_NAME, Condition.IS, "mon.exe").matches(event::get));
        assertTrue(new Item(IndicatorType.FILE_PATH, Condition.CONTAINS, "\\drm\\").matches(event::get));
        assertTrue(new Item(IndicatorType.COMMAND_LINE, Condition.CONTAINS, "-enc").matches(event::get));
        assertTrue(new Item(IndicatorType.IP, Condition.IS, "185.141.63.120").matches(event::get));
        assertFalse(new Group(Operator.AND, List.of(new Item(IndicatorType.IP, Condition.IS, "185.141.63.120"),
                new Item(IndicatorType.DOMAIN, Condition.IS, "evil.example"))).matches(event::get));
    }

    @Test
    void item_badValues_refusedWithWhy() {
        assertEquals("'abc' is not an MD5 (32 hexadecimal digits)",
                assertThrows(IllegalArgumentException.class, () -> new Item(IndicatorType.MD5, Condition.IS, "abc")).getMessage());
        assertEquals("'300.1.1.1' is not an IPv4 or IPv6 address",
                assertThrows(IllegalArgumentException.class, () -> new Item(IndicatorType.IP, Condition.IS, "300.1.1.1")).getMessage());
        assertEquals("'evil.example' is not an IPv4 or IPv6 address",
                assertThrows(IllegalArgumentException.class, () -> new Item(IndicatorType.IP, Condition.IS, "evil.example")).getMessage());
        assertEquals("'10.0.0.0/33' is not a CIDR block: an IPv4 or IPv6 address, a slash and a prefix length (0 to 32 for IPv4, 0 to 128"
                + " for IPv6), such as 10.0.0.0/8",
                assertThrows(IllegalArgumentException.class, () -> new Item(IndicatorType.IP, Condition.IS, "10.0.0.0/33")).getMessage());
        assertEquals(IndicatorType.IP, new Item(IndicatorType.IP, Condition.IS, "10.0.0.0/32").type());
        assertThrows(IllegalArgumentException.class, () -> new Item(IndicatorType.IP, Condition.CONTAINS, "10.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> new Item(IndicatorType.DOMAIN, Condition.IS, " "));
        assertThrows(IllegalArgumentException.class, () -> new Group(Operator.AND, List.of()));
    }

    @Test
    void ipItem_cidrBlock_isTheLanguagesCidr_andMatchesAddressesInIt() {
        Item v4 = new Item(IndicatorType.IP, Condition.IS, "10.0.0.0/8");
        assertEquals("ip:10.0.0.0/8", v4.toQuery());
        QueryLanguage.parse(v4.toQuery()); // a CIDR query, not a refused address
        assertTrue(v4.matches(Map.of(Field.REMOTE_IP, "10.200.1.2")::get));
        assertFalse(v4.matches(Map.of(Field.REMOTE_IP, "11.0.0.1")::get));
        assertFalse(v4.matches(Map.of(Field.REMOTE_IP, "fe80::1")::get), "another family");
        Item v6 = new Item(IndicatorType.IP, Condition.IS, "fe80::/10");
        QueryLanguage.parse(v6.toQuery());
        assertTrue(v6.matches(Map.of(Field.LOCAL_IP, "FE80::1:2")::get));
        assertFalse(v6.matches(Map.of(Field.LOCAL_IP, "2001:db8::1")::get));
        assertTrue(new Item(IndicatorType.IP, Condition.IS, "0.0.0.0/0").matches(Map.of(Field.REMOTE_IP, "1.2.3.4")::get));
        for (String bad : List.of("10.0.0.0/33", "fe80::/129", "10.0.0.0/", "10.0.0.0/x", "evil.example/8")) {
            assertThrows(IllegalArgumentException.class, () -> new Item(IndicatorType.IP, Condition.IS, bad), bad);
        }
    }
}
