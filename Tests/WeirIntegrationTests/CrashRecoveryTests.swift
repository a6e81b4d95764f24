import Foundation
import Testing
import WeirCore
import WeirKafka
import WeirPostgres
import WeirTopology

extension Integration {
    /// The short version of scripts/crash-test: `weir run` is killed with SIGKILL mid-stream
    /// three times and restarted; PostgreSQL must still equal the oracle exactly.
    @Suite("Crash recovery: SIGKILL mid-stream")
    struct CrashRecoveryTests {
        @Test("three SIGKILLs mid-stream lose nothing and count nothing twice")
        func threeKills() throws {
            let scenario = try StreamScenario(events: 60_000, partitions: 4, seed: 201, users: 5_000)
            let file = try scenario.topologyFile()
            // 30 s of production: three kill cycles (group join, first commit, up to 1.1 s more)
            // must all land while records are still arriving, or a run has nothing to commit.
            let produced = scenario.produceInBackground(rate: 2_000)
            var committed: Int64 = 0
            var kills = 0
            var rng = SplitMix64(seed: 201)
            while kills < 3 {
                let run = try WeirRunProcess(topologyFile: file)
                // Kill only once this process is committing, at a random moment after.
                let deadline = Date().addingTimeInterval(30)
                while Date() < deadline && scenario.committedEvents() <= committed {
                    Thread.sleep(forTimeInterval: 0.2)
                }
                Thread.sleep(forTimeInterval: 0.1 + rng.nextUnit() * 1.0)
                run.kill9()
                kills += 1
                let now = scenario.committedEvents()
                #expect(now > committed, "run \(kills) committed nothing before its kill:\n\(run.log.suffix(2000))")
                committed = now
            }
            produced.wait()
            let final = try WeirRunProcess(topologyFile: file)
            let caughtUp = scenario.waitForCommittedEvents(Int64(scenario.records.count))
            // The previous runs may have committed everything already: let the final one
            // get running (own its partitions) before asking it to stop.
            let running = Date().addingTimeInterval(30)
            while Date() < running && final.assignedPartitions.isEmpty { Thread.sleep(forTimeInterval: 0.1) }
            #expect(final.terminate() == 0, "SIGTERM exits 0")
            #expect(caughtUp, "final run did not catch up:\n\(final.log.suffix(2000))")
            try scenario.verifyExact()
        }
    }

    /// Several `weir run` processes share one consumer group; partitions move on join and
    /// leave; killing one mid-stream still gives exact results.
    @Suite("Scale-out over a consumer group")
    struct ScaleOutTests {
        @Test("two processes share the partitions, one is killed, a third joins: results are exact")
        func processesJoinAndLeave() throws {
            let scenario = try StreamScenario(events: 60_000, partitions: 6, seed: 301, users: 5_000)
            let file = try scenario.topologyFile()
            let a = try WeirRunProcess(topologyFile: file)
            let b = try WeirRunProcess(topologyFile: file)
            // 30 s of production: three kill cycles (group join, first commit, up to 1.1 s more)
            // must all land while records are still arriving, or a run has nothing to commit.
            let produced = scenario.produceInBackground(rate: 2_000)

            // Both members get a share once the group has settled.
            let settle = Date().addingTimeInterval(30)
            while Date() < settle && (a.assignedPartitions.isEmpty || b.assignedPartitions.isEmpty || scenario.committedEvents() < 10_000) {
                Thread.sleep(forTimeInterval: 0.2)
            }
            #expect(!a.assignedPartitions.isEmpty && !b.assignedPartitions.isEmpty, "both members own partitions\nA: \(a.log.suffix(1500))\nB: \(b.log.suffix(1500))")
            a.kill9()
            let c = try WeirRunProcess(topologyFile: file)
            produced.wait()
            let caughtUp = scenario.waitForCommittedEvents(Int64(scenario.records.count))
            #expect(b.terminate() == 0)
            #expect(c.terminate() == 0)
            #expect(caughtUp, "not all events committed\nB: \(b.log.suffix(1500))\nC: \(c.log.suffix(1500))")
            // B took over A's partitions at some point, and C received a share when it joined.
            #expect(b.assignedPartitions.count == 6 || !c.assignedPartitions.isEmpty)
            #expect(b.assignedPartitions.union(c.assignedPartitions).count == 6)
            try scenario.verifyExact()
        }
    }
}
