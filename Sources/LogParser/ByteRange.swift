/// A half-open range of byte offsets into the line that was scanned.
///
/// The scanner never copies names out of a line: it answers with offsets, so a
/// parsed record costs no allocation. Offsets are 32-bit because a line is at
/// most ``LogLineScanner/maximumLineLength`` bytes long, which keeps
/// ``LogRecord`` small enough to travel in registers.
public struct ByteRange: Hashable, Sendable {
    public var lowerBound: Int32
    public var upperBound: Int32

    @inlinable
    public init(_ lowerBound: Int, _ upperBound: Int) {
        self.lowerBound = Int32(truncatingIfNeeded: lowerBound)
        self.upperBound = Int32(truncatingIfNeeded: upperBound)
    }

    @inlinable public var count: Int { Int(upperBound &- lowerBound) }
    @inlinable public var isEmpty: Bool { upperBound == lowerBound }
    @inlinable public var range: Range<Int> { Int(lowerBound)..<Int(upperBound) }

    /// The bytes this range covers in `line`, which must be the buffer that was scanned.
    @inlinable
    public func bytes(in line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: line[range])
    }
}
