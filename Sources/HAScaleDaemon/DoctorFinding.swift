/// One line of `hascale doctor`: what was checked, how it went, and on failure the fix.
struct DoctorFinding: Equatable {
    enum Outcome: String {
        case ok = "ok"
        case fail = "FAIL"
        /// Not applicable to this setup (a file check for the journal, say); never a failure.
        case skip = "skip"
    }

    var check: String
    var outcome: Outcome
    var detail: String
    var fix: String?

    static func ok(_ check: String, _ detail: String) -> DoctorFinding { .init(check: check, outcome: .ok, detail: detail) }
    static func fail(_ check: String, _ detail: String, fix: String) -> DoctorFinding { .init(check: check, outcome: .fail, detail: detail, fix: fix) }
    static func skip(_ check: String, _ detail: String) -> DoctorFinding { .init(check: check, outcome: .skip, detail: detail) }

    /// `FAIL socket: … — fix: …`, one line, as a terminal or a script reads it.
    var rendered: String {
        let head = "\(outcome.rawValue.padding(toLength: 4, withPad: " ", startingAt: 0)) \(check): \(detail)"
        return fix.map { "\(head)\n     fix: \($0)" } ?? head
    }
}
