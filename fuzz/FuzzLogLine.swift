// libFuzzer entry point for the scanner; built by scripts/fuzz-parser together
// with Sources/LogParser (compiled in, not linked, so the sanitizers see it all).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLogLine(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let line = UnsafeRawBufferPointer(start: data, count: size)
    let result = LogLineScanner.scan(line)
    // The fast paths (syslog headers, CommonRequestLine, CommonCLFTail) may only ever answer what the careful scanner answers.
    precondition(result == LogLineScanner.scan(line, carefully: true), "fast and careful paths disagree")
    if case .record(let r) = result {
        _ = (r.TR, r.Tw, r.Tc, r.Tr, r.Ta)  // converting a raw timer field reads only its own bytes
        _ = (r.acceptMilliseconds(in: line, utcOffsetSeconds: 3600), r.connectionCounts(in: line))
        // Every accepted line has its counters after the termination state.
        let connections = r.connections(in: line)
        precondition(connections != nil, "no counters found")
        for range in [r.frontend, r.backend, r.server, r.termination, r.acceptDate, connections!] {
            precondition(range.lowerBound >= 0 && range.lowerBound <= range.upperBound && Int(range.upperBound) <= size)
            // Touch every byte of the range: ASan reports any read outside the input.
            var sum: UInt8 = 0
            for b in range.bytes(in: line) { sum &+= b }
            _ = sum
        }
    }
    var assembler = LineAssembler(maximumLineLength: 512)
    assembler.consume(line) { _ in }
    assembler.flush { _ in }
    return 0
}
