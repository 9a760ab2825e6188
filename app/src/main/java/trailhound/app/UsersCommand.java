package trailhound.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trailhound.access.Accounts;
import trailhound.access.Caller;
import trailhound.access.Role;

/** {@code users}: the server's user accounts, listed and changed on a data folder (beside a running server too). */
@Command(name = "users", mixinStandardHelpOptions = true, description = {
    "List the users of the data folder's server: name, role, granted groups, disabled, must change the password.",
    "add, set-role, grant, revoke, disable, enable and reset-password change them, also while a server runs on the"
        + " folder; every change is in the audit trail as cli:<your account>.",
    "Roles: administrator, analyst, read-only."},
        subcommands = {UsersCommand.Add.class, UsersCommand.SetRole.class, UsersCommand.Grant.class, UsersCommand.Revoke.class,
            UsersCommand.Disable.class, UsersCommand.Enable.class, UsersCommand.ResetPassword.class})
final class UsersCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOption data;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() throws Exception {
        if (format == Format.csv) throw new IllegalArgumentException("users lists as table or json, not csv");
        var out = spec.commandLine().getOut();
        return AccessFolder.run(data, (access, dir) -> {
            List<Accounts.User> users = access.accounts().list();
            if (format == Format.json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (Accounts.User u : users) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("name", u.name());
                    row.put("role", u.role().label());
                    row.put("groups", u.groups());
                    row.put("disabled", u.disabled());
                    row.put("must_change_password", u.mustChangePassword());
                    row.put("created", Text.time(u.createdAt()));
                    rows.add(row);
                }
                out.println(new ObjectMapper().writeValueAsString(rows));
                return 0;
            }
            TextTable table = new TextTable().left("NAME", 32).left("ROLE", 14).left("DISABLED", 8).left("MUST CHANGE", 11).left("GROUPS", 0);
            for (Accounts.User u : users) {
                table.row(u.name(), u.role().label(), u.disabled() ? "yes" : "no", u.mustChangePassword() ? "yes" : "no",
                        String.join(", ", u.groups()));
            }
            table.print(out);
            return 0;
        });
    }

    /** Prints a password that was generated, once, with what the user must do with it. */
    static void handOver(PrintWriter out, String user, String password, boolean mustChange) {
        out.println("password: " + password);
        out.println("shown once: give it to " + user + " over a safe channel"
                + (mustChange ? "; " + user + " must change it at first sign-in" : ""));
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {
        "Add a user, with a generated password or one from a file.",
        "Without --password-file a password is generated and printed once; with it, its first line is the password"
            + " (12 characters at least, not a common one).",
        "The user must change it at first sign-in unless --no-change-required."})
    static final class Add implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Option(names = "--name", paramLabel = "NAME", required = true, description = "The user name: letters, digits and . _ @ -.") String name;
        @Option(names = "--role", paramLabel = "ROLE", required = true, description = "administrator, analyst or read-only.") String role;
        @Option(names = "--groups", paramLabel = "G1,G2", split = ",", description = "Computer groups to grant (see `groups`).")
        List<String> groups = new ArrayList<>();
        @Option(names = "--password-file", paramLabel = "FILE", description = "Read the password from the file's first line.") Path passwordFile;
        @Option(names = "--no-change-required", description = "The user keeps this password (e.g. a service account given a file).")
        boolean keep;

        @Override
        public Integer call() throws Exception {
            Role r = Role.parse(role);
            String given = passwordFile == null ? null : AccessFolder.passwordFrom(passwordFile);
            var out = spec.commandLine().getOut();
            return AccessFolder.run(data, (access, dir) -> {
                String password = access.accounts().create(Caller.commandLine(), name, r, groups.stream().map(String::strip).toList(),
                        given, !keep);
                out.println("added user " + Text.safe(name) + " (" + r.label() + ")"
                        + (groups.isEmpty() ? "" : (groups.size() == 1 ? ", group " : ", groups ") + Text.safe(String.join(", ", groups))));
                if (given == null) handOver(out, name, password, !keep);
                else if (!keep) out.println(name + " must change the password at first sign-in");
                return 0;
            });
        }
    }

    @Command(name = "set-role", mixinStandardHelpOptions = true, description = "Change a user's role (at once, also for a signed-in user).")
    static final class SetRole implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Option(names = "--name", paramLabel = "NAME", required = true, description = "The user.") String name;
        @Option(names = "--role", paramLabel = "ROLE", required = true, description = "administrator, analyst or read-only.") String role;

        @Override
        public Integer call() throws Exception {
            Role r = Role.parse(role);
            return AccessFolder.run(data, (access, dir) -> {
                access.accounts().setRole(Caller.commandLine(), name, r);
                spec.commandLine().getOut().println(Text.safe(name) + " is now " + r.label());
                return 0;
            });
        }
    }

    @Command(name = "grant", mixinStandardHelpOptions = true, description = "Let a user see the endpoints of a computer group.")
    static final class Grant implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Option(names = "--name", paramLabel = "NAME", required = true, description = "The user.") String name;
        @Option(names = "--group", paramLabel = "GROUP", required = true, description = "The computer group (see `groups`).") String group;

        @Override
        public Integer call() throws Exception {
            return AccessFolder.run(data, (access, dir) -> {
                access.accounts().grant(Caller.commandLine(), name, group);
                spec.commandLine().getOut().println("granted " + Text.safe(group) + " to " + Text.safe(name));
                return 0;
            });
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Take a computer group away from a user.")
    static final class Revoke implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Option(names = "--name", paramLabel = "NAME", required = true, description = "The user.") String name;
        @Option(names = "--group", paramLabel = "GROUP", required = true, description = "The computer group (see `groups`).") String group;

        @Override
        public Integer call() throws Exception {
            return AccessFolder.run(data, (access, dir) -> {
                access.accounts().revoke(Caller.commandLine(), name, group);
                spec.commandLine().getOut().println("revoked " + Text.safe(group) + " from " + Text.safe(name));
                return 0;
            });
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable a user: signed out at once, sign-in and API tokens refused. `users enable` undoes it.")
    static final class Disable implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Option(names = "--name", paramLabel = "NAME", required = true, description = "The user.") String name;

        @Override
        public Integer call() throws Exception {
            return AccessFolder.run(data, (access, dir) -> {
                access.accounts().setDisabled(Caller.commandLine(), name, true);
                spec.commandLine().getOut().println("disabled " + Text.safe(name));
                return 0;
            });
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a disabled user again.")
    static final class Enable implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Option(names = "--name", paramLabel = "NAME", required = true, description = "The user.") String name;

        @Override
        public Integer call() throws Exception {
            return AccessFolder.run(data, (access, dir) -> {
                access.accounts().setDisabled(Caller.commandLine(), name, false);
                spec.commandLine().getOut().println("enabled " + Text.safe(name));
                return 0;
            });
        }
    }

    @Command(name = "reset-password", mixinStandardHelpOptions = true, description = {
        "Give a user a new password: generated and printed once, or the first line of --password-file.",
        "The user must change it at next sign-in."})
    static final class ResetPassword implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Option(names = "--name", paramLabel = "NAME", required = true, description = "The user.") String name;
        @Option(names = "--password-file", paramLabel = "FILE", description = "Read the password from the file's first line.") Path passwordFile;

        @Override
        public Integer call() throws Exception {
            String given = passwordFile == null ? null : AccessFolder.passwordFrom(passwordFile);
            var out = spec.commandLine().getOut();
            return AccessFolder.run(data, (access, dir) -> {
                String password = access.accounts().resetPassword(Caller.commandLine(), name, given);
                out.println("reset the password of " + Text.safe(name));
                if (given == null) handOver(out, name, password, true);
                else out.println(name + " must change it at next sign-in");
                return 0;
            });
        }
    }
}
