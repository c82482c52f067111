import Foundation
import Testing
@testable import MendelianRandomization

/// Maximum likelihood at its exact optimum, checked by the optimality conditions of the full K + 1-parameter
/// likelihood and against a Nelder–Mead search of the kind TwoSampleMR and MendelianRandomization run.
@Suite struct MaximumLikelihoodTests {
    static let effects: SNPEffects = {
        var simulation = MRSimulation(seed: 2026)
        simulation.instruments = 110
        simulation.quirks = false
        let tables = simulation.tables()
        let data = HarmonisedData.harmonise(exposure: try! SummaryStatistics(text: tables.exposure, path: "x"),
                                            outcome: try! SummaryStatistics(text: tables.outcome, path: "y"), pThreshold: 5e-8)
        return SNPEffects(data.instruments)
    }()

    /// Minus the log-likelihood f(ξ, θ) and its gradient.
    static func f(_ e: SNPEffects, _ xi: [Double], _ theta: Double) -> Double {
        var value = 0.0
        for j in 0..<e.count {
            value += 0.5 * pow((e.bx[j] - xi[j]) / e.sx[j], 2) + 0.5 * pow((e.by[j] - theta * xi[j]) / e.sy[j], 2)
        }
        return value
    }

    static func gradient(_ e: SNPEffects, _ xi: [Double], _ theta: Double) -> [Double] {
        var g = [Double](repeating: 0, count: e.count + 1)
        for j in 0..<e.count {
            let ry = e.by[j] - theta * xi[j]
            g[j] = -(e.bx[j] - xi[j]) / (e.sx[j] * e.sx[j]) - theta * ry / (e.sy[j] * e.sy[j])
            g[e.count] += -xi[j] * ry / (e.sy[j] * e.sy[j])
        }
        return g
    }

    @Test func theGradientVanishesAndTheHessianIsPositiveDefiniteAtTheReportedParameters() {
        let e = Self.effects
        #expect(e.count >= 90)
        let fit = MaximumLikelihood.fit(e)
        let g = Self.gradient(e, fit.xi, fit.theta)
        // Each component against the size of the terms it sums: relative stationarity to rounding.
        for j in 0..<e.count {
            let scale = abs(e.bx[j] - fit.xi[j]) / (e.sx[j] * e.sx[j]) + abs(fit.theta * (e.by[j] - fit.theta * fit.xi[j])) / (e.sy[j] * e.sy[j]) + 1e-300
            #expect(abs(g[j]) <= 1e-9 * scale, "∂f/∂ξ_\(j) = \(g[j])")
        }
        let thetaScale = (0..<e.count).reduce(0.0) { $0 + abs(fit.xi[$1] * (e.by[$1] - fit.theta * fit.xi[$1])) / (e.sy[$1] * e.sy[$1]) }
        #expect(abs(g[e.count]) <= 1e-9 * thetaScale, "∂f/∂θ = \(g[e.count]) against terms of \(thetaScale)")
        #expect(abs(2 * Self.f(e, fit.xi, fit.theta) - fit.Q) <= 1e-10 * fit.Q, "f = Q/2 at the optimum")
        // The arrow Hessian is positive definite (the log-likelihood's negative definite) iff its diagonal in ξ is
        // positive and its Schur complement, 1/variance, is.
        #expect(fit.variance > 0 && fit.variance.isFinite)
        // The variance is the inverse of the profile's curvature ½Q″, by finite differences of Q.
        let h = 1e-4 * fit.variance.squareRoot()
        let curvature = (MaximumLikelihood.profileQ(e, fit.theta + h) - 2 * fit.Q + MaximumLikelihood.profileQ(e, fit.theta - h)) / (h * h)
        #expect(abs(1 / (0.5 * curvature) - fit.variance) <= 1e-5 * fit.variance)
        // No nearby θ does better.
        for step in [-1e-6, 1e-6, -1e-3, 1e-3, -0.1, 0.1] { #expect(MaximumLikelihood.profileQ(e, fit.theta + step) >= fit.Q) }
    }

    /// Nelder–Mead over all K + 1 parameters from the packages' start (the observed β_X and the IVW estimate),
    /// with R optim's coefficients and a budget of 25,000 evaluations: it ends at a lower likelihood.
    @Test func beatsANelderMeadSearchOfTheFullLikelihood() {
        let e = Self.effects
        let fit = MaximumLikelihood.fit(e)
        let start = e.bx + [InverseVarianceWeighted.fit(e).b]
        let (best, evaluations) = NelderMead.minimise({ p in Self.f(e, Array(p.dropLast()), p.last!) }, start: start, maxEvaluations: 25_000)
        let nelderMeadQ = 2 * Self.f(e, Array(best.dropLast()), best.last!)
        #expect(evaluations >= 25_000 || nelderMeadQ > fit.Q)
        #expect(fit.Q < nelderMeadQ, "exact Q \(fit.Q), Nelder–Mead \(nelderMeadQ) after \(evaluations) evaluations")
        print("ML, K = \(e.count): exact Q \(fit.Q), θ \(fit.theta); Nelder–Mead Q \(nelderMeadQ), θ \(best.last!) after \(evaluations) evaluations")
    }
}

/// A plain Nelder–Mead simplex search with the coefficients of R's optim (reflection 1, contraction 0.5,
/// expansion 2, shrink 0.5), its initial simplex (steps of 10% of the largest |start|) and its stopping rule
/// (relative spread of the simplex's values below 1e-8).
enum NelderMead {
    static func minimise(_ f: ([Double]) -> Double, start: [Double], maxEvaluations: Int) -> ([Double], Int) {
        let n = start.count
        let step = 0.1 * (start.map(abs).max() ?? 1)
        var simplex = [start] + (0..<n).map { i -> [Double] in var p = start; p[i] += step; return p }
        var values = simplex.map(f)
        var evaluations = n + 1
        func combine(_ a: [Double], _ b: [Double], _ t: Double) -> [Double] { zip(a, b).map { $0 + t * ($1 - $0) } }
        while evaluations < maxEvaluations {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            if values[n] - values[0] <= 1e-8 * (abs(values[0]) + 1e-8) { break }
            var centroid = [Double](repeating: 0, count: n)
            for p in simplex.dropLast() { for i in 0..<n { centroid[i] += p[i] / Double(n) } }
            let reflected = combine(centroid, simplex[n], -1)
            let fr = f(reflected); evaluations += 1
            if fr < values[0] {
                let expanded = combine(centroid, simplex[n], -2)
                let fe = f(expanded); evaluations += 1
                if fe < fr { simplex[n] = expanded; values[n] = fe } else { simplex[n] = reflected; values[n] = fr }
            } else if fr < values[n - 1] {
                simplex[n] = reflected; values[n] = fr
            } else {
                let contracted = fr < values[n] ? combine(centroid, reflected, 0.5) : combine(centroid, simplex[n], 0.5)
                let fc = f(contracted); evaluations += 1
                if fc < min(fr, values[n]) {
                    simplex[n] = contracted; values[n] = fc
                } else {
                    for i in 1...n { simplex[i] = combine(simplex[0], simplex[i], 0.5); values[i] = f(simplex[i]) }
                    evaluations += n
                }
            }
        }
        let best = values.indices.min { values[$0] < values[$1] }!
        return (simplex[best], evaluations)
    }
}
