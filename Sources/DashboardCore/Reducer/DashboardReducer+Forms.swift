import Foundation
import ProvisioningCore

/// Forms and quick declarations: opening with defaults, editing, validating, sending, and what the reply does.
extension DashboardReducer {
    static func open(_ make: (TreeNode, DashboardState) -> FormState?, _ state: inout DashboardState, key: String) {
        guard !state.settings.readOnly else {
            state.toast(.info, "read-only: declaring is turned off (--read-only or read_only in the config)")
            return
        }
        guard let node = state.selectedNode, var form = make(node, state) else {
            state.toast(.info, usage(of: key))
            return
        }
        form.errors = FormValidator.problems(in: form, now: state.now)
        state.mode = .form(form)
    }

    private static func usage(of key: String) -> String {
        switch key {
        case "a": "a creates an attempt: select a deployment or a stage"
        case "s": "s declares stage progress: select a build attempt (#1, #2 …)"
        default: "\(key) declares step progress: select a step"
        }
    }

    static func quick(_ status: ProvisioningStatus, _ state: inout DashboardState) {
        guard !state.settings.readOnly else {
            state.toast(.info, "read-only: declaring is turned off (--read-only or read_only in the config)")
            return
        }
        guard case .step(let step, let attempt, let stage, let deployment)? = state.selectedNode else {
            state.toast(.info, "c and x mark a step COMPLETED or FAILED: select a step")
            return
        }
        let target = ProvisioningTarget(
            deploymentID: deployment.id, stage: stage.name, attempt: attempt.id, step: step.name)
        let request = DeclareStepProgressRequest(
            secret: state.secrets[deployment.id], status: status, finishedAt: state.now)
        let name = TerminalText.sanitized(step.name, limit: 40)
        let question =
            step.status.isTerminal && step.status != status
            ? "\(name) is \(step.status.rawValue): mark it \(status.rawValue), finished now?"
            : "Mark \(name) \(status.rawValue), finished now?"
        state.mode = .confirming(QuickDeclaration(declaration: .stepProgress(target, request), question: question))
    }

    static func answer(_ yes: Bool, _ state: inout DashboardState) -> [Effect] {
        switch state.mode {
        case .confirming(let quick):
            state.mode = .browsing
            return yes ? [send(quick.declaration, &state)] : []
        case .form(var form):
            guard let question = form.question else { return [] }
            form.question = nil
            state.mode = .form(form)
            guard yes else { return [] }
            switch question {
            case .discard:
                state.mode = .browsing
                return []
            case .leaveFinalStatus:
                return submit(&state, confirmed: true)
            }
        default:
            return []
        }
    }

    // MARK: - Editing

    static func formKey(_ key: Key, _ state: inout DashboardState) -> [Effect] {
        guard case .form(var form) = state.mode else { return [] }
        if form.question != nil {
            switch key {
            case .character("y"), .character("Y"): return answer(true, &state)
            case .character("n"), .character("N"), .escape: return answer(false, &state)
            default: return []
            }
        }
        let itemCount = form.fields.count + 2
        switch key {
        case .escape where form.sending != nil:
            // The declaration is on its way and cannot be called back; its outcome still shows as a toast.
            state.mode = .browsing
            state.toast(.info, "still sending: the answer will show here")
            return []
        case .escape:
            if form.isEdited {
                form.question = .discard
            } else {
                state.mode = .browsing
                return []
            }
        case .tab, .down:
            form.focus = (form.focus + 1) % itemCount
        case .backTab, .up:
            form.focus = (form.focus + itemCount - 1) % itemCount
        case .control("s"):
            state.mode = .form(form)
            return submit(&state, confirmed: false)
        case .enter where form.focus == form.sendIndex:
            state.mode = .form(form)
            return submit(&state, confirmed: false)
        case .enter where form.focus == form.cancelIndex:
            state.mode = .form(form)
            return formKey(.escape, &state)
        case .enter:
            if case .list(let lines, let draft)? = form.focusedField?.value {
                let line = draft.trimmingCharacters(in: .whitespaces)
                if !line.isEmpty {
                    form.fields[form.focus].value = .list(lines + [draft], draft: "")
                    form.caret = 0
                }
            } else {
                form.focus = (form.focus + 1) % itemCount
            }
        default:
            guard form.focus < form.fields.count else { break }
            edit(&form, key: key, now: state.now)
        }
        form.errors = FormValidator.problems(in: form, now: state.now)
        if form.errors.isEmpty, form.serverError == Self.fixFieldsFirst { form.serverError = nil }
        state.mode = .form(form)
        return []
    }

    /// The form's message after a send refused for invalid fields; it goes once they are fixed.
    static let fixFieldsFirst = "fix the marked fields first; nothing was sent"

