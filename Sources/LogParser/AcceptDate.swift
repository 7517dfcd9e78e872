/// HAProxy's accept date (`%tr`, `%t`) as milliseconds since the Unix epoch.
///
/// The scanner only notes where the date is (``LogRecord/acceptDate``): the
/// summary never needs it, and a reader that does (the engine ordering
/// observations, a replay) pays for the conversion on the lines it reads.
/// The conversion reads fixed offsets, so it is a few dozen instructions, no
/// loop over the bytes and no allocation; no Foundation either, which
/// LogParser must not link.
@usableFromInline
enum AcceptDate {
    /// `dd/Mmm/yyyy:hh:mm:ss.mmm` (native, 24 bytes) or `dd/Mmm/yyyy:hh:mm:ss +hhmm`
    /// (CLF, 26 bytes, whose milliseconds come from the line's `ms` field).
    @inlinable
    static func milliseconds(
        _ d: UnsafeRawBufferPointer, isCLF: Bool, clfMilliseconds: Int?, utcOffsetSeconds: Int
    ) -> Int64? {
        guard let p = d.baseAddress?.assumingMemoryBound(to: UInt8.self), d.count == (isCLF ? 26 : 24) else {
            return nil
        }
        // A digit's value, or 10 and more for any other byte: `bad` collects them.
        var bad = false
        @inline(__always) func digit(_ i: Int) -> Int {
            let v = p[i] &- UInt8(ascii: "0")
            bad = bad || v > 9
            return Int(v)
        }
        @inline(__always) func two(_ i: Int) -> Int { digit(i) &* 10 &+ digit(i &+ 1) }

        let day = two(0)
        let year = two(7) &* 100 &+ two(9)
        let hour = two(12)
        let minute = two(15)
        let second = two(18)
        let separators = p[2] == .slash && p[6] == .slash && p[11] == .colon && p[14] == .colon && p[17] == .colon
        guard separators, let month = month(p[3], p[4], p[5]) else { return nil }

        var fraction: Int
        var zone: Int
        if isCLF {
            guard p[20] == .space, p[21] == .plus || p[21] == .minus, let clfMilliseconds else { return nil }
            let zoneHours = two(22)
            let zoneMinutes = two(24)
            guard zoneHours <= 23, zoneMinutes <= 59 else { return nil }
            zone = zoneHours &* 3600 &+ zoneMinutes &* 60
            if p[21] == .minus { zone = -zone }
            fraction = clfMilliseconds
        } else {
            guard p[20] == UInt8(ascii: ".") else { return nil }
            fraction = digit(21) &* 100 &+ two(22)
            zone = utcOffsetSeconds
        }
        guard !bad, hour <= 23, minute <= 59, second <= 59,
            day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        let days = Int64(daysFromCivil(year: year, month: month, day: day))
        let seconds = days &* 86_400 &+ Int64(hour &* 3600 &+ minute &* 60 &+ second) &- Int64(zone)
        return seconds &* 1000 &+ Int64(fraction)
    }

    /// `Jan` ... `Dec` as 1 to 12, exactly as HAProxy writes them (English, this case).
    @inlinable @inline(__always)
    static func month(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
        switch UInt32(a) | UInt32(b) &<< 8 | UInt32(c) &<< 16 {
        case 0x6E_614A: return 1  // Jan
        case 0x62_6546: return 2  // Feb
        case 0x72_614D: return 3  // Mar
        case 0x72_7041: return 4  // Apr
        case 0x79_614D: return 5  // May
        case 0x6E_754A: return 6  // Jun
        case 0x6C_754A: return 7  // Jul
        case 0x67_7541: return 8  // Aug
        case 0x70_6553: return 9  // Sep
        case 0x74_634F: return 10  // Oct
        case 0x76_6F4E: return 11  // Nov
        case 0x63_6544: return 12  // Dec
        default: return nil
        }
    }

    @inlinable @inline(__always)
    static func daysIn(month m: Int, year y: Int) -> Int {
        if m == 2 { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) ? 29 : 28 }
        return 30 &+ ((m ^ (m &>> 3)) & 1)  // 31 for Jan, Mar, May, Jul, Aug, Oct, Dec
    }

    /// Days from 1970-01-01 to the proleptic Gregorian date (Howard Hinnant's
    /// `days_from_civil`): years counted from March, so the leap day ends a
    /// year, and 400-year eras of 146,097 days. No table, no loop.
    @inlinable @inline(__always)
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year &- 1 : year
        let era = (y >= 0 ? y : y &- 399) / 400
        let yearOfEra = y &- era &* 400  // 0 ... 399
        let dayOfYear = (153 &* (month > 2 ? month &- 3 : month &+ 9) &+ 2) / 5 &+ day &- 1  // 0 ... 365
        let dayOfEra = yearOfEra &* 365 &+ yearOfEra / 4 &- yearOfEra / 100 &+ dayOfYear  // 0 ... 146096
        return era &* 146_097 &+ dayOfEra &- 719_468
    }
}

extension LogRecord {
    /// When HAProxy accepted the connection, in milliseconds since the Unix
    /// epoch; `nil` when the date's bytes are not a date (a hand-made or
    /// damaged line the scanner still took, since it never needs the date).
    ///
    /// A native date carries no zone: HAProxy writes its local time, which
    /// only the caller knows, so it is read as UTC and `utcOffsetSeconds`
    /// (the zone's offset east of UTC, `3600` for CET) is subtracted. A CLF
    /// date carries its `+hhmm`, which is used and the parameter ignored; its
    /// milliseconds are the line's `ms` field (``clfMilliseconds(in:)``).
    ///
    /// `line` must be the buffer that was scanned.
    @inlinable
    public func acceptMilliseconds(in line: UnsafeRawBufferPointer, utcOffsetSeconds: Int = 0) -> Int64? {
        guard Int(acceptDate.upperBound) <= line.count else { return nil }
        return AcceptDate.milliseconds(
            acceptDate.bytes(in: line), isCLF: isCLF, clfMilliseconds: isCLF ? clfMilliseconds(in: line).map(Int.init) : nil,
            utcOffsetSeconds: utcOffsetSeconds)
    }

    /// CLF's `ms` field (`%ms`), the accept date's milliseconds, which CLF's
    /// date leaves out: 0 to 999; `nil` on native lines, whose date holds
    /// them, and when the field is not a number in that range.
    ///
    /// Found when asked, not stored, like ``connections(in:)``: the field
    /// stands just before the frontend's name (and its opening quote), which
    /// the record holds.
    ///
    /// `line` must be the buffer that was scanned.
    @inlinable
    public func clfMilliseconds(in line: UnsafeRawBufferPointer) -> Int16? {
        guard isCLF, let p = line.baseAddress?.assumingMemoryBound(to: UInt8.self),
            frontend.lowerBound > 0, Int(frontend.lowerBound) <= line.count
        else { return nil }
        var i = Int(frontend.lowerBound) &- 1
        if p[i] == .quote { i &-= 1 }
        guard i >= 0, p[i] == .space else { return nil }
        while i >= 0 && p[i] == .space { i &-= 1 }
        // `%03d`, so three digits; more leading zeros are still the same number.
        var value = 0
        var scale = 1
        while i >= 0 && p[i] != .space {
            let digit = p[i] &- .digitZero
            guard digit <= 9 else { return nil }
            value &+= Int(digit) &* scale
            guard value <= 999 else { return nil }
            scale = scale < 1000 ? scale &* 10 : scale  // past three digits only zeros may follow
            i &-= 1
        }
        guard scale > 1 else { return nil }
        return Int16(truncatingIfNeeded: value)
    }
}
