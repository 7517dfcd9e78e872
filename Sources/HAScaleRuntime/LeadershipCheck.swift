import HAScale

/// Whether this controller is the one of its keepalived pair that acts. The
/// loop asks at most every ``ScalingLoop/Options/leadershipCheckEvery``; a
/// controller that is not sure treats itself as the standby, since a standby
/// only loses time while an active one that should not be could act twice.
///
/// A protocol so loop tests flip it by hand (`ManualLeadership` in the test kit);
/// the daemon uses ``VRRPLeadership``.
public protocol LeadershipCheck: Sendable {
    /// What leadership is tied to, for the log and the status line.
    var address: IPAddress { get }
    /// Whether this host holds ``address`` now.
    func holdsAddress() throws(LeadershipError) -> Bool
}
