/// The seam between hascale and HAProxy: send one command, get its answer.
///
/// The daemon's loop, the executor and the manual commands talk to HAProxy only
/// through this, so the loop can run in-process against an in-memory HAProxy
/// (the test kit's `InMemoryHAProxy`) as well as against the real socket
/// (``RuntimeAPIClient``, offloaded from the cooperative pool by the runtime).
/// Implementations must keep ``RuntimeAPIClient/send(_:)``'s contract: an action
/// command succeeds only on an empty answer, a refusal is a typed error.
public protocol RuntimeAPI: Sendable {
    /// Where the answers come from, for error messages (`/run/haproxy/admin.sock`).
    var addressDescription: String { get }
    func send(_ command: RuntimeCommand) async throws(RuntimeAPIError) -> String
}