    private static func edit(_ form: inout FormState, key: Key, now: Date) {
        let field = form.fields[form.focus]
        switch (field.value, key) {
        case (.text(let text), _):
            // Time fields keep `n` or `now` as typed: it means the time of sending, as on the command line.
            var line = LineEditor(text, caret: form.caret)
            guard line.apply(key) else { return }
            form.fields[form.focus].value = .text(line.text)
            form.caret = line.caret
        case (.status(let status), .left), (.status(let status), .right):
            let all = FormState.statusOrder
            let index = all.firstIndex(of: status) ?? 0
            let step = key == .left ? all.count - 1 : 1
            pick(all[(index + step) % all.count], in: &form, now: now)
        case (.status, .character(let character)):
            if let status = ProvisioningStatus.recognized.first(where: {
                $0.rawValue.first == Character(character.uppercased())
            }) {
                pick(status, in: &form, now: now)
            }
        case (.flag(let value), .character(" ")):
            form.fields[form.focus].value = .flag(!value)
        case (.list(let lines, let draft), .backspace) where draft.isEmpty:
            form.fields[form.focus].value = .list(Array(lines.dropLast()), draft: "")
        case (.list(let lines, let draft), _):
            var line = LineEditor(draft, caret: form.caret)
            guard line.apply(key) else { return }
            form.fields[form.focus].value = .list(lines, draft: line.text)
            form.caret = line.caret
        default:
            return
        }
        form.errors[field.key] = nil
    }

    /// Picks a status; RUNNING fills an empty start time with now, a final status an empty finish time.
    private static func pick(_ status: ProvisioningStatus, in form: inout FormState, now: Date) {
        form.fields[form.focus].value = .status(status)
        let filled: FieldKey? = status == .running ? .startedAt : status.isTerminal ? .finishedAt : nil
        if let filled, let field = form.field(filled), field.text.isEmpty {
            form.setText(filled, FormTime.text(now))
        }
    }

    // MARK: - Sending

    private static func submit(_ state: inout DashboardState, confirmed: Bool) -> [Effect] {
        guard case .form(var form) = state.mode, form.sending == nil else { return [] }
        let problems = FormValidator.problems(in: form, now: state.now)
        guard problems.isEmpty, let declaration = FormValidator.declaration(from: form, now: state.now) else {
            form.errors = problems
            form.focus = form.fields.firstIndex { problems[$0.key] != nil } ?? form.focus
            form.serverError = Self.fixFieldsFirst
            state.mode = .form(form)
            return []
        }
        if !confirmed, let current = form.currentStatus, current.isTerminal, let next = declaration.status,
            next != current
        {
            form.question = .leaveFinalStatus(from: current, to: next)
            state.mode = .form(form)
            return []
        }
        form.serverError = nil
        let effect = send(declaration, &state)
        if case .send(_, let ticket) = effect { form.sending = ticket }
        state.mode = .form(form)
        return [effect]
    }

    private static func send(_ declaration: Declaration, _ state: inout DashboardState) -> Effect {
        let ticket = state.nextTicket
        state.nextTicket += 1
        return .send(declaration, ticket: ticket)
    }

    /// A reply to a declaration. Delivered: the form closes, the tree shows the new state at once and a fresh
    /// refresh starts. Queued: the form closes (the outbox holds the declaration and sends it once the API
    /// answers — sending it again would declare it twice) and a toast says so. Refused: the form stays with
    /// everything typed and the server's reasons beside the fields. The outbox is read again in every case.
    static func declared(
        ticket: Int, _ declaration: Declaration, _ result: Result<DeclarationReceipt, DeclarationFailure>,
        _ state: inout DashboardState
    ) -> [Effect] {
        var form: FormState?
        if case .form(let open) = state.mode, open.sending == ticket { form = open }
        var effects: [Effect] = [.outbox(.list)]
        switch result {
        case .success(.delivered):
            if form != nil { state.mode = .browsing }
            let target = declaration.target
            if let deployment = state.tree.deployment(id: target.deploymentID) {
                state.tree.update(declaration.applied(to: deployment))
                state.relocateCursor()
            }
            if let secret = Self.secret(of: declaration) { state.secrets[target.deploymentID] = secret }
            // A create's summary already says what was done ("created build #2 RUNNING").
            let done = if case .createAttempt = declaration { "" } else { "declared " }
            state.toast(.success, done + declaration.summary)
            effects += askForRefresh(&state)
        case .success(.queued(let reason)):
            if form != nil { state.mode = .browsing }
            state.toast(
                .error,
                "not sent yet, kept in the outbox: \(declaration.summary) — \(reason); it goes out when the API "
                    + "answers (o shows the outbox)")
        case .failure(let failure):
            guard var form else {
                state.toast(.error, failure.message)
                return effects
            }
            form.sending = nil
            form.serverError = failure.message
            form.errors.merge(failure.fieldErrors) { _, server in server }
            state.mode = .form(form)
        }
        return effects
    }

    private static func secret(of declaration: Declaration) -> String? {
        switch declaration {
        case .createAttempt(_, let request): request.secret
        case .stageProgress(_, let request): request.secret
        case .stepProgress(_, let request): request.secret
        }
    }
}
