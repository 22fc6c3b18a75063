import Foundation
import ProvisioningCore
import Testing

@testable import DashboardCore

@Suite("Forms: defaults, validation, editing, sending")
struct FormTests {
    /// The state with the cursor on `id` (its ancestors expanded).
    static func state(selecting id: NodeID, readOnly: Bool = false) -> DashboardState {
        var state = Fixtures.state(readOnly: readOnly)
        state.press(.expandAll)
        let row = state.tree.rowIndex(of: id)!
        state.press(.top)
        for _ in 0..<row { state.press(.moveDown) }
        return state
    }

    static let runningStep = NodeID(deployment: "d1-building-0001", stage: "build", attempt: 1, step: "restore")
    static let completedStep = NodeID(deployment: "d1-building-0001", stage: "build", attempt: 1, step: "git-clone")

    private func openForm(_ state: DashboardState) -> FormState? {
        if case .form(let form) = state.mode { return form }
        return nil
    }

    private func type(_ text: String, _ state: inout DashboardState) {
        for character in text { state.press(.formKey(.character(character))) }
    }

    // MARK: - Defaults

    @Test("create attempt on a deployment: build, the next number, RUNNING, now, the last attempt's steps")
    func createAttemptDefaults() throws {
        var state = Self.state(selecting: NodeID(deployment: "d3-failed-000003"))
        state.press(.openCreateAttempt)
        let form = try #require(openForm(state))
        #expect(form.kind == .createAttempt)
        #expect(form.field(.stage)?.value == .text("build"))
        #expect(form.field(.attempt)?.value == .text("3"))
        #expect(form.field(.status)?.value == .status(.running))
        #expect(form.field(.startedAt)?.value == .text("2026-11-29T12:00:00Z"))
        #expect(form.field(.steps)?.lines == StepLabels.usualBuildSteps)
        #expect(form.errors.isEmpty)
        #expect(!form.isEdited)
    }

    @Test("create attempt on a stage without attempts starts at 1 with Koyeb's usual steps")
    func createAttemptOnEmptyStage() throws {
        var deployment = Fixtures.deployments[0]
        deployment.provisioningInfo?.stages.append(Stage(name: "deploy"))
        let node = TreeNode.stage(deployment.provisioningInfo!.stages[1], in: deployment)
        let form = try #require(FormFactory.createAttempt(on: node, now: Fixtures.now, secret: "s3"))
        #expect(form.target.stage == "deploy")
        #expect(form.field(.attempt)?.value == .text("1"))
        #expect(form.field(.steps)?.lines == ["git-clone", "detect", "restore", "build", "export"])
        #expect(form.field(.secret)?.value == .text("s3"))
    }

    @Test("stage and step progress start from the node's current values")
    func progressDefaults() throws {
        var state = Self.state(selecting: NodeID(deployment: "d3-failed-000003", stage: "build", attempt: 2))
        state.press(.openStageProgress)
        let stage = try #require(openForm(state))
        #expect(stage.field(.status)?.value == .status(.failed))
        #expect(stage.field(.retryableFailure)?.value == .flag(true))
        #expect(stage.field(.imagePushed)?.value == .flag(false))
        state = Self.state(selecting: Self.runningStep)
        state.press(.openStepProgress)
        let step = try #require(openForm(state))
        #expect(step.field(.status)?.value == .status(.running))
        #expect(step.field(.startedAt)?.value == .text("2026-11-29T11:58:50Z"))
        #expect(step.field(.finishedAt)?.value == .text(""))
    }

    @Test("each form opens only on its kind of node, and not at all when read-only")
    func whereFormsOpen() {
        var state = Self.state(selecting: Self.runningStep)
        state.press(.openCreateAttempt)
        #expect(state.mode == .browsing)
        #expect(state.toasts.last?.text == "a creates an attempt: select a deployment or a stage")
        state.press(.openStageProgress)
        #expect(state.mode == .browsing)
        state = Self.state(selecting: Self.runningStep, readOnly: true)
        for command in [Command.openStepProgress, .quickComplete, .quickFail] {
            #expect(state.press(command).isEmpty)
            #expect(state.mode == .browsing)
        }
        #expect(state.toasts.last?.text.hasPrefix("read-only") == true)
    }

    // MARK: - Editing

