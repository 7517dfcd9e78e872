/// What the syslog header's fast path learnt about the message that follows it.
///
/// The request line's windows each open at a field end found in the window
/// before, so the scan of a line is a chain of dependent loads. The header's
/// window already covers the client field, and it can name, before anything
/// is read, where the names window will most likely open: the request line
/// uses both to take links out of that chain. Either may be 0 (unknown); a
/// wrong guess only costs the request line a window it then reads again.
@usableFromInline
struct PayloadHint {
    /// The offset of the message's first space (the client field's end), or 0.
    @usableFromInline var clientEnd: Int
    /// A little before where the names (`frontend backend/server`) most often
    /// start for this framing, from the header's position alone (never from
    /// what its window found, so the names' load need not wait), or 0.
    @usableFromInline var namesGuess: Int

    @inlinable @inline(__always)
    init(clientEnd: Int = 0, namesGuess: Int = 0) {
        self.clientEnd = clientEnd
        self.namesGuess = namesGuess
    }
}
