#if canImport(Glibc)
import Glibc
#endif
import HAScale
import SystemPackage

/// Leadership as keepalived's VRRP elects it: this host acts while the virtual
/// address is on one of its interfaces that is up. keepalived adds the address
/// on the master and removes it on a backup (and when it stops), so the address
/// and the controller that acts never disagree for longer than one check.
///
/// Read with `getifaddrs` (a netlink dump of links and addresses), about 0.2 ms
/// on the 2-core test machine: too much for every turn of a loop that turns
/// thousands of times a second under load, so the loop asks at most every 250 ms.
public struct VRRPLeadership: LeadershipCheck {
    public let address: IPAddress

    public init(address: IPAddress) { self.address = address }

    public func holdsAddress() throws(LeadershipError) -> Bool {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { throw .cannotReadAddresses(address, Errno(rawValue: errno)) }
        defer { freeifaddrs(list) }
        var next = list
        while let entry = next {
            next = entry.pointee.ifa_next
            guard entry.pointee.ifa_flags & UInt32(IFF_UP) != 0, let sa = entry.pointee.ifa_addr else { continue }
            if Self.address(sa) == address { return true }
        }
        return false
    }

    /// An interface address as an ``IPAddress``; nil for other families (links).
    static func address(_ sa: UnsafeMutablePointer<sockaddr>) -> IPAddress? {
        switch Int32(sa.pointee.sa_family) {
        case AF_INET:
            return sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { .v4(UInt32(bigEndian: $0.pointee.sin_addr.s_addr)) }
        case AF_INET6:
            return sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { p in
                .v6(withUnsafeBytes(of: p.pointee.sin6_addr) { Array($0) })
            }
        default:
            return nil
        }
    }
}
