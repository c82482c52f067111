import Foundation
import TestSupport

/// Runs the built `imat` executable as a user would, capturing its exit status and output.
struct IMATProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// True when the process ended by a signal (a crash) rather than by exiting.
        var crashed: Bool
    }

    /// The `imat` binary beside the test bundle in the build folder.
    static var executable: URL {
        let dir = Bundle.main.bundleURL.pathExtension == "xctest"
            ? Bundle.main.bundleURL.deletingLastPathComponent()
            : Bundle.main.bundleURL
        return dir.appendingPathComponent("imat")
    }

    /// Starts `imat` without waiting; its output goes to files, so several can run at once without pipes filling.
    static func start(_ arguments: [String], logs: TemporaryFolder) throws -> Running {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let name = UUID().uuidString
        let out = logs.file("\(name).out"), err = logs.file("\(name).err")
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: out)
        process.standardError = FileHandle(forWritingAtPath: err)
        try process.run()
        return Running(process: process, stdoutPath: out, stderrPath: err)
    }

    struct Running {
        let process: Process
        let stdoutPath: String
        let stderrPath: String

        func kill() {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        func wait() -> Result {
            process.waitUntilExit()
            func text(_ path: String) -> String { String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
            return Result(status: process.terminationStatus, stdout: text(stdoutPath), stderr: text(stderrPath),
                          crashed: process.terminationReason == .uncaughtSignal)
        }
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so a chatty process cannot block on a full pipe.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self),
                      crashed: process.terminationReason == .uncaughtSignal)
    }
}


