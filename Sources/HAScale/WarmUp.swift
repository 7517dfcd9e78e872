import AsyncHTTPClient
import NIOCore

/// The HTTP request that wakes an app before it gets traffic (a cold app's
/// first request is slow; users should not be the ones who make it).
public struct WarmUp: Sendable {
    public var timeout: Duration
    public var attempts: Int
    public var backoff: Duration

    public init(timeout: Duration = .seconds(5), attempts: Int = 3, backoff: Duration = .milliseconds(500)) {
        self.timeout = timeout
        self.attempts = attempts
        self.backoff = backoff
    }

    public init(policy: Inventory.Policy) {
        self.init(timeout: .seconds(policy.warmupTimeoutSeconds), attempts: policy.warmupAttempts,
                  backoff: .seconds(policy.warmupBackoffSeconds))
    }

    /// GETs `url` until a 2xx or 3xx answer, at most `attempts` times with a
    /// doubling backoff. Returns nil on success, else what went wrong on the last try.
    public func run(url: String, progress: (String) -> Void = { _ in }) async -> String? {
        var lastError = "not tried"
        var wait = backoff
        for attempt in 1...max(1, attempts) {
            do {
                var request = HTTPClientRequest(url: url)
                request.method = .GET
                request.headers.add(name: "User-Agent", value: "hascale-warmup")
                let c = timeout.components
                let response = try await HTTPClient.shared.execute(
                    request, timeout: .nanoseconds(c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000))
                _ = try? await response.body.collect(upTo: 1 << 20)
                if (200..<400).contains(Int(response.status.code)) { return nil }
                lastError = "HTTP \(response.status.code)"
            } catch {
                lastError = "\(error)"
                if lastError.contains("deadlineExceeded") || lastError.contains("readTimeout") { lastError = "no answer within \(timeout)" }
            }
            progress("warm-up \(url) attempt \(attempt)/\(attempts) failed: \(lastError)")
            if attempt < attempts {
                try? await Task.sleep(for: wait)
                wait = wait * 2
            }
        }
        return lastError
    }
}
