package org.tcpjmx.bench;

import org.tcpjmx.platform.TableSnapshots;
import org.tcpjmx.platform.TcpHistograms;
import org.tcpjmx.platform.TcpPlatform;
import org.tcpjmx.platform.TcpPlatforms;

/**
 * What the shared snapshot's walk budget saves (issue 18): a farm of N ESTABLISHED sockets, then a
 * reader asking for the snapshot every {@code period} ms for {@code seconds}, once without a budget
 * and once with 2% of one core, alternating for {@code rounds}; this process's CPU over each window.
 * A read every second at 100,000 sockets costs the host what a 15 s scrape costs at 1,500,000.
 *
 * <p>{@code java -cp tcpjmx-bench.jar org.tcpjmx.bench.WalkBudget SOCKETS SECONDS PERIOD_MS ROUNDS}
 */
public final class WalkBudget {
    private WalkBudget() {
    }

    public static void main(String[] args) throws Exception {
        int sockets = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        long period = Long.parseLong(args[2]);
        int rounds = Integer.parseInt(args[3]);
        long self = ProcessHandle.current().pid();
        TcpPlatform platform = TcpPlatforms.open("netlink");
        try (SocketFarm farm = SocketFarm.start(sockets, 0, 7000)) {
            System.out.println("| budget | reads | walks | served age, ms | process CPU, % of one core |");
            System.out.println("|---:|---:|---:|---:|---:|");
            for (int r = 0; r < rounds; r++) {
                for (int budget : new int[] {0, TableSnapshots.DEFAULT_WALK_BUDGET_PERCENT}) {
                    TableSnapshots snapshots = new TableSnapshots(new TcpHistograms(platform), 100);
                    snapshots.setWalkBudgetPercent(budget);
                    long walks = platform.tableWalks();
                    double cpu = ProcessCpu.millis(self);
                    long start = System.nanoTime();
                    int reads = 0;
                    while (System.nanoTime() - start < seconds * 1_000_000_000L) {
                        snapshots.get();
                        reads++;
                        Thread.sleep(period);
                    }
                    double elapsedMillis = (System.nanoTime() - start) / 1e6;
                    System.out.printf("| %d%% | %d | %d | %d | %.2f |%n", budget, reads, platform.tableWalks() - walks,
                            snapshots.servedAgeMillis(), 100 * (ProcessCpu.millis(self) - cpu) / elapsedMillis);
                }
            }
        }
    }
}
