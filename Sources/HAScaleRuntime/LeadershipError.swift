import HAScale
import SystemPackage

/// Why a controller could not tell whether it holds its address: it stays on
/// standby until it can, and says so once.
public enum LeadershipError: Error, Equatable, CustomStringConvertible {
    /// `getifaddrs` failed (out of memory or descriptors, or netlink refused).
    case cannotReadAddresses(IPAddress, Errno)

    public var description: String {
        switch self {
        case .cannotReadAddresses(let a, let e):
            "cannot read this host's addresses to see whether it holds \(a) (getifaddrs: \(e)); "
                + "staying on standby until it can: check the process's limits on open files and memory"
        }
    }
}
