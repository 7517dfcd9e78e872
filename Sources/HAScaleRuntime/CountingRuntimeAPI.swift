import HAProxySocket
import Synchronization

/// The loop's ``RuntimeAPI``, counting the commands that failed: a refusal, a
/// socket that did not answer, a malformed answer. Counted at the seam, so the
/// resyncs the loop runs and the actions its child tasks run all count alike,
/// and the count reaches `/metrics` (`hascale_runtime_api_errors_total`)
/// without any of them reporting it. With several HAProxy nodes each node's
/// api is wrapped too, into the same ``Tally``: a node that fails while the
/// others go on still counts.
final class CountingRuntimeAPI: RuntimeAPI {
    /// One loop's count, shared by its wrappers.
    final class Tally: Sendable {
        let failures = Atomic<UInt64>(0)
    }

    let wrapped: any RuntimeAPI
    let tally: Tally

    init(_ wrapped: any RuntimeAPI, tally: Tally = Tally()) {
        self.wrapped = wrapped
        self.tally = tally
    }

    var addressDescription: String { wrapped.addressDescription }

    var errors: UInt64 { tally.failures.load(ordering: .relaxed) }

    func send(_ command: RuntimeCommand) async throws(RuntimeAPIError) -> String {
        do {
            return try await wrapped.send(command)
        } catch {
            tally.failures.add(1, ordering: .relaxed)
            throw error
        }
    }
}
