import Foundation
import HAScaleTestKit

// The README's first command: a real HAProxy, four app servers whose latency
// grows with their load, a load pattern, and `hascale run` scaling live.
// Usage: hascale-demo PATH-TO-hascale

let args = CommandLine.arguments
guard args.count == 2 else {
    FileHandle.standardError.write(Data("usage: hascale-demo PATH-TO-hascale (scripts/demo runs it for you)\n".utf8))
    exit(64)
}
let start = Date()
let say: @Sendable (String) -> Void = { s in
    FileHandle.standardOutput.write(Data((String(format: "[%5.1fs] ", Date().timeIntervalSince(start)) + s + "\n").utf8))
}
func show(_ s: String) { FileHandle.standardOutput.write(Data((s + "\n").utf8)) }

let policy = """
    { "window_requests": 20, "min_active": 1, "resync_seconds": 2,
      "scale_up": { "threshold_ms": 200, "breaches": 3, "cooldown_seconds": 5 },
      "scale_down": { "threshold_ms": 100, "after_seconds": 10 },
      "drain_timeout_seconds": 5 }
    """
let scenario: AutoscaleScenario
do {
    scenario = try AutoscaleScenario(policy: policy)
} catch {
    FileHandle.standardError.write(Data("cannot start the demo: \(error)\n".utf8))
    exit(1)
}
say("HAProxy 127.0.0.1:\(scenario.port) → backend app: s1 (always up) + s2, s3, s4 in maintenance")
say("each app server answers in 5 ms + 40 ms per request it is already working on")
say("policy: mean Tr of the last 20 requests; up above 200 ms (3 breaches, 5 s cooldown), down below 100 ms for 10 s")

let story = ["decision:", "scale_up", "scale_down", "held back", "warm-up", "status", "ready:", "drift", "drained", "error"]
let hascale = try ChildProcess(args[1], ["run", "--config", scenario.inventoryPath, "--status-every", "5"]) { line in
    guard story.contains(where: { line.contains($0) }), !line.contains("status tail:") else { return }
    // StreamLogHandler prefixes a timestamp and the label; keep the message.
    let message = line.range(of: ": [hascale] ").map { String(line[$0.upperBound...]) } ?? line
    say("hascale  " + message)
}
func finish(_ code: Int32) -> Never {
    _ = hascale.terminate()
    scenario.stop()
    exit(code)
}
do {
    try hascale.waitForLine("hascale to start", timeout: 30) { $0.contains("ready:") }
} catch {
    say("hascale did not start: \(error)")
    finish(1)
}
let timeline = StateTimeline(scenario)

func phase(_ name: String, clients: Int, think: TimeInterval, seconds: TimeInterval, until: (() -> Bool)? = nil) {
    say("load     \(name): \(clients) client\(clients == 1 ? "" : "s")\(think > 0 ? ", \(Int(think * 1000)) ms between requests" : ", back to back")")
    scenario.load.set(clients: clients, think: think)
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
        if let until, until() { break }
        Thread.sleep(forTimeInterval: 0.2)
    }
}

phase("light", clients: 1, think: 0.05, seconds: 15)
phase("heavy", clients: 12, think: 0, seconds: 40)
phase("light again", clients: 1, think: 0.05, seconds: 75) { timeline.current == ["s1"] }
Thread.sleep(forTimeInterval: 1)
timeline.stop()

show("")
say("summary: HAProxy's own state over the run (show servers state, sampled every 100 ms):")
for c in timeline.changes { show("         \(c)") }
let peak = timeline.changes.reduce((1, 1)) { acc, c in let n = acc.0 + (c.up ? 1 : -1); return (n, max(acc.1, n)) }.1
// The verdict is taken now: stopping HAProxy and the app servers below can
// cut the load generator's last request short, which is not the run's doing.
let (current, sent, failed) = (timeline.current, scenario.load.sent, scenario.load.failed)
say("summary: peak \(peak) servers, now \(current.sorted().joined(separator: ",")); \(sent) requests answered, \(failed) failed")
let code = hascale.terminate()
say("hascale stopped on SIGTERM with exit status \(code.map(String.init) ?? "killed")")
scenario.stop()
exit(current == ["s1"] && failed == 0 ? 0 : 1)
