/// A name from the inventory, the command line or a log line that HAProxy would
/// not accept, or that could smuggle a second command into a runtime-API line.
/// Nothing was sent: the name never reached a command.
public struct InvalidProxyName: Error, Equatable, Sendable, CustomStringConvertible {
    public var name: String
    /// Completes "it …": what is wrong with the name.
    public var reason: String

    public init(_ name: String, reason: String) {
        self.name = name
        self.reason = reason
    }

    public var description: String {
        "invalid name \(name.debugDescription): it \(reason); nothing was sent to HAProxy"
    }
}
