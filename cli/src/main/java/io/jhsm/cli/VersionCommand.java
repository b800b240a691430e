package io.jhsm.cli;

import picocli.CommandLine.Command;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Print jhsm's version.")
final class VersionCommand extends Ctx.Aware implements Runnable {
    @Override
    public void run() {
        ctx().out().println(new Main.VersionInfo().getVersion()[0]);
    }
}
