import Foundation
import Testing
import WeirCore
import WeirKafka
import WeirPostgres
import WeirTopology

extension Integration {
    /// Broker and database faults in the middle of a run: the job retries with backoff,
    /// holds its offsets, resumes, and the results are exact.
    @Suite("Faults: broker down, leader moves, request errors, coordinator down, PostgreSQL restart")
    struct FaultInjectionTests {
        /// Runs a 30k-event stream at 5k/s through a job, calling `fault` once the job has
        /// committed its first records, so the fault lands mid-stream.
        @discardableResult
        func runWithFault(seed: UInt64, _ fault: (StreamScenario) throws -> Void) throws -> JobProgress {
            let scenario = try StreamScenario(events: 30_000, partitions: 4, seed: seed)
            let runner = JobRunner(try scenario.definition())
            let produced = scenario.produceInBackground(rate: 5_000)
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline && runner.job.progress.recordsCommitted == 0 { Thread.sleep(forTimeInterval: 0.05) }
            #expect(runner.job.progress.recordsCommitted > 0, "the job committed nothing before the fault")
            #expect(runner.job.progress.recordsCommitted < Int64(scenario.records.count), "the fault must land mid-stream")
            try fault(scenario)
            produced.wait()
            let caughtUp = runner.waitForCommitted(Int64(scenario.records.count), timeout: 120)
            #expect(runner.stop() == nil)
            #expect(caughtUp, "not all records were committed: \(runner.job.progress)")
            // Produced once each, whatever the fault did to produce requests (the producer is idempotent).
            #expect(try scenario.recordsInTopic() == Int64(scenario.records.count), "records in the topic")
            try scenario.verifyExact()
            return runner.job.progress
        }

        @Test("a broker goes down and comes back")
        func brokerDownAndUp() throws {
            try runWithFault(seed: 101) { s in
                try s.broker.setBrokerDown(1)
                Thread.sleep(forTimeInterval: 3)
                try s.broker.setBrokerUp(1)
            }
        }

        @Test("partition leaders move to other brokers")
        func leaderMoves() throws {
            try runWithFault(seed: 102) { s in
                for p in 0..<4 {
                    try s.broker.setLeader(topic: s.topic, partition: Int32(p), broker: Int32(3 - p % 3))
                }
                Thread.sleep(forTimeInterval: 1)
                for p in 0..<4 {
                    try s.broker.setLeader(topic: s.topic, partition: Int32(p), broker: Int32(1 + p % 3))
                }
            }
        }

        @Test("fetch, produce and offset-commit requests fail")
        func requestErrors() throws {
            try runWithFault(seed: 103) { s in
                try s.broker.failNextRequests(.fetch, with: [.notLeaderForPartition, .requestTimedOut, .disconnect, .notLeaderForPartition])
                try s.broker.failNextRequests(.produce, with: [.notLeaderForPartition, .requestTimedOut, .disconnect])
                try s.broker.failNextRequests(.offsetCommit, with: [.coordinatorNotAvailable, .notCoordinator, .requestTimedOut])
            }
        }

        @Test("the group coordinator goes down")
        func coordinatorDown() throws {
            try runWithFault(seed: 104) { s in
                try s.broker.setGroupCoordinator(group: s.group, broker: 2)
                Thread.sleep(forTimeInterval: 0.5)
                try s.broker.setBrokerDown(2)
                Thread.sleep(forTimeInterval: 3)
                try s.broker.setBrokerUp(2)
            }
        }

        @Test("PostgreSQL stops and starts again mid-run")
        func postgresRestart() throws {
            let script = TestServices.packageRoot.appendingPathComponent("scripts/postgres").path
            let status = try ScriptRunner.run(script, ["status"])
            try #require(status.status == 0, "this test restarts the PostgreSQL of scripts/postgres, which is not running")
            let progress = try runWithFault(seed: 105) { _ in
                let stop = try ScriptRunner.run(script, ["stop"])
                #expect(stop.status == 0, "\(stop.output)")
                Thread.sleep(forTimeInterval: 3)
                let start = try ScriptRunner.run(script, ["start"])
                #expect(start.status == 0, "\(start.output)")
            }
            #expect(progress.failedCommitAttempts > 0, "the outage must have made commits fail and retry")
        }
    }
}

/// Runs a script to completion with posix_spawn and waitpid. Output goes to a file, not a
/// pipe: a server the script starts would inherit the descriptor and hold a pipe open.
/// (Foundation's `Process` was seen to miss the exit of `scripts/postgres start`, whose
/// server daemonizes, and to wait forever.)
enum ScriptRunner {
    static func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("script-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: logPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard rc == 0 else { return (-1, "posix_spawn failed: \(rc)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        let exited = (status & 0x7f) == 0
        return (exited ? (status >> 8) & 0xff : -1, output)
    }
}
