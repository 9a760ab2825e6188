package trailhound.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The /proc line formats, with lines as the kernel writes them (a little-endian machine's, as every CI machine here is). */
class ProcParsingTest {
    @Test
    void stat_commandNameWithSpacesAndParentheses_fieldsCountedFromTheLastParenthesis() {
        String line = "4242 (evil) S 1 (x) R 17 4242 4242 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 987654 10000 100 18446744073709551615";
        ProcFs.Stat s = ProcFs.parseStat(line);
        assertEquals(4242, s.pid());
        assertEquals("evil) S 1 (x", s.comm());
        assertEquals(17, s.ppid());
        assertEquals(987654, s.startTicks());
        assertEquals(false, s.kernelThread());
        assertTrue(ProcFs.parseStat("2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0 18446744073709551615").kernelThread());
        assertNull(ProcFs.parseStat("garbage"));
    }

    @Test
    void netLines_ipv4Ipv6AndMapped_readAsText() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) return; // the sample lines are a little-endian machine's
        ProcNet.Socket v4 = ProcNet.parse("tcp",
                "   3: 0100007F:1F90 0100007F:D2C4 01 00000000:00000000 00:00000000 00000000     0        0 123456 1 0000000000000000 20 4 30 10 -1");
        assertEquals(new ProcNet.Socket("tcp", "127.0.0.1", 8080, "127.0.0.1", 53956, "established", 123456), v4);
        ProcNet.Socket mapped = ProcNet.parse("tcp",
                "   0: 0000000000000000FFFF00000100007F:A3B1 0000000000000000FFFF00000100007F:1F90 01 00000000:00000000 00:00000000"
                        + " 00000000     0        0 777 1 0000000000000000 20 4 30 10 -1");
        assertEquals("127.0.0.1", mapped.localIp(), "IPv4-mapped reads as IPv4");
        ProcNet.Socket v6 = ProcNet.parse("tcp",
                "   1: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000"
                        + " 00000000     0        0 888 1 0000000000000000 100 0 0 10 0");
        assertEquals(new ProcNet.Socket("tcp", "::1", 22, "::", 0, "listen", 888), v6);
        ProcNet.Socket udp = ProcNet.parse("udp",
                "  120: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 999 2 0000000000000000 0");
        assertEquals(new ProcNet.Socket("udp", "127.0.0.53", 53, "0.0.0.0", 0, "listen", 999), udp);
        assertNull(ProcNet.parse("tcp", "   4: 0100007F:1F90 0100007F:D2C4 06 00000000:00000000 03:00000000 00000000 0 0 0 3"),
                "TIME_WAIT: closed, no process holds it");
    }
}
