import Foundation
import PackagePlugin

/// Writes the git revision the build is made from into the target (`SourceRevision.id`), so that every output
/// can name the exact source that wrote it. Outside a git checkout (a source archive) it is "unknown"; a
/// checkout with uncommitted changes gets "-modified". The file is rewritten only when the revision changes, so
/// an unchanged revision costs no recompilation.
@main
struct SourceRevisionPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("SourceRevision.swift")
        // safe.directory: a checkout owned by another user (CI, containers) must still name its revision.
        let script = #"""
            revision=$(command git -c safe.directory='*' -C "$1" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
            if [ "$revision" != unknown ] && [ -n "$(command git -c safe.directory='*' -C "$1" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
                revision="$revision-modified"
            fi
            text="enum SourceRevision { static let id = \"$revision\" }"
            [ "$(cat "$2" 2>/dev/null)" = "$text" ] || printf '%s\n' "$text" > "$2"
            """#
        return [.prebuildCommand(displayName: "Source revision of \(target.name)", executable: URL(fileURLWithPath: "/bin/sh"),
                                 arguments: ["-c", script, "sh", context.package.directoryURL.path, output.path],
                                 outputFilesDirectory: context.pluginWorkDirectoryURL)]
    }
}
