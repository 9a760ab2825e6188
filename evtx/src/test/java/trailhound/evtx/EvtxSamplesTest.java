package trailhound.evtx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shared .evtx samples (../shared/datasets/evtx, omerbenamram/evtx's test files, MIT) against what
 * independent readers make of them. Expected values are constants derived once with libevtx's
 * {@code evtxexport -f xml} 20181227 (Debian libevtx-utils 20181227-2+b2; {@code -m all} for the
 * records it recovers) and checked against python-evtx 0.6.1's {@code evtx_dump.py} (Debian
 * python3-evtx 0.6.1-2): the two agree on every record count and count per (Channel, EventID), except
 * where a test says otherwise. evtxexport's text is written in this reader's (Windows') rendering:
 * SystemTime with seven fractional digits (evtxexport prints nine, the last two always 00) and
 * hexadecimal integers without leading zeros (it prints {@code 0x00000000000003e7} for Windows'
 * {@code 0x3e7}); attribute order and values are its own. python-evtx 0.6.1 is further from Windows
 * (lower-case GUIDs, {@code Qualifiers=""} for omitted attributes, base64 binary), so it served for counts.
 */
class EvtxSamplesTest {

    /**
     * A sample both references read cleanly: its record count, the identifier and written time of its
     * first and last records (from the record headers, as {@code evtxexport}'s text output prints them),
     * counts per Channel/EventID, and the first and last records' {@code System} elements.
     */
    record Sample(String file, int records, long firstId, String firstWritten, long lastId, String lastWritten,
            String counts, String firstSystem, String lastSystem) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Sample> samples() {
        return Stream.of(
                new Sample("sysmon.evtx", 358,
                        1742, "2017-12-26T13:10:29.1368792Z", 2099, "2018-03-06T08:15:39.5760456Z",
                        "Microsoft-Windows-Sysmon/Operational/1=227, Microsoft-Windows-Sysmon/Operational/3=2, "
                        + "Microsoft-Windows-Sysmon/Operational/10=60, Microsoft-Windows-Sysmon/Operational/11=34, "
                        + "Microsoft-Windows-Sysmon/Operational/12=8, Microsoft-Windows-Sysmon/Operational/13=24, "
                        + "Microsoft-Windows-Sysmon/Operational/15=2, Microsoft-Windows-Sysmon/Operational/16=1",
                        "<System>"
                        + "<Provider Name=\"Microsoft-Windows-Sysmon\" Guid=\"{5770385F-C22A-43E0-BF4C-06F5698FFBD9}"
                        + "\"/><EventID>1</EventID><Version>5</Version><Level>4</Level><Task>1</Task><Opcode>0"
                        + "</Opcode><Keywords>0x8000000000000000</Keywords>"
                        + "<TimeCreated SystemTime=\"2017-12-26T13:10:29.1368792Z\"/><EventRecordID>1742"
                        + "</EventRecordID><Correlation/><Execution ProcessID=\"2284\" ThreadID=\"5252\"/>"
                        + "<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>DESKTOP-2KGM189"
                        + "</Computer><Security UserID=\"S-1-5-18\"/></System>",
                        "<System>"
                        + "<Provider Name=\"Microsoft-Windows-Sysmon\" Guid=\"{5770385F-C22A-43E0-BF4C-06F5698FFBD9}"
                        + "\"/><EventID>1</EventID><Version>5</Version><Level>4</Level><Task>1</Task><Opcode>0"
                        + "</Opcode><Keywords>0x8000000000000000</Keywords>"
                        + "<TimeCreated SystemTime=\"2018-03-06T08:15:39.5760456Z\"/><EventRecordID>2099"
                        + "</EventRecordID><Correlation/><Execution ProcessID=\"2284\" ThreadID=\"5252\"/>"
                        + "<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>DESKTOP-2KGM189"
                        + "</Computer><Security UserID=\"S-1-5-18\"/></System>"),
                new Sample("security.evtx", 2261,
                        1, "2016-07-08T18:12:51.6816408Z", 2261, "2017-04-14T01:21:10.9069499Z",
                        "Security/1100=36, Security/1101=1, Security/4608=40, Security/4616=26, Security/4624=583, "
                        + "Security/4634=11, Security/4647=36, Security/4648=45, Security/4672=459, Security/4720=2, "
                        + "Security/4722=2, Security/4723=1, Security/4724=1, Security/4728=2, Security/4731=7, "
                        + "Security/4732=6, Security/4733=1, Security/4735=36, Security/4738=10, Security/4739=3, "
                        + "Security/4781=14, Security/4902=40, Security/4904=31, Security/4905=31, "
                        + "Security/4907=620, Security/5024=4, Security/5033=4, Security/5056=1, Security/5058=102, "
                        + "Security/5061=102, Security/5890=4",
                        "<System>"
                        + "<Provider Name=\"Microsoft-Windows-Security-Auditing\" Guid=\"{54849625-5478-4994-A5BA-3E3"
                        + "B0328C30D}\"/><EventID>4608</EventID><Version>0</Version><Level>0</Level><Task>12288"
                        + "</Task><Opcode>0</Opcode><Keywords>0x8020000000000000</Keywords>"
                        + "<TimeCreated SystemTime=\"2016-07-08T18:12:51.6816408Z\"/><EventRecordID>1</EventRecordID>"
                        + "<Correlation/><Execution ProcessID=\"456\" ThreadID=\"460\"/><Channel>Security</Channel>"
                        + "<Computer>37L4247F27-25</Computer><Security/></System>",
                        "<System>"
                        + "<Provider Name=\"Microsoft-Windows-Security-Auditing\" Guid=\"{54849625-5478-4994-A5BA-3E3"
                        + "B0328C30D}\"/><EventID>4672</EventID><Version>0</Version><Level>0</Level><Task>12548"
                        + "</Task><Opcode>0</Opcode><Keywords>0x8020000000000000</Keywords>"
                        + "<TimeCreated SystemTime=\"2017-04-14T01:21:10.9069499Z\"/><EventRecordID>2261"
                        + "</EventRecordID><Correlation/><Execution ProcessID=\"536\" ThreadID=\"624\"/>"
                        + "<Channel>Security</Channel><Computer>WIN-03DLIIOFRRA</Computer><Security/></System>"),
                new Sample("system.evtx", 1881,
                        1, "2017-07-12T17:16:28.2141616Z", 1881, "2018-03-06T08:13:42.0091592Z",
                        "System/1=211, System/2=2, System/3=3, System/6=26, System/12=6, System/13=2, System/14=3, "
                        + "System/15=12, System/16=394, System/17=2, System/18=35, System/19=116, System/20=7, "
                        + "System/22=2, System/25=3, System/26=1, System/27=145, System/28=32, System/32=150, "
                        + "System/35=13, System/37=13, System/42=2, System/43=119, System/44=137, System/51=4, "
                        + "System/52=1, System/55=12, System/98=7, System/104=2, System/107=2, System/109=2, "
                        + "System/153=3, System/172=3, System/219=3, System/1014=160, System/1074=2, System/1281=1, "
                        + "System/1282=1, System/1500=1, System/1501=2, System/2003=1, System/2004=1, System/3261=1, "
                        + "System/6005=3, System/6006=2, System/6009=3, System/6011=1, System/6013=23, "
                        + "System/7000=3, System/7001=4, System/7002=3, System/7023=12, System/7026=3, "
                        + "System/7030=1, System/7040=24, System/7045=57, System/10000=2, System/10001=1, "
                        + "System/10002=1, System/10005=1, System/10010=1, System/10016=16, System/10100=2, "
                        + "System/10114=3, System/15007=1, System/16962=3, System/20001=24, System/20003=16, "
                        + "System/24576=2, System/24577=2, System/24579=2, System/50036=3, System/50037=2, "
                        + "System/50103=3, System/50104=2, System/50105=2, System/50106=2, System/51046=3, "
                        + "System/51047=1, System/51057=2",
                        "<System><Provider Name=\"EventLog\"/><EventID Qualifiers=\"32768\">6009</EventID><Level>4"
                        + "</Level><Task>0</Task><Keywords>0x80000000000000</Keywords>"
                        + "<TimeCreated SystemTime=\"2017-07-12T17:16:28.2141616Z\"/><EventRecordID>1</EventRecordID>"
                        + "<Channel>System</Channel><Computer>WIN-P4SIAA0SQCO</Computer><Security/></System>",
                        "<System>"
                        + "<Provider Name=\"Service Control Manager\" Guid=\"{555908d1-a6d7-4695-8e1e-26931d2012f4}\""
                        + " EventSourceName=\"Service Control Manager\"/><EventID Qualifiers=\"49152\">7023</EventID>"
                        + "<Version>0</Version><Level>2</Level><Task>0</Task><Opcode>0</Opcode>"
                        + "<Keywords>0x8080000000000000</Keywords>"
                        + "<TimeCreated SystemTime=\"2018-03-06T08:13:42.0091592Z\"/><EventRecordID>1881"
                        + "</EventRecordID><Correlation/><Execution ProcessID=\"592\" ThreadID=\"6048\"/>"
                        + "<Channel>System</Channel><Computer>DESKTOP-2KGM189</Computer><Security/></System>"),
                new Sample("new-user-security.evtx", 4,
                        1, "2013-10-23T16:22:39.9735000Z", 4, "2013-10-23T16:22:40.0360000Z",
                        "Security/4720=1, Security/4728=1, Security/4732=2",
                        "<System>"
                        + "<Provider Name=\"Microsoft-Windows-Security-Auditing\" Guid=\"{54849625-5478-4994-A5BA-3E3"
                        + "B0328C30D}\"/><EventID>4728</EventID><Version>0</Version><Level>0</Level><Task>13826"
                        + "</Task><Opcode>0</Opcode><Keywords>0x8020000000000000</Keywords>"
                        + "<TimeCreated SystemTime=\"2013-10-23T16:22:39.9735000Z\"/><EventRecordID>111"
                        + "</EventRecordID><Correlation/><Execution ProcessID=\"508\" ThreadID=\"1032\"/>"
                        + "<Channel>Security</Channel><Computer>IE8Win7</Computer><Security/></System>",
                        "<System>"
                        + "<Provider Name=\"Microsoft-Windows-Security-Auditing\" Guid=\"{54849625-5478-4994-A5BA-3E3"
                        + "B0328C30D}\"/><EventID>4732</EventID><Version>0</Version><Level>0</Level><Task>13826"
                        + "</Task><Opcode>0</Opcode><Keywords>0x8020000000000000</Keywords>"
                        + "<TimeCreated SystemTime=\"2013-10-23T16:22:40.0047500Z\"/><EventRecordID>116"
                        + "</EventRecordID><Correlation/><Execution ProcessID=\"508\" ThreadID=\"1032\"/>"
                        + "<Channel>Security</Channel><Computer>IE8Win7</Computer><Security/></System>"),
                new Sample("Application_no_crc32.evtx", 17,
                        426, "2021-03-31T23:51:45.0187674Z", 442, "2021-03-31T23:54:34.7048841Z",
                        "Application/1=1, Application/15=1, Application/102=1, Application/105=1, "
                        + "Application/326=1, Application/900=1, Application/902=1, Application/1003=2, "
                        + "Application/1066=1, Application/1531=1, Application/1532=1, Application/5615=1, "
                        + "Application/5617=1, Application/6000=1, Application/16388=1, Application/16394=1",
                        "<System><Provider Name=\"SecurityCenter\"/><EventID Qualifiers=\"0\">1</EventID><Version>0"
                        + "</Version><Level>4</Level><Task>0</Task><Opcode>0</Opcode><Keywords>0x80000000000000"
                        + "</Keywords><TimeCreated SystemTime=\"2021-03-31T23:51:45.0187674Z\"/><EventRecordID>426"
                        + "</EventRecordID><Correlation/><Execution ProcessID=\"0\" ThreadID=\"0\"/>"
                        + "<Channel>Application</Channel><Computer>DESKTOP-0HIJB49</Computer><Security/></System>",
                        "<System>"
                        + "<Provider Name=\"Microsoft-Windows-WMI\" Guid=\"{1EDEEE53-0AFE-4609-B846-D8C0B2075B1F}\"/>"
                        + "<EventID>5617</EventID><Version>2</Version><Level>4</Level><Task>0</Task><Opcode>0"
                        + "</Opcode><Keywords>0x8000000000000000</Keywords>"
                        + "<TimeCreated SystemTime=\"2021-03-31T23:54:34.7048841Z\"/><EventRecordID>442"
                        + "</EventRecordID><Correlation/><Execution ProcessID=\"2772\" ThreadID=\"3176\"/>"
                        + "<Channel>Application</Channel><Computer>DESKTOP-0HIJB49</Computer>"
                        + "<Security UserID=\"S-1-5-18\"/></System>"),
                new Sample("sample-with-irregular-bool-values.evtx", 3028,
                        1, "2018-07-28T07:25:01.2572137Z", 3028, "2019-03-20T20:57:45.5807668Z",
                        "Microsoft-Windows-GroupPolicy/Operational/4000=13, "
                        + "Microsoft-Windows-GroupPolicy/Operational/4001=16, "
                        + "Microsoft-Windows-GroupPolicy/Operational/4115=177, "
                        + "Microsoft-Windows-GroupPolicy/Operational/4116=177, "
                        + "Microsoft-Windows-GroupPolicy/Operational/4117=370, "
                        + "Microsoft-Windows-GroupPolicy/Operational/4126=29, "
                        + "Microsoft-Windows-GroupPolicy/Operational/5115=11, "
                        + "Microsoft-Windows-GroupPolicy/Operational/5116=177, "
                        + "Microsoft-Windows-GroupPolicy/Operational/5117=370, "
                        + "Microsoft-Windows-GroupPolicy/Operational/5126=29, "
                        + "Microsoft-Windows-GroupPolicy/Operational/5257=29, "
                        + "Microsoft-Windows-GroupPolicy/Operational/5311=29, "
                        + "Microsoft-Windows-GroupPolicy/Operational/5312=29, "
                        + "Microsoft-Windows-GroupPolicy/Operational/5313=29, "
                        + "Microsoft-Windows-GroupPolicy/Operational/5320=618, "
                        + "Microsoft-Windows-GroupPolicy/Operational/5321=177, "
                        + "Microsoft-Windows-GroupPolicy/Operational/5324=263, "
                        + "Microsoft-Windows-GroupPolicy/Operational/5325=11, "
                        + "Microsoft-Windows-GroupPolicy/Operational/5340=29, "
                        + "Microsoft-Windows-GroupPolicy/Operational/5351=395, "
                        + "Microsoft-Windows-GroupPolicy/Operational/6338=5, "
                        + "Microsoft-Windows-GroupPolicy/Operational/6339=16, "
                        + "Microsoft-Windows-GroupPolicy/Operational/8000=13, "
                        + "Microsoft-Windows-GroupPolicy/Operational/8001=16",
                        "<System>"
                        + "<Provider Name=\"Microsoft-Windows-GroupPolicy\" Guid=\"{AEA1B4FA-97D1-45F2-A64C-4D69FFFD9"
                        + "2C9}\"/><EventID>4116</EventID><Version>0</Version><Level>4</Level><Task>0</Task><Opcode>0"
                        + "</Opcode><Keywords>0x4000000000000000</Keywords>"
                        + "<TimeCreated SystemTime=\"2018-07-28T07:25:01.2572137Z\"/><EventRecordID>1</EventRecordID>"
                        + "<Correlation/><Execution ProcessID=\"968\" ThreadID=\"1264\"/>"
                        + "<Channel>Microsoft-Windows-GroupPolicy/Operational</Channel><Computer>WIN-LL0C19JS506"
                        + "</Computer><Security UserID=\"S-1-5-18\"/></System>",
                        "<System>"
                        + "<Provider Name=\"Microsoft-Windows-GroupPolicy\" Guid=\"{AEA1B4FA-97D1-45F2-A64C-4D69FFFD9"
                        + "2C9}\"/><EventID>6339</EventID><Version>0</Version><Level>4</Level><Task>0</Task><Opcode>0"
                        + "</Opcode><Keywords>0x4000000000000000</Keywords>"
                        + "<TimeCreated SystemTime=\"2019-03-20T20:57:45.5807668Z\"/><EventRecordID>3028"
                        + "</EventRecordID><Correlation/><Execution ProcessID=\"312\" ThreadID=\"620\"/>"
                        + "<Channel>Microsoft-Windows-GroupPolicy/Operational</Channel><Computer>DESKTOP-0QT8017"
                        + "</Computer><Security UserID=\"S-1-5-18\"/></System>"));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void read_sample_matchesTheReferenceReaders(Sample s) throws IOException {
        Collector r = Collector.read(Datasets.evtx(s.file()));

        assertEquals(s.records(), r.records.size());
        assertEquals(s.firstId(), r.records.getFirst().recordId());
        assertEquals(Instant.parse(s.firstWritten()), r.records.getFirst().written());
        assertEquals(s.lastId(), r.records.getLast().recordId());
        assertEquals(Instant.parse(s.lastWritten()), r.records.getLast().written());
        assertEquals(s.counts(), counts(r.records));
        assertEquals(s.firstSystem(), r.records.getFirst().event().child("System").toXml());
        assertEquals(s.lastSystem(), r.records.getLast().event().child("System").toXml());
    }

    @Test
    void read_sysmonProcessCreation_everyValueAsWindowsRendersIt() throws IOException {
        EvtxRecord first = Collector.read(Datasets.evtx("sysmon.evtx")).records.getFirst();

        assertEquals(SYSMON_1742, first.event().toXml());
        EvtxElement data = first.event().child("EventData");
        assertEquals("C:\\Windows\\SysWOW64\\PING.EXE", data(data, "Image"));
        assertEquals("ping  -n 6 127.0.0.1 ", data(data, "CommandLine"));
        assertEquals("{94F748D5-D211-597D-0000-00109BD2C107}", data(data, "ParentProcessGuid"));
        assertTrue(data(data, "Hashes").startsWith("SHA1=CE8E487CB76704FE5FBB821A78A1E969EFBE71F9,MD5="));
        assertEquals(4096 + 512, first.offset());
    }

    @Test
    void read_securityLogon_targetAndSourceValues() throws IOException {
        EvtxRecord logon = find(Collector.read(Datasets.evtx("security.evtx")).records, 128);

        assertEquals(SECURITY_128, logon.event().toXml());
        EvtxElement data = logon.event().child("EventData");
        assertEquals("S-1-5-21-2603537626-3982775912-406486804-1000", data(data, "TargetUserSid"));
        assertEquals("2", data(data, "LogonType"));
        assertEquals("127.0.0.1", data(data, "IpAddress"));
        assertEquals("0x2610b", data(data, "TargetLogonId"));
    }

    /** Classic events: a string array (one Data per item), a BinXml value whose NULL optional Data is omitted. */
    @Test
    void read_systemClassicEvents_arraysNestedBinXmlAndBinary() throws IOException {
        List<EvtxRecord> records = Collector.read(Datasets.evtx("system.evtx")).records;

        assertEquals(SYSTEM_1, find(records, 1).event().toXml());
        assertEquals(SYSTEM_2, find(records, 2).event().toXml());
        assertEquals(SYSTEM_51, find(records, 51).event().toXml());
    }

    @Test
    void read_userAccountCreated_multiLineValueKept() throws IOException {
        EvtxRecord created = find(Collector.read(Datasets.evtx("new-user-security.evtx")).records, 112);

        assertEquals(NEW_USER_112, created.event().toXml());
        assertEquals("\r\n\t\t%%2080\r\n\t\t%%2082\r\n\t\t%%2084",
                data(created.event().child("EventData"), "UserAccountControl"));
    }

    @Test
    void read_groupPolicyBooleans() throws IOException {
        EvtxRecord r = find(Collector.read(Datasets.evtx("sample-with-irregular-bool-values.evtx")).records, 18);

        assertEquals(GROUP_POLICY_18, r.event().toXml());
    }

    /**
     * A value of a single newline: python-evtx prints it; evtxexport prints an empty element, after
     * libyal's note that Event Viewer seems to show such content as empty. The reader keeps the data.
     */
    @Test
    void read_applicationWithoutChecksums_nothingReportedAndANewlineValueKept() throws IOException {
        Collector r = Collector.read(Datasets.evtx("Application_no_crc32.evtx"));

        assertEquals(List.of(), r.damaged, "its header flags (0x4) say it carries no checksums");
        assertEquals("\n", data(find(r.records, 441).event().child("EventData"), "ExtraInfo"));
    }

    /**
     * Record 3's size field is 0. evtxexport and python-evtx stop the chunk there (335 records); the
     * reader resumes at the next record header and reads the 114 after it, the records evtxexport
     * {@code -m all} recovers (449 in all, identical to them).
     */
    @Test
    void read_zeroSizeRecord_reportedAndTheRestOfTheChunkRead() throws IOException {
        Collector r = Collector.read(Datasets.evtx("sample-with-zero-data-size-event.evtx"));

        assertEquals(List.of(
                "4096: chunk: records checksum 0xc08b93e5 does not match the records (0x1065cf33); records read anyway",
                "6176: record 3: size 0 is too small for a record; skipped 232 bytes to the next record, at offset 6408"),
                r.damaged);
        assertEquals(new EvtxSummary(4, 449, 1, 1), r.summary);
        assertEquals(LongStream.rangeClosed(1, 450).filter(id -> id != 3).boxed().toList(), r.ids());
        assertEquals(ZERO_SIZE_4, find(r.records, 4).event().toXml());
    }

    /**
     * Chunks 6 and 10 have no signature (partly zeroed), the rest of chunk 0 and 9 and a run of chunk 7
     * are zeroed, leaving three records whose size copy is 0. evtxexport reads 267 records; python-evtx
     * 270, the 3 damaged ones included (one as EventID 0 with no Channel). The reader reports those 3
     * and reads the 31 records after the zeroed run of chunk 7 (ids 47675-47705), which evtxexport
     * {@code -m all} recovers too; it also recovers 50 older records from the slack past chunk 7's free
     * space offset (45641-45690), which this reader does not carve.
     */
    @Test
    void read_badChunkMagic_chunksSkippedAndZeroedRunsReported() throws IOException {
        Collector r = Collector.read(Datasets.evtx("sample_with_a_bad_chunk_magic.evtx"));

        assertEquals(List.of(
                "4096: chunk: records checksum 0xded42440 does not match the records (0x292f55e7); records read anyway",
                "12224: record 46741: size 472 differs from its copy at the record's end (0); no further record in the"
                + " chunk (57000 bytes skipped)",
                "397312: chunk: no chunk signature (found 00 00 00 00 00 00 00 00): skipped",
                "462848: chunk: records checksum 0x43bdd697 does not match the records (0x88ea44a0); records read anyway",
                "470632: record 47640: size 504 differs from its copy at the record's end (0); skipped 17256 bytes to the"
                + " next record, at offset 487888",
                "593920: chunk: records checksum 0x32a22f80 does not match the records (0xe232cbc1); records read anyway",
                "650816: record 45933: size 504 differs from its copy at the record's end (0); no further record in the"
                + " chunk (8344 bytes skipped)",
                "659456: chunk: no chunk signature (found 00 00 00 00 00 00 00 00): skipped"), r.damaged);
        assertEquals(new EvtxSummary(4, 298, 5, 3), r.summary);
        List<Long> expected = new ArrayList<>();
        LongStream.rangeClosed(46728, 46740).forEach(expected::add);
        LongStream.rangeClosed(47628, 47639).forEach(expected::add);
        LongStream.rangeClosed(47675, 47705).forEach(expected::add);
        LongStream.rangeClosed(45691, 45932).forEach(expected::add);
        assertEquals(expected, r.ids());
        assertEquals(BAD_CHUNK_47675, find(r.records, 47675).event().toXml());
    }

    /**
     * One entry of the header's string table points out of the chunk: only the header checksum shows it.
     * evtxexport and python-evtx print the same records for this file as for security.evtx.
     */
    @Test
    void read_badStringCache_reportedAndEveryRecordAsInTheIntactFile() throws IOException {
        Collector bad = Collector.read(Datasets.evtx("security_bad_string_cache.evtx"));
        Collector intact = Collector.read(Datasets.evtx("security.evtx"));

        assertEquals(List.of("4096: chunk: header checksum 0x3a57641e does not match the header (0x685abe41); records"
                + " read anyway"), bad.damaged);
        assertEquals(intact.xml(), bad.xml());
    }

    /** The header says 1 chunk (the file is dirty); 9 follow, then 8 blocks of unrelated bytes. */
    @Test
    void read_sysmonSlackAfterTheLastChunk_reportedBlockByBlock() throws IOException {
        Collector r = Collector.read(Datasets.evtx("sysmon.evtx"));

        assertEquals(new EvtxSummary(9, 358, 8, 0), r.summary);
        assertEquals(List.of(
                "593920: chunk: no chunk signature (found 00 00 00 00 00 00 00 00): skipped",
                "659456: chunk: no chunk signature (found 00 79 00 00 00 00 84 7D): skipped",
                "724992: chunk: no chunk signature (found FF 78 00 00 00 00 54 10): skipped",
                "790528: chunk: no chunk signature (found 00 B0 15 96 6D 00 00 00): skipped",
                "856064: chunk: no chunk signature (found 00 00 24 00 00 00 18 03): skipped",
                "921600: chunk: no chunk signature (found 09 4D 00 40 00 00 00 00): skipped",
                "987136: chunk: no chunk signature (found EF 01 00 42 9C 46 7B 56): skipped",
                "1052672: chunk: no chunk signature (found 03 00 44 DB EE 27 AE AD): skipped"), r.damaged);
    }

    /**
     * Damage as responders meet it, at random: bytes overwritten anywhere in the chunks (one in four
     * with 0xFF, which makes sizes and offsets huge), and one file in ten cut off. Every read completes,
     * and no record is lost to a decoding bug (the reader reports those as "could not be decoded").
     */
    @ParameterizedTest
    @ValueSource(strings = {"sysmon.evtx", "system.evtx", "security.evtx"})
    @Timeout(120)
    void read_randomlyDamagedSample_completesWithEveryProblemReported(String sample) throws IOException {
        byte[] intact = Arrays.copyOf(Files.readAllBytes(Datasets.evtx(sample)), 4096 + 3 * Chunk.SIZE);
        for (int seed = 0; seed < 100; seed++) {
            Random random = new Random(seed);
            byte[] file = intact.clone();
            for (int i = 0, n = 1 + random.nextInt(40); i < n; i++) {
                int at = 4096 + random.nextInt(file.length - 4096);
                file[at] = (byte) (random.nextInt(4) == 0 ? 0xff : random.nextInt());
            }
            if (random.nextInt(10) == 0) {
                file = Arrays.copyOf(file, 4096 + random.nextInt(file.length - 4096));
            }

            Collector r = Collector.read(file);

            int s = seed;
            assertTrue(r.damaged.stream().noneMatch(d -> d.contains("could not be decoded")),
                    () -> sample + " seed " + s + ": " + r.damaged);
            assertEquals(r.summary.records(), r.records.size());
        }
    }

    /** "Channel/EventID=count, ..." by channel, then event id. */
    static String counts(List<EvtxRecord> records) {
        Map<String, Map<Integer, Long>> counts = new TreeMap<>();
        for (EvtxRecord r : records) {
            counts.computeIfAbsent(system(r, "Channel"), k -> new TreeMap<>())
                    .merge(Integer.parseInt(system(r, "EventID")), 1L, Long::sum);
        }
        return counts.entrySet().stream()
                .flatMap(c -> c.getValue().entrySet().stream()
                        .map(e -> c.getKey() + "/" + e.getKey() + "=" + e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String system(EvtxRecord r, String name) {
        return r.event().child("System").child(name).text();
    }

    private static String system(EvtxRecord r, String name, String attribute) {
        return r.event().child("System").child(name).attribute(attribute);
    }

    private static String data(EvtxElement eventData, String name) {
        return eventData.children("Data").stream().filter(d -> name.equals(d.attribute("Name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no Data named " + name + " in " + eventData.toXml())).text();
    }

    /** The record whose System/EventRecordID is {@code id} (the record header's identifier can differ). */
    private static EvtxRecord find(List<EvtxRecord> records, long id) {
        String wanted = Long.toString(id);
        return records.stream().filter(r -> wanted.equals(system(r, "EventRecordID"))).findFirst()
                .orElseThrow(() -> new AssertionError("no record " + id));
    }

    // Whole records as evtxexport prints them (see the class comment for the two normalisations).

    private static final String SYSMON_1742 =
            "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
            + "<Provider Name=\"Microsoft-Windows-Sysmon\" Guid=\"{5770385F-C22A-43E0-BF4C-06F5698FFBD9}\"/>"
            + "<EventID>1</EventID><Version>5</Version><Level>4</Level><Task>1</Task><Opcode>0</Opcode>"
            + "<Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime=\"2017-12-26T13:10:29.1368792Z\"/>"
            + "<EventRecordID>1742</EventRecordID><Correlation/><Execution ProcessID=\"2284\" ThreadID=\"5252\"/>"
            + "<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>DESKTOP-2KGM189</Computer>"
            + "<Security UserID=\"S-1-5-18\"/></System><EventData><Data Name=\"UtcTime\">2017-12-26 13:10:29.134"
            + "</Data><Data Name=\"ProcessGuid\">{94F748D5-4A45-5A42-0000-0010D265F20F}</Data>"
            + "<Data Name=\"ProcessId\">9112</Data><Data Name=\"Image\">C:\\Windows\\SysWOW64\\PING.EXE</Data>"
            + "<Data Name=\"CommandLine\">ping  -n 6 127.0.0.1 </Data>"
            + "<Data Name=\"CurrentDirectory\">C:\\Windows\\Temp\\</Data><Data Name=\"User\">NT AUTHORITY\\SYSTEM"
            + "</Data><Data Name=\"LogonGuid\">{94F748D5-5A64-5966-0000-0020E7030000}</Data>"
            + "<Data Name=\"LogonId\">0x3e7</Data><Data Name=\"TerminalSessionId\">0</Data>"
            + "<Data Name=\"IntegrityLevel\">System</Data>"
            + "<Data Name=\"Hashes\">SHA1=CE8E487CB76704FE5FBB821A78A1E969EFBE71F9,MD5=A27A24553B2C36E139647F88DF738C"
            + "35,SHA256=8F16A431C919A0AA7C9466EC1CDC1E721F30EB5C8182835585A1B74ABECB1920,IMPHASH=0EB64EACA8C951D760E"
            + "EA1A941A2A3F7</Data><Data Name=\"ParentProcessGuid\">{94F748D5-D211-597D-0000-00109BD2C107}</Data>"
            + "<Data Name=\"ParentProcessId\">8392</Data><Data Name=\"ParentImage\">C:\\Windows\\SysWOW64\\cmd.exe"
            + "</Data>"
            + "<Data Name=\"ParentCommandLine\">C:\\Windows\\system32\\cmd.exe /c C:\\Windows\\TEMP\\update.bat C:\\U"
            + "sers\\tony\\AppData\\Local\\Temp\\pytest-of-tony\\pytest-0\\test_agent_update_op0\\pathfinder\\pathfin"
            + "der.exe C:\\Windows\\TEMP\\pathfinder_sfx.exe</Data></EventData></Event>";

    private static final String SECURITY_128 =
            "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
            + "<Provider Name=\"Microsoft-Windows-Security-Auditing\" Guid=\"{54849625-5478-4994-A5BA-3E3B0328C30D}\""
            + "/><EventID>4624</EventID><Version>0</Version><Level>0</Level><Task>12544</Task><Opcode>0</Opcode>"
            + "<Keywords>0x8020000000000000</Keywords><TimeCreated SystemTime=\"2016-07-08T18:15:51.6724336Z\"/>"
            + "<EventRecordID>128</EventRecordID><Correlation/><Execution ProcessID=\"476\" ThreadID=\"532\"/>"
            + "<Channel>Security</Channel><Computer>WIN-03DLIIOFRRA</Computer><Security/></System><EventData>"
            + "<Data Name=\"SubjectUserSid\">S-1-5-18</Data><Data Name=\"SubjectUserName\">WIN-03DLIIOFRRA$</Data>"
            + "<Data Name=\"SubjectDomainName\">WORKGROUP</Data><Data Name=\"SubjectLogonId\">0x3e7</Data>"
            + "<Data Name=\"TargetUserSid\">S-1-5-21-2603537626-3982775912-406486804-1000</Data>"
            + "<Data Name=\"TargetUserName\">fsir</Data><Data Name=\"TargetDomainName\">WIN-03DLIIOFRRA</Data>"
            + "<Data Name=\"TargetLogonId\">0x2610b</Data><Data Name=\"LogonType\">2</Data>"
            + "<Data Name=\"LogonProcessName\">User32 </Data><Data Name=\"AuthenticationPackageName\">Negotiate"
            + "</Data><Data Name=\"WorkstationName\">WIN-03DLIIOFRRA</Data>"
            + "<Data Name=\"LogonGuid\">{00000000-0000-0000-0000-000000000000}</Data>"
            + "<Data Name=\"TransmittedServices\">-</Data><Data Name=\"LmPackageName\">-</Data>"
            + "<Data Name=\"KeyLength\">0</Data><Data Name=\"ProcessId\">0x194</Data>"
            + "<Data Name=\"ProcessName\">C:\\Windows\\System32\\winlogon.exe</Data>"
            + "<Data Name=\"IpAddress\">127.0.0.1</Data><Data Name=\"IpPort\">0</Data></EventData></Event>";

    private static final String SYSTEM_1 =
            "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
            + "<Provider Name=\"EventLog\"/><EventID Qualifiers=\"32768\">6009</EventID><Level>4</Level><Task>0"
            + "</Task><Keywords>0x80000000000000</Keywords><TimeCreated SystemTime=\"2017-07-12T17:16:28.2141616Z\"/>"
            + "<EventRecordID>1</EventRecordID><Channel>System</Channel><Computer>WIN-P4SIAA0SQCO</Computer>"
            + "<Security/></System><EventData><Data>10.00.</Data><Data>15063</Data><Data/><Data>Multiprocessor Free"
            + "</Data><Data>0</Data></EventData></Event>";

    private static final String SYSTEM_2 =
            "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
            + "<Provider Name=\"EventLog\"/><EventID Qualifiers=\"32768\">6005</EventID><Level>4</Level><Task>0"
            + "</Task><Keywords>0x80000000000000</Keywords><TimeCreated SystemTime=\"2017-07-12T17:16:28.2141616Z\"/>"
            + "<EventRecordID>2</EventRecordID><Channel>System</Channel><Computer>WIN-P4SIAA0SQCO</Computer>"
            + "<Security/></System><EventData><Binary>E107070003000C00110010001C00D6000000000000000000</Binary>"
            + "</EventData></Event>";

    private static final String SYSTEM_51 =
            "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
            + "<Provider Name=\"Microsoft-Windows-UserPnp\" Guid=\"{96F4A050-7E31-453C-88BE-9634F4E02139}\"/>"
            + "<EventID>20003</EventID><Version>0</Version><Level>4</Level><Task>7005</Task><Opcode>0</Opcode>"
            + "<Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime=\"2017-07-12T17:16:30.3489053Z\"/>"
            + "<EventRecordID>51</EventRecordID><Correlation/><Execution ProcessID=\"2208\" ThreadID=\"2224\"/>"
            + "<Channel>System</Channel><Computer>WIN-P4SIAA0SQCO</Computer><Security UserID=\"S-1-5-18\"/></System>"
            + "<UserData><AddServiceID xmlns=\"http://manifests.microsoft.com/win/2004/08/windows/userpnp\">"
            + "<ServiceName>BTHUSB</ServiceName><DriverFileName>\\SystemRoot\\system32\\DRIVERS\\BTHUSB.sys"
            + "</DriverFileName><DeviceInstanceID>USB\\VID_0E0F&amp;PID_0008\\000650268328</DeviceInstanceID>"
            + "<PrimaryService>true</PrimaryService><UpdateService>false</UpdateService><AddServiceStatus>0"
            + "</AddServiceStatus></AddServiceID></UserData></Event>";

    private static final String NEW_USER_112 =
            "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
            + "<Provider Name=\"Microsoft-Windows-Security-Auditing\" Guid=\"{54849625-5478-4994-A5BA-3E3B0328C30D}\""
            + "/><EventID>4720</EventID><Version>0</Version><Level>0</Level><Task>13824</Task><Opcode>0</Opcode>"
            + "<Keywords>0x8020000000000000</Keywords><TimeCreated SystemTime=\"2013-10-23T16:22:39.9735000Z\"/>"
            + "<EventRecordID>112</EventRecordID><Correlation/><Execution ProcessID=\"508\" ThreadID=\"1032\"/>"
            + "<Channel>Security</Channel><Computer>IE8Win7</Computer><Security/></System><EventData>"
            + "<Data Name=\"TargetUserName\">IEUser</Data><Data Name=\"TargetDomainName\">IE8Win7</Data>"
            + "<Data Name=\"TargetSid\">S-1-5-21-3463664321-2923530833-3546627382-1000</Data>"
            + "<Data Name=\"SubjectUserSid\">S-1-5-18</Data><Data Name=\"SubjectUserName\">WIN-QALA5Q3KJ43$</Data>"
            + "<Data Name=\"SubjectDomainName\">WORKGROUP</Data><Data Name=\"SubjectLogonId\">0x3e7</Data>"
            + "<Data Name=\"PrivilegeList\">-</Data><Data Name=\"SamAccountName\">IEUser</Data>"
            + "<Data Name=\"DisplayName\">%%1793</Data><Data Name=\"UserPrincipalName\">-</Data>"
            + "<Data Name=\"HomeDirectory\">%%1793</Data><Data Name=\"HomePath\">%%1793</Data>"
            + "<Data Name=\"ScriptPath\">%%1793</Data><Data Name=\"ProfilePath\">%%1793</Data>"
            + "<Data Name=\"UserWorkstations\">%%1793</Data><Data Name=\"PasswordLastSet\">%%1794</Data>"
            + "<Data Name=\"AccountExpires\">%%1794</Data><Data Name=\"PrimaryGroupId\">513</Data>"
            + "<Data Name=\"AllowedToDelegateTo\">-</Data><Data Name=\"OldUacValue\">0x0</Data>"
            + "<Data Name=\"NewUacValue\">0x15</Data>"
            + "<Data Name=\"UserAccountControl\">\r\n\t\t%%2080\r\n\t\t%%2082\r\n\t\t%%2084</Data>"
            + "<Data Name=\"UserParameters\">%%1793</Data><Data Name=\"SidHistory\">-</Data>"
            + "<Data Name=\"LogonHours\">%%1797</Data></EventData></Event>";

    private static final String GROUP_POLICY_18 =
            "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
            + "<Provider Name=\"Microsoft-Windows-GroupPolicy\" Guid=\"{AEA1B4FA-97D1-45F2-A64C-4D69FFFD92C9}\"/>"
            + "<EventID>4117</EventID><Version>0</Version><Level>4</Level><Task>0</Task><Opcode>0</Opcode>"
            + "<Keywords>0x4000000000000000</Keywords><TimeCreated SystemTime=\"2018-07-28T07:27:54.0984364Z\"/>"
            + "<EventRecordID>18</EventRecordID><Correlation/><Execution ProcessID=\"960\" ThreadID=\"2816\"/>"
            + "<Channel>Microsoft-Windows-GroupPolicy/Operational</Channel><Computer>DESKTOP-0QT8017</Computer>"
            + "<Security UserID=\"S-1-5-18\"/></System><EventData><Data Name=\"IsMachine\">true</Data>"
            + "<Data Name=\"IsBackgroundProcessing\">false</Data><Data Name=\"IsAsyncProcessing\">false</Data>"
            + "</EventData></Event>";

    private static final String ZERO_SIZE_4 =
            "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
            + "<Provider Name=\"Microsoft-Windows-Kernel-Power\" Guid=\"{331C3B3A-2005-44C2-AC5E-77220C37D6B4}\"/>"
            + "<EventID>109</EventID><Version>0</Version><Level>4</Level><Task>103</Task><Opcode>0</Opcode>"
            + "<Keywords>0x8000200000000004</Keywords><TimeCreated SystemTime=\"2015-07-10T12:22:57.9504769Z\"/>"
            + "<EventRecordID>4</EventRecordID><Correlation/><Execution ProcessID=\"448\" ThreadID=\"452\"/>"
            + "<Channel>System</Channel><Computer>DESKTOP-M7P1NB6</Computer><Security/></System><EventData>"
            + "<Data Name=\"ShutdownActionType\">4</Data><Data Name=\"ShutdownEventCode\">0</Data>"
            + "<Data Name=\"ShutdownReason\">5</Data></EventData></Event>";

    private static final String BAD_CHUNK_47675 =
            "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
            + "<Provider Name=\"Microsoft-Windows-AppXDeployment\" Guid=\"{8127F6D4-59F9-4ABF-8952-3E3A02073D5F}\"/>"
            + "<EventID>325</EventID><Version>0</Version><Level>4</Level><Task>0</Task><Opcode>0</Opcode>"
            + "<Keywords>0x4000000000010000</Keywords><TimeCreated SystemTime=\"2018-08-08T16:19:44.8396546Z\"/>"
            + "<EventRecordID>47675</EventRecordID>"
            + "<Correlation ActivityID=\"{1F5DF8FF-1979-0000-F570-991F7919D401}\"/>"
            + "<Execution ProcessID=\"1428\" ThreadID=\"15600\"/>"
            + "<Channel>Microsoft-Windows-AppXDeployment/Operational</Channel><Computer>DESKTOP-1N4R894</Computer>"
            + "<Security UserID=\"S-1-5-21-1769714682-2803786108-491265710-1002\"/></System><EventData>"
            + "<Data Name=\"PackageFamilyName\">Microsoft.Windows.ContentDeliveryManager_cw5n1h2txyewy</Data>"
            + "</EventData></Event>";
}
