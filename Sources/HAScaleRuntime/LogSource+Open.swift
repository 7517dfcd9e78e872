import HAScale
import SystemPackage

/// How the journal is opened: by the daemon, the one layer that links libsystemd.
public typealias JournalOpener = @Sendable (_ unit: String, _ fromStart: Bool, _ wakeup: Wakeup?) throws(FileError) -> any LogReader

extension LogSource {
    /// The reader for this source.
    /// - Parameters:
    ///   - fromStart: a file from its first line, the journal from its oldest entry kept
    ///     (receivers and standard input have no past to read).
    ///   - senders: for a receiver, the addresses its lines are attributed to (``DatagramLogReceiver``).
    ///   - journal: nil where libsystemd is not linked; the journal is then refused.
    public func open(fromStart: Bool = false, allowed: [IPAddress] = [], senders: [IPAddress] = [], receiveBuffer: Int = DatagramLogReceiver.defaultReceiveBuffer,
                     wakeup: Wakeup? = nil, journal: JournalOpener? = nil) throws(FileError) -> any LogReader {
        switch self {
        case .file(let path):
            return try LogFollower(path: FilePath(path), startAtEnd: !fromStart, wakeup: wakeup)
        case .journal(let unit):
            guard let journal else {
                throw FileError(path: FilePath(description), operation: "open (this build reads the journal only in the hascale binary)", errno: .notSupported)
            }
            return try journal(unit, fromStart, wakeup)
        case .udp, .unixDatagram:
            return try DatagramLogReceiver(self, allowed: allowed, senders: senders, receiveBuffer: receiveBuffer, wakeup: wakeup)
        case .standardInput:
            return StandardInputLog(wakeup: wakeup)
        }
    }
}
