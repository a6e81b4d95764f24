import Testing
import WeirCore

/// Trigger action sequences of the window operator, asserted without any I/O.
struct WindowOperatorTests {
    typealias Counter = WindowOperator<String, CountAggregator<Int>>

    /// Feeds facts one by one and describes what each produced.
    struct Harness {
        var op: Counter
        var output = Counter.Output()

        init(_ assigner: WindowAssigner, trigger: WindowTrigger = .onWatermark, lateness: Int64 = 0) {
            op = Counter(spec: try! WindowSpec(assigner, trigger: trigger, allowedLateness: lateness), aggregator: CountAggregator())
        }

        mutating func records(_ times: Int64..., key: String = "a") -> [String] {
            run(.records(times.map { WindowRecord(eventTime: $0, key: key, value: 0) }))
        }
        mutating func watermark(_ w: Int64) -> [String] { run(.watermark(w)) }
        mutating func tick(_ now: Int64) -> [String] { run(.processingTime(now)) }

        mutating func run(_ fact: WindowFact<String, Int>) -> [String] {
            output.removeAll()
            op.handle(fact, into: &output)
            return output.emissions.map(describe) + output.late.map { "late \($0.record.eventTime) \($0.reason.code.rawValue) end \($0.reason.latestWindowEnd)" }
        }
    }

    static func describe(_ e: WindowEmission<String, CountPartial>) -> String {
        switch e {
        case .upsert(let r): return "\(r.timing) \(r.window) \(r.key)=\(r.value.count)"
        case .retract(let w, let k): return "retract \(w) \(k)"
        }
    }

    @Test func finalTriggerFiresOnceOnTheWatermarkThenPurges() {
        var h = Harness(try! .tumbling(10))
        #expect(h.records(1, 5, 12) == [])
        #expect(h.watermark(9) == [])
        #expect(h.watermark(10) == ["onTime [0, 10) a=2"])
        #expect(h.op.openPaneCount == 1)
        #expect(h.records(3) == ["late 3 window_closed end 10"])
        #expect(h.op.lateRecordCount == 1)
        #expect(h.watermark(25) == ["onTime [10, 20) a=1"])
        #expect(h.op.openPaneCount == 0)
    }

    @Test func allowedLatenessReFiresLateUpdatesAndThenRefuses() {
        var h = Harness(try! .tumbling(10), lateness: 5)
        #expect(h.records(1, 5) == [])
        #expect(h.watermark(10) == ["onTime [0, 10) a=2"])
        #expect(h.records(7, 8) == ["late [0, 10) a=4"])  // one re-emission per batch
        #expect(h.watermark(14) == [])
        #expect(h.records(9) == ["late [0, 10) a=5"])
        #expect(h.watermark(15) == [])  // purged: nothing new to say
        #expect(h.op.openPaneCount == 0)
        #expect(h.records(9) == ["late 9 window_closed end 10"])
        #expect(h.op.lateRecordCount == 1)
    }

    @Test func aLateRecordForAWindowWithoutStateStillCounts() {
        var h = Harness(try! .tumbling(10), lateness: 5)
        #expect(h.watermark(12) == [])
        #expect(h.records(3) == ["late [0, 10) a=1"])  // within lateness: accepted, fired as late
        #expect(h.watermark(100) == [])
        #expect(h.records(3) == ["late 3 window_closed end 10"])
    }

    @Test func periodicTriggerFiresUpdatedPanesOnProcessingTime() {
        var h = Harness(try! .tumbling(100), trigger: try! .periodic(every: 10))
        #expect(h.tick(0) == [])  // schedules the first firing at 10
        #expect(h.records(1) == [])
        #expect(h.tick(9) == [])
        #expect(h.tick(10) == ["early [0, 100) a=1"])
        #expect(h.tick(20) == [])  // not updated since
        #expect(h.records(2) == [])
        #expect(h.records(3, key: "b") == [])
        #expect(h.tick(31) == ["early [0, 100) a=2", "early [0, 100) b=1"])
        #expect(h.op.nextEarlyFiring == 40)
        #expect(h.records(4) == [])
        #expect(h.watermark(100) == ["onTime [0, 100) a=3", "onTime [0, 100) b=1"])
        #expect(h.tick(50) == [])  // fired on time: no early firing of a complete window
    }

    @Test func everyUpdateTriggerFiresAtTheEndOfEachBatch() {
        var h = Harness(try! .tumbling(10), trigger: .everyUpdate)
        #expect(h.records(1, 2) == ["early [0, 10) a=2"])
        #expect(h.records(3, 15) == ["early [0, 10) a=3", "early [10, 20) a=1"])
        #expect(h.watermark(10) == ["onTime [0, 10) a=3"])
        #expect(h.records(4) == ["late 4 window_closed end 10"])
    }

