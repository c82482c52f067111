import Foundation

// imat-fuzz: a deterministic mutation fuzzer for IMATKit's readers (PNG slices, NIfTI, CSV, scan.json).
// Every input must load or fail with an error naming it; a crash, a hang (10 s) or an allocation beyond the
// address-space limit saves the input to the findings folder and exits non-zero. Inputs whose error message
// is new join the seeds, a cheap stand-in for coverage feedback.
// Usage: imat-fuzz [png|nifti|dicom|csv|sidecar|labels-json|dseg-tsv ...] [--seconds N (per target, default 60)] [--seed S]
//                  [--findings DIR (default .fuzz)] [--fixtures DIR (default Tests/VolumeIOTests/Fixtures)]

let arguments = Array(CommandLine.arguments.dropFirst())
let optionNames: Set = ["--seconds", "--seed", "--findings", "--fixtures"]
func option(_ name: String, default value: String) -> String {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return value }
    return arguments[i + 1]
}
let names = arguments.indices.filter { !optionNames.contains(arguments[$0]) && ($0 == 0 || !optionNames.contains(arguments[$0 - 1])) }
    .map { arguments[$0] }
let seconds = Double(option("--seconds", default: "60")) ?? 60
let seed = UInt64(option("--seed", default: "1")) ?? 1
let findings = option("--findings", default: ".fuzz")
let fixtures = option("--fixtures", default: "Tests/VolumeIOTests/Fixtures")
let work = NSTemporaryDirectory() + "imat-fuzz-\(getpid())"
try FileManager.default.createDirectory(atPath: findings, withIntermediateDirectories: true)
try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)

let targets = try FuzzTarget.all(fixtures: fixtures, work: work)
let chosen = names.isEmpty ? targets : targets.filter { names.contains($0.name) }
guard names.isEmpty || chosen.count == names.count else {
    FileHandle.standardError.write(Data("imat-fuzz: targets are \(targets.map(\.name).joined(separator: ", "))\n".utf8))
    exit(2)
}

var unnamed = 0
for target in chosen {
    CrashGuard.install(findings: findings, target: target.name, addressSpaceGiB: 8)
    var mutator = Mutator(seed: seed)
    var seeds = target.seeds
    var messages: [String: Int] = [:]
    var runs = 0, loaded = 0
    let folder = "\(work)/\(target.name)"
    let start = Date()
    while Date().timeIntervalSince(start) < seconds {
        let base = seeds[mutator.below(seeds.count)], other = seeds[mutator.below(seeds.count)]
        var input = mutator.mutate(base, splicing: other, focus: target.headerBytes)
        if let repair = target.repair, runs % 2 == 1 { input = repair(input) }
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        CrashGuard.arm(input)
        do {
            try target.run(input, folder)
            loaded += 1
        } catch {
            let message = String(describing: error)
            // The problem without the path, so the same problem in another file counts once.
            let problem = message.replacingOccurrences(of: folder, with: "…").prefix(80)
            if messages[String(problem)] == nil && seeds.count < 256 { seeds.append(input) }
            messages[String(problem), default: 0] += 1
            if !message.contains(folder) {
                unnamed += 1
                let path = "\(findings)/unnamed-\(target.name)-\(unnamed)"
                try Data(input).write(to: URL(fileURLWithPath: path))
                print("\(target.name): an error that names no input: \(message) (input saved to \(path))")
            }
        }
        CrashGuard.disarm()
        runs += 1
    }
    let rate = Double(runs) / max(Date().timeIntervalSince(start), 1e-9)
    print("\(target.name): \(runs) inputs (\(Int(rate))/s), \(loaded) loaded, \(messages.count) distinct errors, no crash or hang")
    for (problem, count) in messages.sorted(by: { $0.value > $1.value }).prefix(Int(ProcessInfo.processInfo.environment["IMAT_FUZZ_SHOW"] ?? "8") ?? 8) { print("  \(count)× \(problem)") }
}
try? FileManager.default.removeItem(atPath: work)
exit(unnamed == 0 ? 0 : 1)
