import HAScale
import Testing

/// `"leader"`: the keepalived virtual address a controller of a pair acts under.
@Suite struct LeaderInventoryTests {
    @Test func theVirtualAddressIsReadAsAnAddress() throws {
        let v4 = try InventoryLoader.parse(LogSourceTests.inventory("\"leader\": { \"vrrp_address\": \"10.0.0.100\" },"), file: "servers.json")
        #expect(v4.leader == Inventory.Leader(vrrpAddress: IPAddress("10.0.0.100")!))
        let v6 = try InventoryLoader.parse(LogSourceTests.inventory("\"leader\": { \"vrrp_address\": \"fd00:0::100\" },"), file: "servers.json")
        #expect(v6.leader?.vrrpAddress.description == "fd00::100")
        let none = try InventoryLoader.parse(LogSourceTests.inventory(""), file: "servers.json")
        #expect(none.leader == nil, "without the key hascale always acts")
    }

    @Test(arguments: [
        ("\"leader\": \"10.0.0.100\",", "servers.json:2: leader: must be an object, not a string"),
        ("\"leader\": { },", "servers.json:2: leader.vrrp_address: is missing: give keepalived's virtual_ipaddress, like \"10.0.0.100\""),
        ("\"leader\": { \"vrrp_address\": \"10.0.0.100/24\" },",
         "servers.json:2: leader.vrrp_address: \"10.0.0.100/24\" is not an IP address (a literal, no host names, no /prefix): give keepalived's virtual_ipaddress"),
        ("\"leader\": { \"vrrp_address\": \"lb-vip.example\" },",
         "servers.json:2: leader.vrrp_address: \"lb-vip.example\" is not an IP address (a literal, no host names, no /prefix): give keepalived's virtual_ipaddress"),
        ("\"leader\": { \"vrrp_address\": \"127.0.0.1\" },",
         "servers.json:2: leader.vrrp_address: 127.0.0.1 is a loopback address, which every host holds, so both controllers would act: give keepalived's virtual_ipaddress"),
        ("\"leader\": { \"vrrp_address\": \"0.0.0.0\" },",
         "servers.json:2: leader.vrrp_address: 0.0.0.0 is the unspecified address, which no host holds, so this controller would never act: give keepalived's virtual_ipaddress"),
        ("\"leader\": { \"vrrp_address\": 100 },", "servers.json:2: leader.vrrp_address: must be a string, not a number"),
        ("\"leader\": { \"vrrp_address\": \"10.0.0.100\", \"etcd\": \"x\" },",
         "servers.json:2: leader.etcd: unknown key (allowed here: vrrp_address)"),
    ])
    func aBadLeaderIsRefusedWithItsLine(top: String, expected: String) {
        do {
            _ = try InventoryLoader.parse(LogSourceTests.inventory(top), file: "servers.json")
            Issue.record("accepted \(top)")
        } catch {
            #expect(error.description == expected)
        }
    }
}
