#!/bin/sh
# Installs this imat archive under PREFIX (default /usr/local; no root needed for a prefix you own):
#   PREFIX/lib/imat-VERSION/   bin/imat and the libraries it loads, as unpacked
#   PREFIX/bin/imat            a two-line script that runs it by its absolute path, OPENBLAS_NUM_THREADS=1
#   PREFIX/share/bash-completion/completions/imat, PREFIX/share/zsh/site-functions/_imat,
#   PREFIX/share/fish/vendor_completions.d/imat.fish
# Usage: ./install.sh [PREFIX]
set -eu
prefix=${1:-/usr/local}
here=$(cd "$(dirname "$0")" && pwd)
name=$(basename "$here")
mkdir -p "$prefix/lib" "$prefix/bin" "$prefix/share/bash-completion/completions" "$prefix/share/zsh/site-functions" \
    "$prefix/share/fish/vendor_completions.d"
prefix=$(cd "$prefix" && pwd)
if [ "$here" != "$prefix/lib/$name" ]; then
    rm -rf "$prefix/lib/$name.new"
    cp -R "$here" "$prefix/lib/$name.new"
    rm -rf "$prefix/lib/$name"
    mv "$prefix/lib/$name.new" "$prefix/lib/$name"
fi
# OpenBLAS reads OPENBLAS_NUM_THREADS before imat's code runs; IMATKit runs BLAS on one thread, and with 1
# OpenBLAS starts no worker thread that spins for a tenth of a second of CPU in every process.
printf '#!/bin/sh\nOPENBLAS_NUM_THREADS=1 exec "%s" "$@"\n' "$prefix/lib/$name/bin/imat" > "$prefix/bin/imat.new"
chmod 755 "$prefix/bin/imat.new"
mv "$prefix/bin/imat.new" "$prefix/bin/imat"
cp "$here/share/completions/imat.bash" "$prefix/share/bash-completion/completions/imat"
cp "$here/share/completions/_imat" "$prefix/share/zsh/site-functions/_imat"
cp "$here/share/completions/imat.fish" "$prefix/share/fish/vendor_completions.d/imat.fish"
"$prefix/bin/imat" --version >/dev/null
echo "installed $("$prefix/bin/imat" --version) as $prefix/bin/imat"
