#!/usr/bin/env bash
# Writes dist/imat-VERSION-linux-x86_64.tar.gz: imat for compute nodes without Swift, libpng or OpenBLAS.
#   bin/imat        the Swift runtime and Foundation linked in (--static-swift-stdlib)
#   lib/            the C libraries it loads (libpng, ISA-L, zlib, OpenBLAS/LAPACK and gfortran, OpenJPEG,
#                   CharLS, libjpeg-turbo, libstdc++), found beside it through RUNPATH $ORIGIN/../lib;
#                   only glibc is the system's (any Linux x86-64 with glibc ≥ the build host's: Debian 12's 2.36)
#   share/          shell completions (bash, zsh, fish) and the shipped libraries' licences
#   install.sh, README.md, LICENSE, VERSION
# Usage: scripts/package.sh        (a release build in .build/package, about 5 minutes from clean)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh patchelf
scratch=.build/package
swift build -c release --product imat --static-swift-stdlib --scratch-path "$scratch" >&2
built="$scratch/release/imat"
version=$("$built" --version)            # "0.2.0 (source revision 1a2b3c4d5e6f)"
number=${version%% *}
name="imat-$number-linux-x86_64"
stage=$(mktemp -d); trap 'rm -rf "$stage"' EXIT
root="$stage/$name"
mkdir -p "$root/bin" "$root/lib" "$root/share/completions" "$root/share/licenses"
cp "$built" "$root/bin/imat"
strip "$root/bin/imat"

# Every shared library the loader resolves for imat, except glibc's own, copied under its soname.
glibc='^(linux-vdso|libc|libm|libdl|libpthread|librt|libresolv|libutil|ld-linux-x86-64)\.so'
ldd "$built" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' | while read -r soname path; do
    [[ "$soname" =~ $glibc ]] && continue
    cp -L "$path" "$root/lib/$soname"
    chmod 644 "$root/lib/$soname"
    # Each library finds the others beside it (RUNPATH is not inherited by a library's own dependencies).
    patchelf --set-rpath '$ORIGIN' "$root/lib/$soname"
    package=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -1 | cut -d: -f1 || true)
    [ -n "$package" ] && [ -f "/usr/share/doc/$package/copyright" ] && cp "/usr/share/doc/$package/copyright" "$root/share/licenses/$package.copyright"
done
patchelf --set-rpath '$ORIGIN/../lib' "$root/bin/imat"
if ldd "$root/bin/imat" | grep -q "/opt/swift\|not found"; then
    echo "package.sh: bin/imat still needs the Swift toolchain or misses a library:" >&2; ldd "$root/bin/imat" >&2; exit 1
fi

"$root/bin/imat" --generate-completion-script bash > "$root/share/completions/imat.bash"
"$root/bin/imat" --generate-completion-script zsh > "$root/share/completions/_imat"
"$root/bin/imat" --generate-completion-script fish > "$root/share/completions/imat.fish"
cp packaging/install.sh "$root/install.sh"
cp README.md LICENSE "$root/"
echo "$version" > "$root/VERSION"

mkdir -p dist
tar -C "$stage" -czf "dist/$name.tar.gz.partial" "$name"
mv "dist/$name.tar.gz.partial" "dist/$name.tar.gz"
echo "dist/$name.tar.gz"