    @Test("status picker: ←/→ and first letters; a final status fills an empty finish time with now")
    func statusPicker() throws {
        var state = Self.state(selecting: Self.runningStep)
        state.press(.openStepProgress, .formKey(.right))
        #expect(try #require(openForm(state)).field(.status)?.value == .status(.completed))
        #expect(try #require(openForm(state)).field(.finishedAt)?.value == .text("2026-11-29T12:00:00Z"))
        state.press(.formKey(.character("p")))
        #expect(try #require(openForm(state)).field(.status)?.value == .status(.pending))
        state.press(.formKey(.left), .formKey(.left))
        #expect(try #require(openForm(state)).field(.status)?.value == .status(.aborted))
        #expect(try #require(openForm(state)).isEdited)
    }

    @Test("RUNNING fills an empty start time with now, and leaves a typed one")
    func runningFillsTheStart() throws {
        var state = Self.state(
            selecting: NodeID(deployment: "d1-building-0001", stage: "build", attempt: 1, step: "build"))
        state.press(.openStepProgress)
        #expect(try #require(openForm(state)).field(.startedAt)?.value == .text(""))
        state.press(.formKey(.character("r")))
        #expect(try #require(openForm(state)).field(.startedAt)?.value == .text("2026-11-29T12:00:00Z"))
        state.press(.formKey(.character("p")), .formKey(.character("r")))
        #expect(try #require(openForm(state)).field(.startedAt)?.value == .text("2026-11-29T12:00:00Z"))
    }

    @Test("text, time, checkbox and list fields edit as documented")
    func editing() throws {
        var state = Self.state(selecting: NodeID(deployment: "d1-building-0001", stage: "build", attempt: 1))
        state.press(.openStageProgress, .formKey(.tab))
        for _ in 0..<20 { state.press(.formKey(.backspace)) }
        // `n` and `now` stay as typed and mean the time of sending, as on the command line.
        type("now", &state)
        let typed = try #require(openForm(state))
        #expect(typed.field(.finishedAt)?.value == .text("now"))
        #expect(FormValidator.problems(in: typed, now: Fixtures.now)[.finishedAt] == nil)
        state.press(.formKey(.tab))
        type("first", &state)
        state.press(.formKey(.enter))
        type("second", &state)
        #expect(try #require(openForm(state)).field(.messages)?.lines == ["first", "second"])
        state.press(.formKey(.backspace))
        for _ in 0..<5 { state.press(.formKey(.backspace)) }
        state.press(.formKey(.backspace))
        #expect(try #require(openForm(state)).field(.messages)?.value == .list([], draft: ""))
        state.press(.formKey(.tab), .formKey(.character(" ")))
        #expect(try #require(openForm(state)).field(.imagePushed)?.value == .flag(true))
        state.press(.formKey(.backTab), .formKey(.backTab))
        #expect(try #require(openForm(state)).focus == 1)
    }

    // MARK: - Validation

    @Test("bad times, a finish before the start, empty or duplicate step names are refused before sending")
    func validation() throws {
        var state = Self.state(selecting: NodeID(deployment: "d3-failed-000003"))
        state.press(.openCreateAttempt)
        var form = try #require(openForm(state))
        form.setText(.startedAt, "yesterday")
        form.setText(.attempt, "-1")
        form.setText(.stage, " ")
        var problems = FormValidator.problems(in: form, now: Fixtures.now)
        #expect(problems[.startedAt] == "not a time: use RFC 3339 or n (now)")
        #expect(problems[.attempt] == "a whole number ≥ 0")
        #expect(problems[.stage] == "give the stage a name, e.g. build")
        form = try #require(FormFactory.stepProgress(on: state.tree.node(Self.completedStep)!, secret: nil))
        form.setText(.finishedAt, "2026-11-29T10:00:00Z")
        problems = FormValidator.problems(in: form, now: Fixtures.now)
        #expect(problems[.finishedAt] == "before the start (2026-11-29T11:58:30Z)")
        #expect(FormValidator.declaration(from: form, now: Fixtures.now) == nil)
    }

