import HAProxySocket
import Glibc
import NIOPosix

/// The real runtime-API client behind the ``RuntimeAPI`` seam. Its calls block
/// in `poll`/`recv` for up to the connect plus read timeouts, so they run on a
/// NIO thread pool, never on a thread of Swift's cooperative pool.
public struct OffloadedRuntimeAPI: RuntimeAPI {
    public let client: RuntimeAPIClient
    let pool: NIOThreadPool

    public init(_ client: RuntimeAPIClient, pool: NIOThreadPool = .singleton) {
        self.client = client
        self.pool = pool
    }

    public var addressDescription: String { client.address.description }

    /// Runs to its answer even when the calling task is cancelled: a command is
    /// short (bounded by the client's timeouts) and a sequence cut between two
    /// commands (weight set, state not) is worse than one that finishes.
    public func send(_ command: RuntimeCommand) async throws(RuntimeAPIError) -> String {
        let client = self.client
        let result = await withCheckedContinuation { (done: CheckedContinuation<Result<String, RuntimeAPIError>, Never>) in
            pool.submit { state in
                guard case .active = state else {
                    // The pool is shutting down: the process is stopping.
                    done.resume(returning: .failure(.connectFailed(address: client.address.description, errno: ECANCELED,
                                                                   message: "not sent: hascale is shutting down")))
                    return
                }
                do throws(RuntimeAPIError) { done.resume(returning: .success(try client.send(command))) } catch {
                    done.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}
