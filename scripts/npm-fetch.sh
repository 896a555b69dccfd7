# Sourced (POSIX sh) by node-versions.sh, test-arm64.sh and musl-runtime.sh:
#
#   npm_fetch <spec> <dir> [member...]
#
# The npm package <spec>'s tarball (`npm pack` checks the registry's integrity
# hash) unpacked into <dir>, its package/ prefix stripped; only the named
# members (package/bin/node ...) when any are given. Made complete in a
# temporary directory beside <dir> and then moved into place, so an
# interrupted fetch leaves nothing that looks complete. Does nothing when
# <dir> exists: it is a cache of what can be fetched again.
npm_fetch() {
  _nf_spec=$1
  _nf_dir=$2
  shift 2
  [ -d "$_nf_dir" ] && return 0
  mkdir -p "$(dirname "$_nf_dir")"
  _nf_tmp=$(mktemp -d "$(dirname "$_nf_dir")/.fetch-XXXXXX")
  mkdir "$_nf_tmp/out"
  if (cd "$_nf_tmp" && npm pack --silent "$_nf_spec" >/dev/null) &&
    tar xzf "$_nf_tmp"/*.tgz -C "$_nf_tmp/out" --strip-components=1 "$@" &&
    mv "$_nf_tmp/out" "$_nf_dir"; then
    rm -rf "$_nf_tmp"
  else
    rm -rf "$_nf_tmp"
    echo "npm_fetch: could not fetch $_nf_spec" >&2
    return 1
  fi
}
