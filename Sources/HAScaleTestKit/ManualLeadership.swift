import HAScale
import HAScaleRuntime
import Synchronization
import SystemPackage

/// A ``LeadershipCheck`` a test flips by hand: the loop sees the change at its
/// next check, as it would see keepalived move the address.
public final class ManualLeadership: LeadershipCheck {
    public let address: IPAddress
    let state: Mutex<(holds: Bool, fails: Bool)>

    public init(address: IPAddress = IPAddress("10.213.0.100")!, holds: Bool) {
        self.address = address
        state = Mutex((holds, false))
    }

    /// Whether this "host" holds the address.
    public var holds: Bool {
        get { state.withLock { $0.holds } }
        set { state.withLock { $0.holds = newValue } }
    }

    /// While true the check fails as a `getifaddrs` without memory would.
    public var fails: Bool {
        get { state.withLock { $0.fails } }
        set { state.withLock { $0.fails = newValue } }
    }

    public func holdsAddress() throws(LeadershipError) -> Bool {
        let (holds, fails) = state.withLock { ($0.holds, $0.fails) }
        if fails { throw .cannotReadAddresses(address, .noMemory) }
        return holds
    }
}
