package trailhound.agent;

import picocli.CommandLine;

/** The agent jar's entry point ({@code java -jar trailhound-agent.jar --server URL --token TOKEN}). */
public final class AgentMain {
    private AgentMain() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new AgentCommand()).execute(args));
    }
}
