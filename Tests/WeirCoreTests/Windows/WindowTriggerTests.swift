import Testing
import WeirCore

/// The trigger's decisions, as a pure function of the pane facts.
struct WindowTriggerTests {
    let window = Window(start: 0, end: 10)

    @Test func watermarkDecisions() {
        let t = WindowTrigger.onWatermark
        let fresh = PaneFacts(window: window, isDirty: true, hasFiredOnTime: false)
        let fired = PaneFacts(window: window, isDirty: false, hasFiredOnTime: true)
        let firedDirty = PaneFacts(window: window, isDirty: true, hasFiredOnTime: true)
        #expect(t.onWatermark(fresh, watermark: 9, allowedLateness: 5) == .continue)
        #expect(t.onWatermark(fresh, watermark: 10, allowedLateness: 5) == .fire)
        #expect(t.onWatermark(fresh, watermark: 10, allowedLateness: 0) == .fireAndPurge)
        #expect(t.onWatermark(fresh, watermark: 15, allowedLateness: 5) == .fireAndPurge)
        #expect(t.onWatermark(fired, watermark: 12, allowedLateness: 5) == .continue)
        #expect(t.onWatermark(fired, watermark: 15, allowedLateness: 5) == .purge)
        #expect(t.onWatermark(firedDirty, watermark: 15, allowedLateness: 5) == .fireAndPurge)
        #expect(t.onWatermark(fresh, watermark: .max, allowedLateness: .max) == .fireAndPurge)
    }

    @Test func updateDecisions() {
        let open = PaneFacts(window: window, isDirty: true, hasFiredOnTime: false)
        #expect(WindowTrigger.onWatermark.onUpdate(open, watermark: 5) == .continue)
        #expect(WindowTrigger.onWatermark.onUpdate(open, watermark: 10) == .fire)  // a late update
        #expect(WindowTrigger.everyUpdate.onUpdate(open, watermark: 5) == .fire)
        #expect(try! WindowTrigger.periodic(every: 10).onUpdate(open, watermark: 5) == .continue)
    }

    @Test func processingTimeDecisions() {
        let periodic = try! WindowTrigger.periodic(every: 100)
        let open = PaneFacts(window: window, isDirty: true, hasFiredOnTime: false)
        let clean = PaneFacts(window: window, isDirty: false, hasFiredOnTime: false)
        #expect(periodic.onProcessingTime(open, watermark: 5) == .fire)
        #expect(periodic.onProcessingTime(clean, watermark: 5) == .continue)
        #expect(periodic.onProcessingTime(open, watermark: 10) == .continue)
        #expect(WindowTrigger.onWatermark.onProcessingTime(open, watermark: 5) == .continue)
        #expect(periodic.nextProcessingTimeFiring(after: 0) == 100)
        #expect(periodic.nextProcessingTimeFiring(after: 250) == 300)
        #expect(periodic.nextProcessingTimeFiring(after: -1) == 0)
        #expect(WindowTrigger.everyUpdate.nextProcessingTimeFiring(after: 0) == nil)
    }

    @Test func actionFlags() {
        #expect(TriggerAction.fire.fires && !TriggerAction.fire.purges)
        #expect(TriggerAction.fireAndPurge.fires && TriggerAction.fireAndPurge.purges)
        #expect(!TriggerAction.purge.fires && TriggerAction.purge.purges)
        #expect(!TriggerAction.continue.fires && !TriggerAction.continue.purges)
    }
}
