/// How fast the simulated world moves: every delay is a realistic-ish duration divided by `speed`.
struct Pace: Sendable {
    let speed: Double

    /// One build step: about 1–3 s.
    func step(using random: inout SplitMix64) -> Duration { .seconds(random.uniform(1...3) / speed) }

    /// Between a failed attempt and its retry.
    var retryDelay: Duration { .seconds(1.5 / speed) }

    /// Each roll-out phase (SCHEDULED, ALLOCATING, STARTING) lasts this long.
    var rolloutPhase: Duration { .seconds(2 / speed) }

    /// How often roll-outs are checked: a quarter of a phase, at most a second.
    var rolloutTick: Duration { .seconds(min(1, 0.5 / speed)) }

    /// Between two new deployments: about 4–10 s.
    func arrival(using random: inout SplitMix64) -> Duration { .seconds(random.uniform(4...10) / speed) }

    /// How often an idle builder looks for work: at most every 5 ms, at least every second.
    var poll: Duration { .seconds(min(1, max(0.005, 0.5 / speed))) }
}
