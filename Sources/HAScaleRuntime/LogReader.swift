/// A stream of HAProxy log lines the loop can wait on and drain: a followed
/// file, a syslog receiver, standard input or the journal.
///
/// The loop's turn is always the same: ``waiter`` blocks a thread of its own
/// until something may be there, then ``readAvailable(_:)`` runs on the loop's
/// task and hands out everything that arrived, without waiting.
public protocol LogReader: AnyObject, CustomStringConvertible {
    var waiter: ChangeWaiter { get }
    func readAvailable(_ body: (LogStreamEvent) -> Void) throws(FileError)
}

extension LogReader {
    /// Reads what is there, waits up to `timeout`, reads again: for callers
    /// that may block their thread (`hascale follow`, tests).
    public func poll(timeout: Duration, _ body: (LogStreamEvent) -> Void) throws(FileError) {
        try readAvailable(body)
        waiter.wait(timeout: timeout)
        try readAvailable(body)
    }
}
