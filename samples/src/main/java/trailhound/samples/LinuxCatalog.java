package trailhound.samples;

import static trailhound.samples.Kind.ACCEPT;
import static trailhound.samples.Kind.CONNECT;
import static trailhound.samples.Kind.DNS;
import static trailhound.samples.Kind.DRIVER_LOAD;
import static trailhound.samples.Kind.FILE_CREATE;
import static trailhound.samples.Kind.FILE_DELETE;
import static trailhound.samples.Kind.FILE_RENAME;
import static trailhound.samples.Kind.LOGON;

import java.util.SplittableRandom;

/** Background programs and pools of a Linux server (web, database or build role). */
final class LinuxCatalog {
    private LinuxCatalog() {}

    static Catalog build(HostSpec host, SplittableRandom rng) {
        Catalog c = new Catalog();
        c.ephemeralLow = 32768;
        c.ephemeralHigh = 60999;
        boolean web = host.role().equals("web");
        boolean db = host.role().equals("db");
        String u = host.user();

        c.add(Program.of("/usr/lib/systemd/systemd").user("root").cmd("/sbin/init splash").cwd("/").mix(FILE_CREATE, 2, DRIVER_LOAD, 1).files("system"));
        c.add(Program.of("/usr/lib/systemd/systemd-journald").user("root").parent("systemd").cmd("/usr/lib/systemd/systemd-journald").cwd("/").mix(FILE_CREATE, 6).files("log"));
        c.add(Program.of("/usr/lib/systemd/systemd-resolved").user("systemd-resolve").parent("systemd").cmd("/usr/lib/systemd/systemd-resolved").cwd("/").mix(DNS, 5, CONNECT, 1));
        c.add(Program.of("/usr/sbin/rsyslogd").user("syslog").parent("systemd").cmd("/usr/sbin/rsyslogd -n -iNONE").cwd("/").mix(FILE_CREATE, 4).files("log"));
        c.add(Program.of("/usr/sbin/cron").user("root").parent("systemd").cmd("/usr/sbin/cron -f -P").cwd("/var/spool/cron").mix(FILE_CREATE, 1).files("log"));
        c.add(Program.of("/usr/sbin/sshd").user("root").parent("systemd").cmd("sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups").cwd("/")
                .mix(ACCEPT, 3, LOGON, 2).listen(22));
        c.add(Program.of("/usr/bin/containerd").user("root").parent("systemd").cmd("/usr/bin/containerd").cwd("/").mix(FILE_CREATE, 2, FILE_DELETE, 1).files("system"));
        c.add(Program.of("/usr/bin/prometheus-node-exporter").user("prometheus").parent("systemd").cmd("/usr/bin/prometheus-node-exporter --collector.systemd")
                .cwd("/").mix(ACCEPT, 3).listen(9100));
        if (web) {
            c.add(Program.of("/usr/sbin/nginx").user("root").parent("systemd").cmd("nginx: master process /usr/sbin/nginx -g daemon on; master_process on;").cwd("/").mix(FILE_CREATE, 1).files("web"));
            c.add(Program.of("/usr/sbin/nginx").user("www-data").parent("nginx").cmd("nginx: worker process").cwd("/").mix(ACCEPT, 8, CONNECT, 3, FILE_CREATE, 3).files("web").listen(443));
            c.add(Program.of("/usr/sbin/nginx").user("www-data").parent("nginx").cmd("nginx: worker process").cwd("/").mix(ACCEPT, 8, CONNECT, 3, FILE_CREATE, 3).files("web").listen(443));
            c.add(Program.of("/usr/sbin/php-fpm8.3").user("root").parent("systemd").cmd("php-fpm: master process (/etc/php/8.3/fpm/php-fpm.conf)").cwd("/").mix(FILE_CREATE, 1).files("log"));
            c.add(Program.of("/usr/sbin/php-fpm8.3").user("www-data").parent("php-fpm8.3").cmd("php-fpm: pool www").cwd("/")
                    .mix(FILE_CREATE, 6, FILE_DELETE, 3, CONNECT, 4, DNS, 1).files("php"));
            c.add(Program.of("/usr/sbin/php-fpm8.3").user("www-data").parent("php-fpm8.3").cmd("php-fpm: pool www").cwd("/")
                    .mix(FILE_CREATE, 6, FILE_DELETE, 3, CONNECT, 4, DNS, 1).files("php"));
        }
        if (db) {
            c.add(Program.of("/usr/lib/postgresql/16/bin/postgres").user("postgres").parent("systemd")
                    .cmd("/usr/lib/postgresql/16/bin/postgres -D /var/lib/postgresql/16/main -c config_file=/etc/postgresql/16/main/postgresql.conf")
                    .cwd("/var/lib/postgresql/16/main").mix(ACCEPT, 6, FILE_CREATE, 6, FILE_RENAME, 1, FILE_DELETE, 2).files("pg").listen(5432));
            c.add(Program.of("/usr/lib/postgresql/16/bin/postgres").user("postgres").parent("postgres").cmd("postgres: 16/main: walwriter ")
                    .cwd("/var/lib/postgresql/16/main").mix(FILE_CREATE, 5, FILE_RENAME, 1).files("pg"));
        }
        // Started over time.
        c.add(Program.of("/usr/bin/dash").user("root").parent("cron").cmd("/bin/sh -c    cd / && run-parts --report /etc/cron.hourly",
                        "/bin/sh -c command -v debian-sa1 > /dev/null && debian-sa1 1 1")
                .cwd("/root").spawn(6).acts(1, 6).mix(FILE_CREATE, 1).files("log"));
        c.add(Program.of("/usr/lib/sysstat/sadc").user("root").parent("dash").cmd("/usr/lib/sysstat/sadc -F -L -S DISK 1 1 /var/log/sysstat")
                .cwd("/").spawn(6).acts(1, 4).mix(FILE_CREATE, 1).files("log"));
        c.add(Program.of("/usr/sbin/logrotate").user("root").parent("systemd").cmd("/usr/sbin/logrotate /etc/logrotate.conf")
                .cwd("/").spawn(1).acts(5, 30).mix(FILE_RENAME, 3, FILE_CREATE, 2, FILE_DELETE, 2).files("log"));
        c.add(Program.of("/usr/sbin/sshd").user("root").parent("sshd").cmd("sshd: " + u + " [priv]", "sshd: ansible [priv]")
                .cwd("/").spawn(2).acts(2, 10).mix(LOGON, 1, FILE_CREATE, 1).files("log"));
        c.add(Program.of("/usr/bin/bash").user(u).parent("sshd").cmd("-bash").cwd("/home/" + u).spawn(2).acts(2, 20).mix(FILE_CREATE, 2).files("home"));
        c.add(Program.of("/usr/bin/sudo").user("root").parent("bash").cmd("sudo systemctl status nginx", "sudo journalctl -u php8.3-fpm --since today", "sudo apt-get upgrade -y")
                .cwd("/home/" + u).spawn(1).acts(1, 4).mix(FILE_CREATE, 1).files("log"));
        c.add(Program.of("/usr/bin/git").user(u).parent("bash").cmd("git pull --ff-only", "git status", "git log -5")
                .cwd("/srv/app").spawn(1).acts(2, 20).mix(FILE_CREATE, 3, CONNECT, 1, DNS, 1).files("home"));
        c.add(Program.of("/usr/bin/python3.12").user("root").parent("systemd").cmd("/usr/bin/python3 /usr/bin/unattended-upgrade --download-only",
                        "/usr/bin/python3 /usr/lib/ubuntu-advantage/timer.py")
                .cwd("/").spawn(1).acts(10, 60).mix(CONNECT, 2, DNS, 2, FILE_CREATE, 3, FILE_RENAME, 1).files("apt"));
        c.add(Program.of("/usr/lib/apt/methods/http").user("_apt").parent("python3.12").cmd("/usr/lib/apt/methods/http")
                .cwd("/").spawn(2).acts(3, 20).mix(CONNECT, 3, DNS, 2, FILE_CREATE, 2).files("apt"));
        c.add(Program.of("/usr/bin/certbot").user("root").parent("systemd").cmd("/usr/bin/python3 /usr/bin/certbot -q renew --no-random-sleep-on-renew")
                .cwd("/").spawn(1).acts(3, 15).mix(CONNECT, 2, DNS, 1, FILE_CREATE, 2).files("system"));
        c.add(Program.of("/usr/bin/runc").user("root").parent("containerd").cmd("runc --root /run/containerd/runc/k8s.io --log /run/containerd/io.containerd.runtime.v2.task/moby/%h/log.json state")
                .cwd("/").spawn(3).acts(1, 6).mix(FILE_CREATE, 2, FILE_DELETE, 1).files("system"));
        c.add(Program.of("/usr/bin/ls").user(u).parent("bash").cmd("ls --color=auto -la", "ls -la /var/log").spawn(2).acts(0, 1).mix(FILE_CREATE, 0).cwd("/home/" + u));
        c.add(Program.of("/usr/bin/grep").user(u).parent("bash").cmd("grep -i error /var/log/nginx/error.log", "grep -rn TODO src").spawn(2).acts(0, 1).cwd("/home/" + u));
        if (db) {
            c.add(Program.of("/usr/lib/postgresql/16/bin/postgres").user("postgres").parent("postgres").cmd("postgres: 16/main: app appdb 10.20.0.11(51422) idle",
                            "postgres: 16/main: autovacuum worker appdb")
                    .cwd("/var/lib/postgresql/16/main").spawn(12).acts(10, 80).mix(FILE_CREATE, 4, FILE_DELETE, 1).files("pg"));
            c.add(Program.of("/usr/bin/pg_dump").user("postgres").parent("dash").cmd("pg_dump -Fc appdb -f /var/backups/pg/appdb.dump")
                    .cwd("/var/lib/postgresql").spawn(1).acts(10, 40).mix(FILE_CREATE, 3, CONNECT, 1).files("pg"));
        }
        if (!web && !db) {
            c.add(Program.of("/usr/bin/java").user("jenkins").parent("systemd").cmd("/usr/bin/java -Djava.awt.headless=true -jar /usr/share/java/jenkins.war --httpPort=8080")
                    .cwd("/var/lib/jenkins").spawn(2).acts(50, 300).mix(FILE_CREATE, 6, FILE_DELETE, 3, CONNECT, 2, DNS, 1, ACCEPT, 2).files("home").listen(8080));
        }

        c.pool("log", rng, 400, "/var/log/syslog", "/var/log/auth.log", "/var/log/kern.log", "/var/log/sysstat/sa%d", "/var/log/nginx/access.log.%d",
                "/var/log/journal/%h%h/system@%h-%h.journal", "/var/log/php8.3-fpm.log", "/var/log/apt/history.log");
        c.pool("system", rng, 400, "/run/containerd/io.containerd.runtime.v2.task/moby/%h%h/init.pid", "/tmp/systemd-private-%h-%h/tmp/%h",
                "/var/lib/containerd/io.containerd.content.v1.content/ingest/%h/data", "/etc/letsencrypt/live/www.corp-shop.com/fullchain.pem",
                "/run/systemd/transient/session-%d.scope");
        c.pool("web", rng, 600, "/var/cache/nginx/proxy_temp/%d/%H/%h", "/var/lib/nginx/body/%h", "/var/log/nginx/access.log");
        c.pool("php", rng, 2000, "/var/lib/php/sessions/sess_%h%h%h%h", "/var/www/html/wp-content/cache/%h.php",
                "/var/www/html/wp-content/uploads/2026/11/product-%d-600x600.jpg", "/tmp/php%h");
        c.pool("pg", rng, 1500, "/var/lib/postgresql/16/main/base/16384/%d%H", "/var/lib/postgresql/16/main/pg_wal/0000000100000%H000000%d",
                "/var/lib/postgresql/16/main/pg_stat_tmp/global.tmp", "/var/backups/pg/appdb-%d.dump");
        c.pool("home", rng, 800, "/home/" + u + "/.bash_history", "/srv/app/.git/objects/%H/%h%h", "/srv/app/releases/%d/composer.lock",
                "/var/lib/jenkins/workspace/shop-build/target/classes/Cart%d.class", "/home/" + u + "/.viminfo");
        c.pool("apt", rng, 500, "/var/cache/apt/archives/partial/libssl3_3.0.13-0ubuntu3.%d_amd64.deb", "/var/lib/apt/lists/partial/archive.ubuntu.com_ubuntu_dists_noble-updates_InRelease",
                "/var/cache/apt/pkgcache.bin.%h");
        for (String ko : new String[] {"nf_conntrack", "xt_conntrack", "overlay", "br_netfilter", "veth", "nf_nat", "ip_tables", "bridge"}) {
            c.drivers.add("/lib/modules/6.8.0-49-generic/kernel/net/netfilter/" + ko + ".ko.zst");
        }
        c.commonDomains(rng);
        c.domain("archive.ubuntu.com", "91.189.91." + (81 + rng.nextInt(3)));
        c.domain("security.ubuntu.com", "185.125.190." + (36 + rng.nextInt(4)));
        c.domain("api.snapcraft.io", "185.125.188." + (54 + rng.nextInt(4)));
        c.domain("acme-v02.api.letsencrypt.org", "172.65.32.248");
        c.domain("api.stripe.com", Catalog.address(rng, "54.187"));
        c.domain("db-01.corp.example.com", "10.20.0.21");
        c.domain("cache-01.corp.example.com", "10.20.0.31");
        String[] prefixes = {"66.249", "157.55", "40.77", "73.162", "98.207", "24.48", "86.12", "2.24", "81.2", "185.191", "95.173", "178.197"};
        for (int i = 0; i < 400; i++) {
            c.clientIps.add(web ? Catalog.address(rng, prefixes[rng.nextInt(prefixes.length)]) : "10.20.0." + (10 + rng.nextInt(40)));
        }
        for (int i = 0; i < 20; i++) {
            c.logons.add(new String[] {"ssh", rng.nextInt(4) == 0 ? "ansible" : u, "10.10." + (1 + rng.nextInt(3)) + "." + (10 + rng.nextInt(200))});
        }
        c.logons.add(new String[] {"ssh_failed", "root", "218.92.0." + (100 + rng.nextInt(100))});
        c.logons.add(new String[] {"ssh_failed", "admin", "61.177.172." + (10 + rng.nextInt(200))});
        return c;
    }
}
