import Glibc

/// Calendar time, for what an operator compares with a clock on the wall: when
/// the state file was written, when a decision was made, how far the log lags
/// behind now. The loop's decisions never read it (they run on ``RuntimeClock``,
/// which never goes back); a test passes its own in ``ScalingLoop/Options/wallClock``.
public enum WallClock {
    /// Seconds since the Unix epoch (`CLOCK_REALTIME`).
    @Sendable public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// This host's zone offset east of UTC at `unixSeconds` (3600 for CET in
    /// winter): HAProxy writes its accept dates in local time without a zone, and
    /// on the same host that is this zone. Re-read each second, so a DST change
    /// moves it too.
    public static func utcOffsetSeconds(at unixSeconds: Double) -> Int {
        var t = time_t(unixSeconds)
        var local = tm()
        guard localtime_r(&t, &local) != nil else { return 0 }
        return Int(local.tm_gmtoff)
    }
}
