#if canImport(Glibc)
import Glibc
#endif

/// Turns a crash, a hang or an allocation past the address-space limit into a saved input: the input under
/// test is copied into a buffer allocated once, and the signal handlers write it to the findings folder
/// with async-signal-safe calls only (open, write, _exit).
enum CrashGuard {
    nonisolated(unsafe) private static var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    nonisolated(unsafe) private static var capacity = 1
    nonisolated(unsafe) private static var length = 0
    nonisolated(unsafe) private static var crashPath: UnsafeMutablePointer<CChar>? = nil

    /// Seconds one input may take before it counts as a hang.
    static let secondsPerInput: UInt32 = 10

    static func install(findings: String, target: String, addressSpaceGiB: Int) {
        crashPath = strdup("\(findings)/crash-\(target)")
        var limit = rlimit(rlim_cur: rlim_t(addressSpaceGiB) << 30, rlim_max: rlim_t(addressSpaceGiB) << 30)
        setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
        for signal in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE, SIGALRM] {
            Glibc.signal(signal) { number in
                CrashGuard.save(number == SIGALRM ? "hang (over 10 s)" : "crash (fatal signal)")
                _exit(number == SIGALRM ? 71 : 70)
            }
        }
    }

    /// Records `input` as the one under test and arms the hang alarm.
    static func arm(_ input: [UInt8]) {
        if input.count > capacity {
            buffer.deallocate()
            capacity = input.count
            buffer = .allocate(capacity: capacity)
        }
        input.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: input.count) }
        length = input.count
        alarm(secondsPerInput)
    }

    static func disarm() { alarm(0) }

    private static func save(_ what: StaticString) {
        guard let crashPath else { return }
        let fd = open(crashPath, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
        if fd >= 0 {
            _ = write(fd, buffer, length)
            close(fd)
        }
        say("imat-fuzz: "); say(what); say(": input saved to "); _ = write(2, crashPath, strlen(crashPath)); say("\n")
    }

    private static func say(_ text: StaticString) { _ = write(2, text.utf8Start, text.utf8CodeUnitCount) }
}