    @Test("the steps list refuses an empty or repeated name")
    func stepNames() throws {
        var form = try #require(
            FormFactory.createAttempt(on: .deployment(Fixtures.deployments[3]), now: Fixtures.now, secret: nil))
        form.update(.steps) { $0 = .list(["git-clone", "git-clone"], draft: "") }
        #expect(FormValidator.problems(in: form, now: Fixtures.now)[.steps] == "a step is planned twice")
        form.update(.steps) { $0 = .list(["git-clone", "  "], draft: "") }
        #expect(FormValidator.problems(in: form, now: Fixtures.now)[.steps] == "a step name is empty")
        form.update(.steps) { $0 = .list([], draft: "") }
        #expect(FormValidator.problems(in: form, now: Fixtures.now)[.steps] == "plan at least one step")
    }

    @Test("sending with problems sends nothing and focuses the first bad field")
    func refusedSend() throws {
        var state = Self.state(selecting: Self.runningStep)
        state.press(.openStepProgress, .formKey(.tab))
        type("x", &state)
        #expect(state.press(.formKey(.control("s"))).isEmpty)
        let form = try #require(openForm(state))
        #expect(form.focus == 1)
        #expect(form.serverError == "fix the marked fields first; nothing was sent")
    }

    // MARK: - Sending

    @Test("a step declaration: sent through one effect, then the tree shows it and the form closes")
    func sendStep() throws {
        var state = Self.state(selecting: Self.runningStep)
        state.press(.openStepProgress, .formKey(.character("c")), .formKey(.tab), .formKey(.tab), .formKey(.tab))
        type("done by hand", &state)
        state.press(.formKey(.tab))
        type("s3cret", &state)
        let effects = state.press(.formKey(.control("s")))
        guard case .send(let declaration, let ticket)? = effects.first else {
            Issue.record("no send: \(effects)")
            return
        }
        guard case .stepProgress(let target, let request) = declaration else { return }
        #expect(
            target == ProvisioningTarget(deploymentID: "d1-building-0001", stage: "build", attempt: 1, step: "restore"))
        #expect(request.status == .completed && request.finishedAt == Fixtures.now)
        #expect(request.messages == ["done by hand"] && request.secret == "s3cret")
        #expect(try #require(openForm(state)).sending == ticket)
        let generation = state.refresh.generation
        _ = DashboardReducer.reduce(&state, .declared(ticket: ticket, declaration, .success(.delivered)))
        #expect(state.mode == .browsing)
        #expect(state.tree.node(Self.runningStep)?.provisioningStatus == .completed)
        #expect(state.toasts.last?.text == "declared restore COMPLETED (build #1)")
        #expect(state.secrets["d1-building-0001"] == "s3cret")
        #expect(state.refresh.generation == generation + 1)
        state.press(.openStepProgress)
        #expect(try #require(openForm(state)).field(.secret)?.value == .text("s3cret"))
    }

    @Test("a refused send keeps everything typed and places the server's field errors")
    func refusedByServer() throws {
        var state = Self.state(selecting: Self.runningStep)
        state.press(.openStepProgress, .formKey(.tab), .formKey(.tab), .formKey(.tab))
        type("keep me", &state)
        guard case .send(let declaration, let ticket)? = state.press(.formKey(.control("s"))).first else { return }
        let error = APIError.answered(
            status: 400,
            body: ErrorBody(
                status: 400, code: "invalid_argument", message: "bad request",
                fields: [ErrorField(field: "finished_at", description: "must be after started_at")]))
        _ = DashboardReducer.reduce(
            &state, .declared(ticket: ticket, declaration, .failure(DeclarationFailure(error))))
        let form = try #require(openForm(state))
        #expect(form.sending == nil)
        #expect(form.field(.messages)?.lines == ["keep me"])
        #expect(form.errors[.finishedAt] == "must be after started_at")
        #expect(form.serverError?.hasPrefix("400 invalid_argument: bad request") == true)
    }

    @Test("401, 403 and an unreachable API are explained")
    func failureMessages() {
        let forbidden = DeclarationFailure(APIError.answered(status: 403, body: nil))
        #expect(forbidden.message.hasPrefix("403: not allowed — the provisioning secret is wrong"))
        #expect(forbidden.fieldErrors[.secret] == "check the secret")
        #expect(DeclarationFailure(APIError.answered(status: 401, body: nil)).message.contains("token was refused"))
        let named = DeclarationFailure(APIError.answered(status: 401, body: nil, tokenSource: "KOYEB_API_KEY"))
        #expect(
            named.message == "401: the API token from KOYEB_API_KEY was refused — start kprov again with a valid token")
        let down = DeclarationFailure(APIError.transport(.unreachable(detail: "connection refused")))
        #expect(down.message.hasPrefix("the API could not be reached"))
    }

    @Test("Esc closes an untouched form at once, and asks first when something was edited")
    func cancel() throws {
        var state = Self.state(selecting: Self.runningStep)
        state.press(.openStepProgress, .formKey(.escape))
        #expect(state.mode == .browsing)
        state.press(.openStepProgress, .formKey(.right), .formKey(.escape))
        #expect(try #require(openForm(state)).question == .discard)
        state.press(.formKey(.character("n")))
        #expect(try #require(openForm(state)).question == nil)
        state.press(.formKey(.escape), .formKey(.character("y")))
        #expect(state.mode == .browsing)
    }

    @Test("while a y/n question is open the key hints are its answers")
    func hintsForAQuestion() throws {
        var state = Self.state(selecting: Self.runningStep)
        state.press(.openStepProgress, .formKey(.right), .formKey(.escape))
        #expect(try #require(openForm(state)).question == .discard)
        let hints = KeyMap.hints(for: state.mode, node: nil, readOnly: false)
        #expect(hints.map(\.key) == ["y", "n Esc"])
    }

    @Test("the 'fix the marked fields' message goes once no field is marked")
    func fixFieldsMessageGoes() throws {
        var state = Self.state(selecting: Self.runningStep)
        state.press(.openStepProgress, .formKey(.tab), .formKey(.tab))
        type("yesterday", &state)
        state.press(.formKey(.control("s")))
        #expect(try #require(openForm(state)).serverError == "fix the marked fields first; nothing was sent")
        state.press(.formKey(.control("u")))
        #expect(try #require(openForm(state)).serverError == nil)
    }

    @Test("Esc while sending closes the form and says the answer will still come")
    func escapeWhileSending() throws {
        var state = Self.state(selecting: Self.runningStep)
        state.press(.openStepProgress, .formKey(.character("c")))
        guard case .send? = state.press(.formKey(.control("s"))).first else {
            Issue.record("no send")
            return
        }
        state.press(.formKey(.escape))
        #expect(state.mode == .browsing)
        #expect(state.toasts.last?.text == "still sending: the answer will show here")
    }

    @Test("moving a final step out of COMPLETED asks first")
    func leavingFinalStatus() throws {
        var state = Self.state(selecting: Self.completedStep)
        state.press(.openStepProgress, .formKey(.character("r")))
        #expect(state.press(.formKey(.control("s"))).isEmpty)
        #expect(try #require(openForm(state)).question == .leaveFinalStatus(from: .completed, to: .running))
        let effects = state.press(.formKey(.character("y")))
        guard case .send(let declaration, _)? = effects.first else {
            Issue.record("no send after yes")
            return
        }
        #expect(declaration.status == .running)
    }

    @Test("c and x ask once, then send the step's final status with finished now")
    func quickKeys() {
        var state = Self.state(selecting: Self.runningStep)
        state.press(.quickFail)
        guard case .confirming(let quick) = state.mode else {
            Issue.record("no question")
            return
        }
        #expect(quick.question == "Mark restore FAILED, finished now?")
        #expect(state.press(.answer(false)).isEmpty)
        #expect(state.mode == .browsing)
        state.press(.quickComplete)
        let effects = state.press(.answer(true))
        guard case .send(.stepProgress(_, let request), _)? = effects.first else {
            Issue.record("nothing sent")
            return
        }
        #expect(request.status == .completed && request.finishedAt == Fixtures.now)
        state = Self.state(selecting: Self.completedStep)
        state.press(.quickFail)
        if case .confirming(let quick) = state.mode {
            #expect(quick.question == "git-clone is COMPLETED: mark it FAILED, finished now?")
        }
    }

    @Test("form keys: y/n answer questions, Ctrl-C still quits")
    func keyMap() {
        let form = FormFactory.stepProgress(
            on: TreeNode.find(Self.runningStep, in: Fixtures.deployments[0])!, secret: nil)!
        #expect(KeyMap.command(for: .character("q"), in: .form(form)) == .formKey(.character("q")))
        #expect(KeyMap.command(for: .control("c"), in: .form(form)) == .quit)
        let quick = QuickDeclaration(
            declaration: .stepProgress(
                ProvisioningTarget(deploymentID: "d", stage: "build", attempt: 1, step: "s"),
                DeclareStepProgressRequest()), question: "?")
        #expect(KeyMap.command(for: .character("y"), in: .confirming(quick)) == .answer(true))
        #expect(KeyMap.command(for: .escape, in: .confirming(quick)) == .answer(false))
        #expect(KeyMap.command(for: .character("z"), in: .confirming(quick)) == nil)
        #expect(KeyMap.command(for: .character("p"), in: .browsing) == .openStepProgress)
    }
}
