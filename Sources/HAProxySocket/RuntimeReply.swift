/// What an answer of the runtime API means, for any ``RuntimeAPI``: the real
/// client and the test kit's in-memory HAProxy read answers by the same rule.
package enum RuntimeReply {
    /// `answer` if it is a success for `command`, else the typed refusal.
    package static func checked(_ answer: String, to command: RuntimeCommand, from address: String) throws(RuntimeAPIError) -> String {
        let text = command.description
        let trimmed = answer.trimmingWhitespace()
        if let refusal = refusal(in: trimmed) {
            throw .refused(address: address, command: text, kind: refusal, answer: trimmed)
        }
        if command.expectsEmptyAnswer {
            guard trimmed.isEmpty else { throw .refused(address: address, command: text, kind: .other, answer: trimmed) }
        } else if trimmed.isEmpty {
            throw .refused(address: address, command: text, kind: .emptyAnswer, answer: "")
        }
        return answer
    }

    /// Recognises HAProxy's error answers (stable wording across 1.8 to 3.x).
    static func refusal(in answer: String) -> RuntimeAPIError.Refusal? {
        if answer.hasPrefix("No such server") { return .noSuchServer }
        if answer.hasPrefix("No such backend") || answer.hasPrefix("Can't find backend") { return .noSuchBackend }
        if answer.hasPrefix("Require 'backend/server'") { return .requireBackendServer }
        if answer.hasPrefix("Permission denied") { return .permissionDenied }
        if answer.hasPrefix("Unknown command") { return .unknownCommand }
        if answer.contains("expert-mode") || answer.contains("experimental-mode") { return .expertModeRequired }
        return nil
    }
}
