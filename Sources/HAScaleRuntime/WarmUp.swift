import AsyncHTTPClient
import HAScale
import NIOCore

/// Why a warm-up did not succeed, from its last attempt.
public enum WarmUpFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The app answered, but not with 2xx or 3xx.
    case status(UInt)
    /// No answer within the timeout.
    case timedOut(Duration)
    /// No connection (refused, unreachable, reset).
    case connection(String)
    /// The URL or the request itself is unusable.
    case request(String)

    public var description: String {
        switch self {
        case .status(let code): "HTTP \(code)"
        case .timedOut(let t): "no answer within \(t)"
        case .connection(let why): "cannot connect: \(why)"
        case .request(let why): why
        }
    }
}

/// How a warm-up ended.
public enum WarmUpOutcome: Sendable, Equatable {
    case succeeded(attempts: Int)
    case failed(WarmUpFailure)
}

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
    /// doubling backoff (slept on `clock`). Cancellation ends it as failed.
    public func run(url: String, clock: any RuntimeClock = MonotonicClock(), progress: (String) -> Void = { _ in }) async -> WarmUpOutcome {
        var last = WarmUpFailure.request("not tried")
        var wait = backoff
        for attempt in 1...max(1, attempts) {
            switch await once(url) {
            case .success: return .succeeded(attempts: attempt)
            case .failure(let f): last = f
            }
            progress("warm-up \(url) attempt \(attempt)/\(attempts) failed: \(last)")
            if attempt < attempts {
                do { try await clock.sleep(for: wait) } catch { return .failed(last) }
                wait = wait * 2
            }
        }
        return .failed(last)
    }

    func once(_ url: String) async -> Result<Void, WarmUpFailure> {
        do {
            var request = HTTPClientRequest(url: url)
            request.method = .GET
            request.headers.add(name: "User-Agent", value: "hascale-warmup")
            let response = try await HTTPClient.shared.execute(request, timeout: TimeAmount(timeout))
            _ = try? await response.body.collect(upTo: 1 << 20)
            return (200..<400).contains(response.status.code) ? .success(()) : .failure(.status(response.status.code))
        } catch let error as HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout:
                return .failure(.timedOut(timeout))
            case .remoteConnectionClosed:
                return .failure(.connection("\(error)"))
            default:
                return .failure(.request("\(error)"))
            }
        } catch {
            // NIO's connect errors (refused, unreachable) are not HTTPClientErrors.
            return .failure(.connection("\(error)"))
        }
    }
}
