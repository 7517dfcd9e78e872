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

    public func send(_ command: RuntimeCommand) async throws(RuntimeAPIError) -> String {
        let client = self.client
        let result: Result<String, RuntimeAPIError>
        do {
            result = try await pool.runIfActive { () -> Result<String, RuntimeAPIError> in
                do throws(RuntimeAPIError) { return .success(try client.send(command)) } catch { return .failure(error) }
            }
        } catch {
            // The pool is shutting down: the process is stopping.
            throw .connectFailed(address: client.address.description, errno: ECANCELED, message: "not sent: hascale is shutting down")
        }
        return try result.get()
    }
}