    @Test func hoppingWindowsFireInEndOrder() {
        var h = Harness(try! .hopping(10, slide: 5))
        #expect(h.records(7) == [])
        #expect(h.watermark(10) == ["onTime [0, 10) a=1"])
        #expect(h.records(12) == [])
        #expect(h.watermark(20) == ["onTime [5, 15) a=2", "onTime [10, 20) a=1"])
    }

    @Test func cumulativeWindowsReportThePeriodSoFar() {
        var h = Harness(try! .cumulative(30, step: 10))
        #expect(h.records(5, 15) == [])
        #expect(h.watermark(10) == ["onTime [0, 10) a=1"])
        #expect(h.watermark(20) == ["onTime [0, 20) a=2"])
        #expect(h.records(25) == [])
        #expect(h.watermark(30) == ["onTime [0, 30) a=3"])
        #expect(h.records(31) == [])
        #expect(h.watermark(40) == ["onTime [30, 40) a=1"])
    }

    @Test func sessionsMergeAndRetractTheRowsTheyReplace() {
        var h = Harness(try! .session(10), lateness: 100)
        #expect(h.records(0, 15) == [])
        #expect(h.watermark(30) == ["onTime [0, 10) a=1", "onTime [15, 25) a=1"])
        // A record bridging both sessions merges them: both rows are retracted, and the
        // merged session, already complete, fires as late in the same batch.
        #expect(h.records(7) == ["retract [0, 10) a", "retract [15, 25) a", "late [0, 25) a=3"])
        #expect(h.records(3) == ["late [0, 25) a=4"])
        #expect(h.watermark(124) == [])
        #expect(h.watermark(125) == [])
        #expect(h.op.openPaneCount == 0)
        // More than the lateness behind the watermark: refused.
        #expect(h.records(20) == ["late 20 window_closed end 30"])
    }

    @Test func sessionsExtendWhileOpenAndKeepKeysApart() {
        var h = Harness(try! .session(10))
        #expect(h.records(0, 5, 14) == [])
        #expect(h.records(3, key: "b") == [])
        #expect(h.watermark(13) == ["onTime [3, 13) b=1"])
        #expect(h.records(24) == [])  // exactly the gap after the last record: a new session
        #expect(h.records(23, key: "b") == [])  // b's earlier session is closed: a new one
        // A key's due sessions fire together, at its earliest due timer.
        #expect(h.watermark(40) == ["onTime [0, 24) a=3", "onTime [24, 34) a=1", "onTime [23, 33) b=1"])
    }

    @Test func periodicSessionsRetractEarlyRowsOnMerge() {
        var h = Harness(try! .session(10), trigger: try! .periodic(every: 5))
        #expect(h.tick(0) == [])
        #expect(h.records(0) == [])
        #expect(h.tick(5) == ["early [0, 10) a=1"])
        #expect(h.records(8) == ["retract [0, 10) a"])
        #expect(h.tick(10) == ["early [0, 18) a=2"])
        #expect(h.watermark(18) == ["onTime [0, 18) a=2"])
    }

    @Test func invalidConfigurationsAreRefusedWithStableCodes() {
        func code(_ body: () throws(WindowConfigurationError) -> Void) -> WindowConfigurationError.Code? {
            do { try body() } catch { return error.code }
            return nil
        }
        #expect(code { () throws(WindowConfigurationError) in _ = try WindowAssigner.tumbling(0) } == .nonPositiveSize)
        #expect(code { () throws(WindowConfigurationError) in _ = try WindowAssigner.hopping(10, slide: 11) } == .invalidSlide)
        #expect(code { () throws(WindowConfigurationError) in _ = try WindowAssigner.hopping(10, slide: 0) } == .invalidSlide)
        #expect(code { () throws(WindowConfigurationError) in _ = try WindowAssigner.cumulative(10, step: 3) } == .invalidStep)
        #expect(code { () throws(WindowConfigurationError) in _ = try WindowAssigner.session(0) } == .nonPositiveGap)
        #expect(code { () throws(WindowConfigurationError) in _ = try WindowTrigger.periodic(every: 0) } == .nonPositiveInterval)
        #expect(code { () throws(WindowConfigurationError) in _ = try WindowSpec(.tumbling(size: 10), allowedLateness: -1) } == .negativeLateness)
        #expect(code { () throws(WindowConfigurationError) in _ = try WindowSpec(.tumbling(size: -5)) } == .nonPositiveSize)
        #expect(WindowConfigurationError.Code.invalidStep.rawValue == "invalid_step")
    }
}
