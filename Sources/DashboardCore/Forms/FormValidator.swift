import Foundation
import ProvisioningCore

/// Checks a form as the user types and before anything is sent: times, their order, names, numbers.
public enum FormValidator {
    /// The problems of `form`, by field; empty when it may be sent.
    public static func problems(in form: FormState, now: Date) -> [FieldKey: String] {
        var problems: [FieldKey: String] = [:]
        if let stage = form.field(.stage), stage.text.trimmingCharacters(in: .whitespaces).isEmpty {
            problems[.stage] = "give the stage a name, e.g. build"
        }
        if let attempt = form.field(.attempt), Int64(attempt.text).map({ $0 < 0 }) ?? true {
            problems[.attempt] = "a whole number ≥ 0"
        }
        var started = form.kind == .stageProgress ? form.attemptStartedAt : nil
        for key in [FieldKey.startedAt, .finishedAt] {
            guard let field = form.field(key), !field.text.isEmpty else { continue }
            guard let date = TimeArgument.parse(field.text, now: now) else {
                problems[key] = "not a time: use RFC 3339 or n (now)"
                continue
            }
            if key == .startedAt {
                started = date
            } else if let started, date < started {
                problems[key] = "before the start (\(FormTime.text(started)))"
            }
        }
        if let steps = form.field(.steps) {
            let names = steps.lines.map { $0.trimmingCharacters(in: .whitespaces) }
            if names.isEmpty {
                problems[.steps] = "plan at least one step"
            } else if names.contains(where: \.isEmpty) {
                problems[.steps] = "a step name is empty"
            } else if Set(names).count != names.count {
                problems[.steps] = "a step is planned twice"
            }
        }
        if let messages = form.field(.messages), messages.lines.contains(where: { $0.count > 2000 }) {
            problems[.messages] = "a message is longer than 2000 characters"
        }
        return problems
    }

    /// The declaration `form` sends, or `nil` when it has problems.
    public static func declaration(from form: FormState, now: Date) -> Declaration? {
        guard problems(in: form, now: now).isEmpty else { return nil }
        func time(_ key: FieldKey) -> Date? {
            form.field(key).flatMap { $0.text.isEmpty ? nil : TimeArgument.parse($0.text, now: now) }
        }
        func flag(_ key: FieldKey) -> Bool? {
            if case .flag(let value)? = form.field(key)?.value { return value }
            return nil
        }
        var status: ProvisioningStatus?
        if case .status(let picked)? = form.field(.status)?.value { status = picked }
        let messages = form.field(.messages)?.lines.nilIfEmpty
        let secret = form.field(.secret)?.text.nilIfEmpty
        switch form.kind {
        case .createAttempt:
            var target = form.target
            target.stage = form.field(.stage)?.text.trimmingCharacters(in: .whitespaces) ?? target.stage
            target.attempt = Int64(form.field(.attempt)?.text ?? "") ?? target.attempt
            let steps = form.field(.steps)?.lines.map { $0.trimmingCharacters(in: .whitespaces) }
            return .createAttempt(
                target,
                CreateStageAttemptRequest(
                    secret: secret, status: status, startedAt: time(.startedAt), messages: messages, steps: steps))
        case .stageProgress:
            return .stageProgress(
                form.target,
                DeclareStageProgressRequest(
                    secret: secret, status: status, finishedAt: time(.finishedAt), messages: messages,
                    imagePushed: flag(.imagePushed), internalFailure: flag(.internalFailure),
                    retryableFailure: flag(.retryableFailure)))
        case .stepProgress:
            return .stepProgress(
                form.target,
                DeclareStepProgressRequest(
                    secret: secret, status: status, startedAt: time(.startedAt), finishedAt: time(.finishedAt),
                    messages: messages))
        }
    }
}

extension Array {
    fileprivate var nilIfEmpty: Self? { isEmpty ? nil : self }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
