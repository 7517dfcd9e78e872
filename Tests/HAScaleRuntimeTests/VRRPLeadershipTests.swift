import HAScale
import HAScaleRuntime
import Testing

/// `getifaddrs` against this host's own addresses (the keepalived test moves a real one).
@Suite struct VRRPLeadershipTests {
    @Test func anAddressOnAnInterfaceThatIsUpIsHeld() throws {
        // The inventory refuses loopback as a leader address; the check itself reads it like any other.
        #expect(try VRRPLeadership(address: IPAddress("127.0.0.1")!).holdsAddress())
        #expect(try !VRRPLeadership(address: IPAddress("203.0.113.254")!).holdsAddress(), "TEST-NET-3 is no host's")
        #expect(try !VRRPLeadership(address: IPAddress("127.0.0.2")!).holdsAddress(), "lo has 127.0.0.1/8, but only .1 is an address of it")
    }

    @Test func anIPv6AddressIsComparedByItsBytes() throws {
        // ::1 is on lo wherever IPv6 is enabled; a different spelling of an absent one is not.
        let v6 = try VRRPLeadership(address: IPAddress("0:0:0:0:0:0:0:1")!).holdsAddress()
        #expect(v6 == (try VRRPLeadership(address: IPAddress("::1")!).holdsAddress()))
        #expect(try !VRRPLeadership(address: IPAddress("2001:db8::dead")!).holdsAddress())
    }

    /// The loop asks at most every 250 ms; this is what one check costs.
    @Test func oneCheckCostsWellUnderAMillisecond() throws {
        let check = VRRPLeadership(address: IPAddress("203.0.113.254")!)
        let clock = ContinuousClock()
        let n = 500
        let took = try clock.measure { for _ in 0..<n { _ = try check.holdsAddress() } }
        let each = took / n
        print("VRRPLeadership.holdsAddress: \(each) per check (\(n) checks)")
        #expect(each < .milliseconds(5), "\(each)")
    }
}
